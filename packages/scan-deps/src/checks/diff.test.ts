import { describe, expect, it } from 'vitest';
import type { Artifact, Manifest, ResolvedPackage } from '../manifest/types.js';
import { diffManifests } from './diff.js';

function pkg(
  name: string,
  version: string,
  artifacts: Artifact[],
  extra: Partial<ResolvedPackage> = {},
): ResolvedPackage {
  return {
    ecosystem: 'PyPI',
    name,
    displayName: name,
    version,
    direct: true,
    source: { kind: 'registry' },
    artifacts,
    file: '/x/uv.lock',
    line: 1,
    ...extra,
  };
}
function manifest(packages: ResolvedPackage[]): Manifest {
  return {
    path: '/x/uv.lock',
    format: 'uv-lock',
    packages,
    indexes: [],
    notCovered: [],
    files: ['/x/uv.lock'],
  };
}
const H = (c: string): string => `sha256:${c.repeat(64)}`;

describe('diffManifests: artifact hashes at the same version', () => {
  it('a file that kept its name and changed its digest is a re-upload', () => {
    const d = diffManifests(
      manifest([
        pkg('torch', '2.6.0', [
          { file: 'torch-2.6.0-cp311.whl', hashes: [H('a')] },
          { file: 'torch-2.6.0.tar.gz', hashes: [H('b')] },
        ]),
      ]),
      manifest([
        pkg('torch', '2.6.0', [
          { file: 'torch-2.6.0-cp311.whl', hashes: [H('c')] },
          { file: 'torch-2.6.0.tar.gz', hashes: [H('b')] },
        ]),
      ]),
    );
    expect(d.hashChanges.map((h) => h.files)).toEqual([['torch-2.6.0-cp311.whl']]);
    expect(d.changes).toEqual([]);
  });
  it('hard negative: new wheels for new platforms next to unchanged files are not a re-upload', () => {
    const d = diffManifests(
      manifest([pkg('numpy', '1.26.4', [{ file: 'numpy-1.26.4-cp311.whl', hashes: [H('a')] }])]),
      manifest([
        pkg('numpy', '1.26.4', [
          { file: 'numpy-1.26.4-cp311.whl', hashes: [H('a')] },
          { file: 'numpy-1.26.4-cp313.whl', hashes: [H('d')] },
        ]),
      ]),
    );
    expect(d.hashChanges).toEqual([]);
  });
  it('npm integrity change at the same version; unchanged integrity is quiet', () => {
    const npm = (integrity: string): ResolvedPackage =>
      pkg('axios', '1.6.0', [{ file: 'axios-1.6.0.tgz', hashes: [integrity] }], { ecosystem: 'npm' });
    expect(
      diffManifests(manifest([npm('sha512-AAAA')]), manifest([npm('sha512-BBBB')])).hashChanges,
    ).toHaveLength(1);
    expect(diffManifests(manifest([npm('sha512-AAAA')]), manifest([npm('sha512-AAAA')])).hashChanges).toEqual(
      [],
    );
  });
  it('hashes appearing for the first time, or disappearing, are not a re-upload', () => {
    expect(
      diffManifests(manifest([pkg('a', '1.0', [])]), manifest([pkg('a', '1.0', [{ hashes: [H('e')] }])]))
        .hashChanges,
    ).toEqual([]);
    expect(
      diffManifests(manifest([pkg('a', '1.0', [{ hashes: [H('e')] }])]), manifest([pkg('a', '1.0', [])]))
        .hashChanges,
    ).toEqual([]);
  });
  it('source moves and version direction', () => {
    const d = diffManifests(
      manifest([pkg('a', '1.0', []), pkg('b', '2.0rc1', []), pkg('c', '1.0', [])]),
      manifest([
        pkg('a', '1.0', [], {
          source: { kind: 'registry', url: 'https://private.example/simple', alternate: true },
        }),
        pkg('b', '2.0', []),
        pkg('c', '0.9', []),
      ]),
    );
    expect(d.sourceChanges.map((s) => `${s.pkg.name}: ${s.from} -> ${s.to}`)).toEqual([
      'a: default index -> index https://private.example/simple',
    ]);
    expect(d.changes.map((c) => `${c.kind} ${c.name}`)).toEqual(['upgraded b', 'downgraded c']);
  });
});
