// The floor: plain parsing of the same file (readline + split for CSV, readline + JSON.parse for JSONL).
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

const path = process.argv[2];
let rows = 0;
let cells = 0;
const rl = createInterface({
  input: createReadStream(path, { highWaterMark: 1024 * 1024 }),
  crlfDelay: Infinity,
});
const csv = path.endsWith('.csv');
for await (const line of rl) {
  if (line === '') continue;
  if (csv) cells += line.split(',').length;
  else cells += Object.keys(JSON.parse(line)).length;
  rows++;
}
console.log(JSON.stringify({ rows, cells }));
