// Benchmark for `atlasguard scan model` against picklescan, modelscan and fickling on the same files, same run.
// Usage: npx tsx bench/scan-model/bench.ts [--peers /tmp/peer] [--out /tmp/ag-bench-scan-model] [--big-gb 1]
//        [--only picklescan,modelscan,fickling] [--inputs dense_floats,dense_dict,...] [--repeat N] [--clean]
// --repeat runs the whole table N times (atlasguard and the peers alternate per input), each with its load.
// Needs a built CLI (npm run build). Peers are optional: each is run from a scratch copy with python3 if present.
// Prints a Markdown table of wall time, MB/s, peak RSS and ratios; results go to docs/benchmarks/scan-model.md.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { crc32 } from 'node:zlib';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
};
const peers = opt('--peers', '/tmp/peer');
const out = opt('--out', '/tmp/ag-bench-scan-model');
const bigGb = Number(opt('--big-gb', '1'));
const only = opt('--only', 'picklescan,modelscan,fickling').split(',');
const inputs = opt('--inputs', '')
  .split(',')
  .filter((x) => x !== '');
const repeat = Math.max(1, Number(opt('--repeat', '1')));
const repo = resolve(import.meta.dirname, '..', '..');
const cli = join(repo, 'packages', 'cli', 'bin', 'atlasguard.js');

interface Run {
  seconds: number;
  rssMb: number;
  exit: number;
  note: string;
}

/** Runs a command under /usr/bin/time for wall time and peak RSS. */
function timed(cmd: string, argv: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Run {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...argv], {
    cwd,
    env,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const lines = r.stderr.trim().split('\n');
  const [sec, kb] = (lines[lines.length - 1] ?? '0 0').split(' ');
  return {
    seconds: Number(sec),
    rssMb: Number(kb) / 1024,
    exit: r.status ?? -1,
    note: lines.slice(-3, -1).join(' ').slice(0, 120),
  };
}

function python(script: string): void {
  execFileSync('python3', ['-c', script], { stdio: 'inherit' });
}

const u16 = (n: number): Buffer => Buffer.from([n & 0xff, (n >>> 8) & 0xff]);
const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};

/** A PyTorch-layout zip of `count` stored storages of `size` bytes each, written straight to disk. */
function writeTorchZip(path: string, count: number, size: number): void {
  const fd = openSync(path, 'w');
  let pos = 0;
  const write = (b: Buffer): void => {
    writeSync(fd, b);
    pos += b.length;
  };
  const central: Buffer[] = [];
  const add = (name: string, data: Buffer | { size: number; crc: number; chunk: Buffer }): void => {
    const n = Buffer.from(name);
    const len = Buffer.isBuffer(data) ? data.length : data.size;
    const crc = Buffer.isBuffer(data) ? crc32(data) : data.crc;
    const offset = pos;
    write(
      Buffer.concat([
        u32(0x04034b50),
        u16(20),
        u16(0),
        u16(0),
        u16(0),
        u16(0x21),
        u32(crc),
        u32(len),
        u32(len),
        u16(n.length),
        u16(0),
        n,
      ]),
    );
    if (Buffer.isBuffer(data)) write(data);
    else
      for (let done = 0; done < len; done += data.chunk.length)
        write(data.chunk.subarray(0, Math.min(data.chunk.length, len - done)));
    central.push(
      Buffer.concat([
        u32(0x02014b50),
        u16(20),
        u16(20),
        u16(0),
        u16(0),
        u16(0),
        u16(0x21),
        u32(crc),
        u32(len),
        u32(len),
        u16(n.length),
        u16(0),
        u16(0),
        u16(0),
        u16(0),
        u32(0),
        u32(offset),
        n,
      ]),
    );
  };
  // data.pkl: OrderedDict of `count` tensors, each a persistent id to one storage (protocol 2, as torch.save writes).
  const parts: Buffer[] = [Buffer.from([0x80, 0x02]), Buffer.from('ccollections\nOrderedDict\n)R(')];
  for (let i = 0; i < count; i++) {
    const key = Buffer.from(`layer${String(i)}.weight`);
    const sk = Buffer.from(String(i));
    parts.push(
      Buffer.concat([
        Buffer.from([0x8c, key.length]),
        key,
        Buffer.from('ctorch._utils\n_rebuild_tensor_v2\n(('),
      ]),
    );
    parts.push(
      Buffer.concat([
        Buffer.from([0x8c, 7]),
        Buffer.from('storage'),
        Buffer.from('ctorch\nFloatStorage\n'),
        Buffer.from([0x8c, sk.length]),
        sk,
        Buffer.from([0x8c, 3]),
        Buffer.from('cpu'),
        Buffer.from([0x4a]),
        u32(size / 4),
        Buffer.from('tQK\x00J', 'latin1'),
        u32(size / 4),
        Buffer.from('\x85K\x01\x85\x89ccollections\nOrderedDict\n)RtR', 'latin1'),
      ]),
    );
  }
  parts.push(Buffer.from('u.'));
  add('archive/data.pkl', Buffer.concat(parts));
  add('archive/version', Buffer.from('3\n'));
  const chunk = Buffer.alloc(4 * 1024 * 1024);
  for (let i = 0; i < chunk.length; i += 4) chunk.writeFloatLE(Math.sin(i), i);
  let crc = 0;
  for (let done = 0; done < size; done += chunk.length)
    crc = crc32(chunk.subarray(0, Math.min(chunk.length, size - done)), crc);
  for (let i = 0; i < count; i++) add(`archive/data/${String(i)}`, { size, crc, chunk });
  const cd = Buffer.concat(central);
  const cdStart = pos;
  write(cd);
  write(
    Buffer.concat([
      u32(0x06054b50),
      u16(0),
      u16(0),
      u16(central.length),
      u16(central.length),
      u32(cd.length),
      u32(cdStart),
      u16(0),
    ]),
  );
  closeSync(fd);
}

function generate(): Record<string, string> {
  mkdirSync(out, { recursive: true });
  const files = {
    dense_floats: join(out, 'dense_floats_50MB.pkl'),
    dense_dict: join(out, 'dense_dict_mixed.pkl'),
    // The same shape, 3.5x as many entries: start-up weighs less, the memo (2.8 M entries) more.
    dense_dict_50: join(out, 'dense_dict_50MB.pkl'),
    // Several memo-heavy pickles at once (hard links to the three above): the worker pool's peak memory.
    dense_dir: join(out, 'dense_dir'),
    torch_zip: join(out, `torch_${String(bigGb)}GB.pt`),
    small_dir: join(out, 'small'),
    // One 42-byte pickle: start-up is all there is to it (the floor below is `node -e 0`).
    one_small: join(out, 'small', 'm0.pkl'),
  };
  if (!existsSync(files.dense_floats)) {
    python(
      `import pickle,random\nrandom.seed(1)\nd=[random.random() for _ in range(5_500_000)]\nopen(${JSON.stringify(files.dense_floats)},'wb').write(pickle.dumps(d, protocol=4))`,
    );
  }
  if (!existsSync(files.dense_dict)) {
    python(
      `import pickle\nd={f'key{i}': (i, i*0.5, f'v{i}', [i, i+1]) for i in range(200_000)}\nopen(${JSON.stringify(files.dense_dict)},'wb').write(pickle.dumps(d, protocol=2))`,
    );
  }
  if (!existsSync(files.dense_dict_50)) {
    python(
      `import pickle\nd={f'key{i}': (i, i*0.5, f'v{i}', [i, i+1]) for i in range(700_000)}\nopen(${JSON.stringify(files.dense_dict_50)},'wb').write(pickle.dumps(d, protocol=2))`,
    );
  }
  if (!existsSync(files.dense_dir)) {
    mkdirSync(files.dense_dir);
    for (const [i, from] of [
      files.dense_dict,
      files.dense_dict,
      files.dense_dict_50,
      files.dense_floats,
    ].entries())
      linkSync(from, join(files.dense_dir, `${String(i)}.pkl`));
  }
  const wanted = (label: string): boolean => inputs.length === 0 || inputs.includes(label);
  if (wanted('torch_zip') && !existsSync(files.torch_zip))
    writeTorchZip(files.torch_zip, 64 * bigGb, 16 * 1024 * 1024);
  if (!existsSync(files.small_dir)) {
    python(
      `import pickle,os\nos.makedirs(${JSON.stringify(files.small_dir)}, exist_ok=True)\nfor i in range(1000):\n    open(os.path.join(${JSON.stringify(files.small_dir)}, f'm{i}.pkl'),'wb').write(pickle.dumps({'w':[i,i+1,i+2],'name':f'm{i}'}, protocol=4))`,
    );
  }
  return files;
}

function sizeOf(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  return execFileSync('du', ['-sb', path], { encoding: 'utf8' }).split('\t').map(Number)[0] ?? 0;
}

const PEERS: Array<{
  name: string;
  dir: string;
  run: (path: string, isDir: boolean) => [string, string[], NodeJS.ProcessEnv];
}> = [
  {
    name: 'picklescan',
    dir: join(peers, 'mmaitre314+picklescan'),
    run: (path) => [
      'python3',
      ['-m', 'picklescan', '-p', path],
      { ...process.env, PYTHONPATH: join(peers, 'mmaitre314+picklescan', 'src') },
    ],
  },
  {
    name: 'modelscan',
    dir: join(peers, 'protectai+modelscan'),
    run: (path) => [
      'python3',
      [
        '-c',
        'import sys; from modelscan.cli import cli; sys.exit(cli())',
        'scan',
        '-p',
        path,
        '-r',
        'json',
        '-o',
        join(out, 'modelscan.json'),
      ],
      { ...process.env, PYTHONPATH: `${join(peers, 'protectai+modelscan')}:${join(peers, 'stubs')}` },
    ],
  },
  {
    name: 'fickling',
    dir: join(peers, 'trailofbits+fickling'),
    run: (path, isDir) =>
      isDir
        ? ['true', [], process.env]
        : [
            'python3',
            ['-m', 'fickling', '--check-safety', path],
            { ...process.env, PYTHONPATH: join(peers, 'trailofbits+fickling') },
          ],
  },
];

function table(files: Record<string, string>): string[] {
  const rows: string[] = [];
  rows.push(
    '| input | size | atlasguard | MB/s | peak RSS | ' +
      PEERS.map((p) => `${p.name} (s, RSS, exit) | ratio`).join(' | ') +
      ' |',
  );
  rows.push('|---|---|---|---|---|' + PEERS.map(() => '---|---').join('|') + '|');
  for (const [label, path] of Object.entries(files)) {
    if (inputs.length > 0 && !inputs.includes(label)) continue;
    const isDir = statSync(path).isDirectory();
    const bytes = sizeOf(path);
    const ours = timed(
      'node',
      [
        cli,
        '-q',
        'scan',
        'model',
        path,
        '--format',
        'json',
        '--fail-on',
        'none',
        '--out',
        join(out, `${label}.json`),
      ],
      repo,
    );
    const report = JSON.parse(readFileSync(join(out, `${label}.json`), 'utf8')) as {
      summary: Record<string, number>;
    };
    const mbps = bytes / 1e6 / Math.max(ours.seconds, 0.01);
    const cells = [
      label,
      `${(bytes / 1e6).toFixed(1)} MB`,
      `${ours.seconds.toFixed(2)} s (exit ${String(ours.exit)}, ${String(report.summary.clean)}/${String(report.summary.files)} clean)`,
      mbps.toFixed(0),
      `${ours.rssMb.toFixed(0)} MB`,
    ];
    for (const peer of PEERS) {
      if (!only.includes(peer.name)) {
        cells.push('not run', '—');
        continue;
      }
      if (!existsSync(peer.dir) || (peer.name === 'fickling' && isDir)) {
        cells.push(peer.name === 'fickling' && isDir ? 'n/a (one file at a time)' : 'not available', '—');
        continue;
      }
      const [cmd, argv, env] = peer.run(path, isDir);
      const r = timed(cmd, argv, peer.dir, env);
      cells.push(
        `${r.seconds.toFixed(2)} s, ${r.rssMb.toFixed(0)} MB, exit ${String(r.exit)}`,
        `${(r.seconds / Math.max(ours.seconds, 0.01)).toFixed(1)}×`,
      );
    }
    rows.push(`| ${cells.join(' | ')} |`);
  }
  return rows;
}

/**
 * Floors for the tensor-heavy zip, whose scan reads every byte once for the sha256 the report, the AI-BOM and
 * allow-list scoping need: the disk itself (direct I/O, no page cache), a plain read through the page cache,
 * and Node's sha256 (the same OpenSSL digest the scanner uses) over the file with nothing else.
 */
function readFloors(path: string): string {
  const direct = timed('dd', [`if=${path}`, 'of=/dev/null', 'bs=4M', 'iflag=direct'], repo);
  const cached = timed('dd', [`if=${path}`, 'of=/dev/null', 'bs=4M'], repo);
  const hash = timed(
    'node',
    [
      '-e',
      "const h=require('crypto').createHash('sha256'),fs=require('fs'),b=Buffer.allocUnsafe(1<<20),fd=fs.openSync(process.argv[1],'r');" +
        'for(let n;(n=fs.readSync(fd,b,0,b.length,null))>0;)h.update(b.subarray(0,n));h.digest()',
      path,
    ],
    repo,
  );
  const cell = (r: Run): string => `${r.seconds.toFixed(2)} s`;
  return (
    `torch_zip floors: disk (dd iflag=direct) ${cell(direct)}, page-cache read (dd) ${cell(cached)}, ` +
    `node sha256 of the file ${cell(hash)}`
  );
}

function main(): void {
  const files = generate();
  console.log(`machine: ${String(cpus().length)} cores, ${cpus()[0]?.model ?? '?'}, node ${process.version}`);
  const load = (): string =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  for (let run = 1; run <= repeat; run++) {
    const before = load();
    const floor = timed('node', ['-e', '0'], repo);
    const rows = table(files);
    console.log(
      `\nrun ${String(run)}/${String(repeat)} (${new Date().toISOString()}), load ${before} -> ${load()}`,
    );
    console.log(`floor: node -e 0 ${floor.seconds.toFixed(2)} s, ${floor.rssMb.toFixed(0)} MB`);
    console.log(rows.join('\n'));
    const zip = files.torch_zip;
    if (zip !== undefined && (inputs.length === 0 || inputs.includes('torch_zip')))
      console.log(readFloors(zip));
  }
  if (args.includes('--clean')) rmSync(out, { recursive: true, force: true });
}

main();
