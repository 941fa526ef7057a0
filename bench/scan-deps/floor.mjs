// The floor: read the same inputs and do the least work any checker must do — read both lockfiles, and
// read the export zip, inflate and JSON.parse every record — with no matching, diffing or reporting.
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

const [oldLock, newLock, zipPath, mode] = process.argv.slice(2);
const a = readFileSync(oldLock, 'utf8');
const b = readFileSync(newLock, 'utf8');
let records = 0;
if (mode === 'zip') {
  const buf = readFileSync(zipPath);
  // ZIP64 end record: the central directory offset and entry count (the generator always writes ZIP64).
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const at = Number(buf.readBigUInt64LE(eocd - 20 + 8));
  let p = Number(buf.readBigUInt64LE(at + 48));
  const count = Number(buf.readBigUInt64LE(at + 32));
  for (let i = 0; i < count; i++) {
    const comp = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extra = buf.readUInt16LE(p + 30);
    const comment = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    JSON.parse(inflateRawSync(buf.subarray(start, start + comp)).toString('utf8'));
    records++;
    p += 46 + nameLen + extra + comment;
  }
} else {
  // Warm-cache floor: the cached index file (a header line, then one JSON block per package), all parsed.
  for (const line of readFileSync(zipPath, 'utf8').split('\n')) {
    if (line !== '') {
      JSON.parse(line);
      records++;
    }
  }
}
process.stdout.write(`${String(a.length + b.length)} lock bytes, ${String(records)} records\n`);
