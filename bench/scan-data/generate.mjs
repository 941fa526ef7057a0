// Generates the benchmark datasets (deterministic) into a directory, default /tmp/ag-bench-scan-data.
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const gauss = (r) => Math.sqrt(-2 * Math.log(Math.max(r(), 1e-12))) * Math.cos(2 * Math.PI * r());

async function write(path, lines) {
  const out = createWriteStream(path);
  for (const line of lines) if (!out.write(line)) await new Promise((res) => out.once('drain', res));
  await new Promise((res) => out.end(res));
}

function* tabular(n, seed) {
  const r = rng(seed);
  const colors = ['red', 'green', 'blue', 'black'];
  yield 'id,f1,f2,f3,f4,amount,color,label\n';
  for (let i = 0; i < n; i++) {
    const pos = r() < 0.3;
    const c = pos ? 2 : 0;
    yield `${i},${(c + gauss(r)).toFixed(4)},${(c + gauss(r)).toFixed(4)},${(gauss(r) - c).toFixed(4)},${gauss(r).toFixed(4)},${(Math.exp(gauss(r)) * 100).toFixed(2)},${colors[Math.floor(r() * 4)]},${pos ? 'fraud' : 'ok'}\n`;
  }
}

const VOCAB = Array.from({ length: 5000 }, (_, i) => `w${i.toString(36)}`);
function* text(n, seed) {
  const r = rng(seed);
  for (let i = 0; i < n; i++) {
    const label = r() < 0.5 ? 'pos' : 'neg';
    const len = 20 + Math.floor(r() * 60);
    const words = [];
    for (let k = 0; k < len; k++) {
      // Zipf-like draw so the vocabulary has frequent and rare words
      const idx = Math.floor(VOCAB.length * Math.pow(r(), 2.5));
      words.push(VOCAB[idx]);
    }
    if (r() < 0.2) words.push(label === 'pos' ? 'great' : 'awful');
    yield `${JSON.stringify({ id: `d${i}`, text: words.join(' '), label })}\n`;
  }
}

const dir = process.argv[2] ?? '/tmp/ag-bench-scan-data';
const scale = Number(process.argv[3] ?? '1');
mkdirSync(dir, { recursive: true });
await write(join(dir, 'tab-base.csv'), tabular(Math.round(100_000 * scale), 1));
await write(join(dir, 'tab-batch.csv'), tabular(Math.round(1_000_000 * scale), 2));
await write(join(dir, 'text-base.jsonl'), text(Math.round(50_000 * scale), 3));
await write(join(dir, 'text-batch.jsonl'), text(Math.round(200_000 * scale), 4));
console.log(`wrote datasets to ${dir}`);
