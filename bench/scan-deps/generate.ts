// Generates the scan-deps benchmark inputs: two 5,000-package uv.lock files (an update) and an OSV
// export zip with 100,000 records. Deterministic (seeded), written under bench/out/scan-deps.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeZip } from '../../packages/scan-deps/src/test-support/zip-writer.js';
import { seededRandom as rng } from '../../packages/core/src/random/seeded-random.js';

export const OUT = join(import.meta.dirname, '..', 'out', 'scan-deps');
const PACKAGES = 5_000;
const RECORDS = 100_000;
const NAMES = 20_000;

const hex = (text: string): string => createHash('sha256').update(text).digest('hex');
const nameOf = (i: number): string => `bench-pkg-${String(i).padStart(5, '0')}`;

function uvLock(versions: Map<string, string>, hashSalt: Map<string, string>): string {
  const out: string[] = ['version = 1\nrequires-python = ">=3.10"\n\n'];
  const names = [...versions.keys()].sort();
  out.push(
    '[[package]]\nname = "bench-app"\nversion = "0.1.0"\nsource = { virtual = "." }\ndependencies = [\n',
  );
  for (const n of names.slice(0, 200)) out.push(`    { name = "${n}" },\n`);
  out.push(']\n\n');
  for (const [i, n] of names.entries()) {
    const v = versions.get(n) ?? '1.0.0';
    const salt = hashSalt.get(n) ?? '';
    const deps =
      i + 1 < names.length && i % 3 === 0
        ? `dependencies = [\n    { name = "${names[i + 1] ?? ''}" },\n]\n`
        : '';
    out.push(
      `[[package]]\nname = "${n}"\nversion = "${v}"\nsource = { registry = "https://index.example/simple" }\n${deps}` +
        `sdist = { url = "https://files.example/${n}-${v}.tar.gz", hash = "sha256:${hex(`${n}${v}sdist${salt}`)}", size = 1000 }\n` +
        `wheels = [\n    { url = "https://files.example/${n.replace(/-/g, '_')}-${v}-py3-none-any.whl", hash = "sha256:${hex(`${n}${v}whl${salt}`)}", size = 2000 },\n]\n\n`,
    );
  }
  return out.join('');
}

export async function generate(): Promise<{ oldLock: string; newLock: string; zip: string }> {
  const random = rng(2026);
  await mkdir(join(OUT, 'old'), { recursive: true });
  await mkdir(join(OUT, 'new'), { recursive: true });
  const oldVersions = new Map<string, string>();
  for (let i = 0; i < PACKAGES; i++)
    oldVersions.set(
      nameOf(i * 4),
      `${String(1 + Math.floor(random() * 5))}.${String(Math.floor(random() * 20))}.${String(Math.floor(random() * 10))}`,
    );
  const newVersions = new Map(oldVersions);
  const salt = new Map<string, string>();
  let k = 0;
  for (const [n, v] of oldVersions) {
    k++;
    if (k % 10 === 0)
      newVersions.set(
        n,
        v.replace(/^(\d+)\.(\d+)/, (_m, a: string, b: string) => `${a}.${String(Number(b) + 1)}`),
      );
    if (k % 97 === 0) newVersions.delete(n);
    if (k % 499 === 0) salt.set(n, 'reuploaded');
  }
  for (let i = 0; i < 50; i++) newVersions.set(nameOf(i * 4 + 1), '1.0.0');
  const oldLock = join(OUT, 'old', 'uv.lock');
  const newLock = join(OUT, 'new', 'uv.lock');
  await writeFile(oldLock, uvLock(oldVersions, new Map()));
  await writeFile(newLock, uvLock(newVersions, salt));

  const entries = [];
  for (let r = 0; r < RECORDS; r++) {
    const pkg = nameOf(Math.floor(random() * NAMES));
    const major = 1 + Math.floor(random() * 5);
    const id = `GHSA-bench-${String(r).padStart(6, '0')}`;
    const record = {
      id,
      modified: '2026-01-01T00:00:00Z',
      published: '2025-06-01T00:00:00Z',
      aliases: [`CVE-2099-${String(r)}`],
      summary: `Generated advisory ${String(r)} for ${pkg}`,
      details: 'Generated for the AtlasGuard scan-deps benchmark.',
      ...(r % 3 === 0
        ? { severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H' }] }
        : {}),
      affected: [
        {
          package: { ecosystem: 'PyPI', name: pkg, purl: `pkg:pypi/${pkg}` },
          ranges: [
            {
              type: 'ECOSYSTEM',
              events: [
                { introduced: `${String(major)}.0.0` },
                { fixed: `${String(major)}.${String(5 + Math.floor(random() * 10))}.0` },
              ],
            },
          ],
          ...(r % 5 === 0
            ? { versions: [`${String(major)}.0.0`, `${String(major)}.1.0`, `${String(major)}.2.0`] }
            : {}),
        },
      ],
      database_specific: { severity: r % 3 === 0 ? 'HIGH' : 'MODERATE' },
      references: [{ type: 'ADVISORY', url: `https://advisories.example/${id}` }],
    };
    entries.push({ name: `${id}.json`, data: Buffer.from(JSON.stringify(record)) });
  }
  const zip = join(OUT, 'osv', 'PyPI', 'all.zip');
  await mkdir(join(OUT, 'osv', 'PyPI'), { recursive: true });
  await writeFile(zip, writeZip(entries, { zip64: true }));
  return { oldLock, newLock, zip };
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const paths = await generate();
  process.stdout.write(`${JSON.stringify(paths, null, 2)}\n`);
}
