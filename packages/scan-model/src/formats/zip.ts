import { crc32, inflateRawSync } from 'node:zlib';
import { BufferSource, SliceSource, type ByteSource } from '../source/byte-source.js';
import { InflateError, InflateSource } from '../source/inflate-source.js';
import type { Collector } from '../scan/collector.js';
import { childMember, hex, type Recurse, type ScanNode, type SiblingLookup } from '../scan/node.js';
import { readZipDirectory, ZipFormatError, type ZipDirectory, type ZipEntry } from './zip-directory.js';
import { runPickle } from './pickle-file.js';
import { checkTorchScript, checkStorages } from './torch-zip.js';
import { checkKerasConfig } from './json-meta.js';

/** Member names whose content torch, numpy or joblib will unpickle. */
const PICKLE_NAMES = /(^|\/)(data|constants)\.pkl$|\.(pkl|pickle)$/i;

function badPath(name: string): string | undefined {
  if (name.includes('\0')) return 'contains a NUL byte';
  if (name.startsWith('/') || name.startsWith('\\')) return 'is an absolute path';
  if (/^[A-Za-z]:/.test(name)) return 'starts with a drive letter';
  if (name.includes('\\')) return 'contains a backslash (a separator on Windows)';
  if (name.split('/').includes('..')) return 'climbs out of the extraction directory with ..';
  return undefined;
}

function isSymlink(e: ZipEntry): boolean {
  return e.madeBy >> 8 === 3 && ((e.externalAttrs >>> 16) & 0o170000) === 0o120000;
}

/** Zip archives (PyTorch, npz, Keras, plain): structure checks, then every member sniffed and scanned. */
export function scanZip(node: ScanNode, c: Collector, recurse: Recurse): string {
  let dir: ZipDirectory;
  try {
    dir = readZipDirectory(node.src, c.budget.maxEntries - c.budget.entries);
  } catch (error) {
    const at = error instanceof ZipFormatError ? error.offset : 0;
    c.inconclusiveBecause(
      `zip archive cannot be read: ${error instanceof Error ? error.message : String(error)}`,
      {
        member: node.member,
        offset: at,
      },
    );
    return 'zip';
  }
  c.budget.entries += dir.entries.length;
  const where = (
    e: ZipEntry | undefined,
    offset?: number,
  ): { member: string | undefined; offset?: number } => ({
    member: e ? childMember(node, e.name) : node.member,
    ...(offset !== undefined ? { offset } : {}),
  });
  structure(node, c, dir, where);

  const names = dir.entries.map((e) => e.name);
  const byName = new Map(dir.entries.map((e) => [e.name, e]));
  const pkl = names.find((n) => /(^|\/)data\.pkl$/.test(n));
  const prefix = pkl === undefined ? undefined : pkl.slice(0, pkl.length - 'data.pkl'.length);
  const isTorch = prefix !== undefined;
  const isKeras =
    names.includes('config.json') && names.some((n) => n.endsWith('.weights.h5') || n === 'metadata.json');
  const isNpz = !isTorch && names.length > 0 && names.every((n) => n.endsWith('.npy'));
  const storages = new Map<string, ZipEntry>();
  if (isTorch) {
    for (const e of dir.entries) {
      if (e.name.startsWith(`${prefix}data/`) && !e.name.endsWith('.pkl'))
        storages.set(e.name.slice(`${prefix}data/`.length), e);
    }
  }

  for (const e of dir.entries) {
    if (c.outOfTime()) {
      c.inconclusiveBecause('time budget exhausted before every archive member was scanned', where(e));
      break;
    }
    if (e.name.endsWith('/') && e.size === 0) continue;
    // Storages are raw numbers read by torch, never unpickled: checked against their references only.
    if (isTorch && e.name.startsWith(`${prefix}data/`) && !e.name.endsWith('.pkl')) continue;
    try {
      const body = memberSource(node, c, e, where(e));
      if (!body) continue;
      checkCrc(body, c, e, where(e));
      const member = childMember(node, e.name);
      if (isTorch && e.name.startsWith(`${prefix}code/`)) {
        checkTorchScript(body, c, member, e.name);
        continue;
      }
      if (isTorch && (e.name === `${prefix}data.pkl` || e.name === `${prefix}constants.pkl`)) {
        const run = runPickle({ src: body, name: e.name, member, depth: node.depth + 1 }, c, {
          persistent: 'torch',
          strong: true,
        });
        if (e.name === `${prefix}data.pkl`) checkStorages(run.storages, storages, c, member);
        if (run.trailingAt !== undefined) {
          c.add(
            'AG-MODEL-PICKLE-TRAILING-DATA',
            'medium',
            'Data after the pickle in a PyTorch archive',
            `bytes after STOP at ${hex(run.trailingAt)} in ${e.name}`,
            { member, offset: run.trailingAt },
          );
        }
        continue;
      }
      // Keras weight files are HDF5 datasets read by h5py: data, not code.
      if (isKeras && e.name.endsWith('.weights.h5')) continue;
      if (isKeras && e.name === 'config.json') {
        checkKerasConfig(body, c, member);
        continue;
      }
      const folder = e.name.slice(0, e.name.lastIndexOf('/') + 1);
      const siblings: SiblingLookup = (name) => {
        const entry = byName.get(`${folder}${name}`);
        if (!entry) return undefined;
        const src = memberSource(node, c, entry, where(entry));
        return src ? { src, member: childMember(node, entry.name) } : undefined;
      };
      recurse(
        {
          src: body,
          name: e.name,
          member,
          depth: node.depth + 1,
          pickleExpected: PICKLE_NAMES.test(e.name),
          siblings,
        },
        c,
      );
    } catch (error) {
      // A streamed member whose deflate data breaks mid-way, or the byte budget running out while decoding it.
      if (!(error instanceof InflateError)) throw error;
      c.inconclusiveBecause(`member "${e.name}" does not inflate: ${error.message}`, where(e, e.localOffset));
    }
  }
  if (isTorch) {
    return dir.entries.some((e) => e.name.startsWith(`${prefix}code/`)) ? 'torchscript' : 'pytorch-zip';
  }
  if (isKeras) return 'keras';
  if (isNpz) return 'npz';
  return 'zip';
}

function structure(
  node: ScanNode,
  c: Collector,
  dir: ZipDirectory,
  where: (e: ZipEntry | undefined, offset?: number) => { member: string | undefined; offset?: number },
): void {
  const seen = new Map<string, ZipEntry>();
  for (const e of dir.entries) {
    const prior = seen.get(e.name);
    if (prior) {
      c.add(
        'AG-MODEL-ZIP-DUPLICATE',
        'high',
        'Duplicate member name',
        `"${e.name}" appears twice (entries ${String(prior.index)} and ${String(e.index)}); zip readers disagree on which copy wins`,
        where(e, e.localOffset),
      );
    }
    seen.set(e.name, e);
    const bad = badPath(e.name);
    if (bad)
      c.add(
        'AG-MODEL-ZIP-PATH',
        'high',
        'Unsafe member path (zip slip)',
        `member name "${e.name}" ${bad}`,
        where(e, e.localOffset),
      );
    if (isSymlink(e))
      c.add(
        'AG-MODEL-ZIP-PATH',
        'high',
        'Symbolic link in archive',
        `"${e.name}" is a symlink; extracting it can redirect later writes outside the target directory`,
        where(e, e.localOffset),
      );
    if (e.dataStart === undefined) {
      c.add(
        'AG-MODEL-ZIP-STRUCTURE',
        'medium',
        'Missing or broken local header',
        `central directory points at ${hex(e.localOffset)} but no valid local header is there`,
        where(e, e.localOffset),
      );
      c.inconclusive = true;
      continue;
    }
    if (e.localName !== undefined && e.localName !== e.name) {
      c.add(
        'AG-MODEL-ZIP-STRUCTURE',
        'medium',
        'Local and central names differ',
        `central directory says "${e.name}", local header says "${e.localName}" (readers differ on which to trust)`,
        where(e, e.localOffset),
        { refs: ['CVE-2025-1944'] },
      );
    }
    if (e.localMethod !== undefined && e.localMethod !== e.method) {
      c.add(
        'AG-MODEL-ZIP-STRUCTURE',
        'medium',
        'Local and central compression methods differ',
        `central ${String(e.method)} vs local ${String(e.localMethod)}`,
        where(e, e.localOffset),
      );
    }
    if (e.dataStart + e.compressedSize > dir.cdStart && e.compressedSize > 0) {
      c.add(
        'AG-MODEL-ZIP-OVERLAP',
        'high',
        'Member data runs into the central directory',
        `member data ends at ${hex(e.dataStart + e.compressedSize)}, after the directory start ${hex(dir.cdStart)}`,
        where(e, e.localOffset),
      );
    }
  }
  const byOffset = [...dir.entries]
    .filter((e) => e.dataStart !== undefined)
    .sort((a, b) => a.localOffset - b.localOffset);
  for (let i = 1; i < byOffset.length; i++) {
    const a = byOffset[i - 1];
    const b = byOffset[i];
    if (!a || !b) continue;
    const aEnd = (a.dataStart ?? a.localOffset) + a.compressedSize;
    if (b.localOffset < aEnd) {
      c.add(
        'AG-MODEL-ZIP-OVERLAP',
        'high',
        'Overlapping archive members',
        `"${b.name}" starts at ${hex(b.localOffset)} inside "${a.name}" (ends ${hex(aEnd)}): overlapping entries build non-recursive zip bombs and parser differentials`,
        where(b, b.localOffset),
      );
    }
  }
  const firstLocal = byOffset[0]?.localOffset ?? dir.cdStart;
  if (firstLocal > 0 && node.as !== 'zip') {
    const head = node.src.read(0, 2);
    const pickleFirst = head[0] === 0x80 && (head[1] ?? 9) <= 5;
    c.add(
      'AG-MODEL-POLYGLOT',
      pickleFirst ? 'high' : 'medium',
      'Data before the zip archive',
      `${String(firstLocal)} bytes precede the first member${pickleFirst ? ' and they start like a pickle' : ''}: the file is read differently by zip readers and by other loaders`,
      where(undefined, 0),
    );
  }
  if (dir.after > 0) {
    c.add(
      'AG-MODEL-ZIP-STRUCTURE',
      'medium',
      'Data after the zip archive',
      `${String(dir.after)} bytes follow the end-of-central-directory record`,
      where(undefined, dir.eocd),
    );
  }
}

/** The member's bytes: a window of the file when stored, or inflated within the budgets. */
function memberSource(
  node: ScanNode,
  c: Collector,
  e: ZipEntry,
  at: { member: string | undefined },
): ByteSource | undefined {
  if (e.dataStart === undefined) return undefined;
  const start = e.dataStart;
  const encrypted = (e.flags & 0x1) !== 0 || (e.localFlags !== undefined && (e.localFlags & 0x1) !== 0);
  const modelish = /\.(pkl|pickle|pt|pth|bin|ckpt|npy|joblib)$|(^|\/)data\.pkl$/i.test(e.name);
  if (start + e.compressedSize > node.src.size) {
    c.inconclusiveBecause(`member data runs past the end of the archive`, { ...at, offset: e.localOffset });
    return undefined;
  }
  if (e.method === 0) {
    if (e.size !== e.compressedSize && !encrypted) {
      c.add(
        'AG-MODEL-ZIP-STRUCTURE',
        'medium',
        'Stored member with two different sizes',
        `stored member declares ${String(e.compressedSize)} bytes compressed and ${String(e.size)} uncompressed`,
        { ...at, offset: e.localOffset },
      );
    }
    const body = new SliceSource(node.src, start, e.compressedSize);
    if (encrypted) return flagEncrypted(c, e, at, body, modelish);
    return body;
  }
  if (encrypted) {
    if (modelish)
      c.inconclusiveBecause(`member "${e.name}" is encrypted: its content cannot be checked`, {
        ...at,
        offset: e.localOffset,
      });
    else
      c.add(
        'AG-MODEL-ZIP-FLAGS',
        'low',
        'Encrypted archive member',
        `"${e.name}" is encrypted and was not inspected; it is not a model file by name`,
        { ...at, offset: e.localOffset },
      );
    return undefined;
  }
  if (e.method !== 8) {
    c.inconclusiveBecause(
      `member "${e.name}" uses compression method ${String(e.method)}, which the scanner does not decode`,
      { ...at, offset: e.localOffset },
    );
    return undefined;
  }
  const ratio = e.compressedSize > 0 ? e.size / e.compressedSize : e.size;
  if (ratio > c.budget.maxRatio && e.size > 16 * 1024 * 1024) {
    c.add(
      'AG-MODEL-ZIP-BOMB',
      'medium',
      'Zip bomb',
      `"${e.name}" declares ${String(e.size)} bytes from ${String(e.compressedSize)} (ratio ${ratio.toFixed(0)}:1)`,
      { ...at, offset: e.localOffset },
    );
    c.inconclusiveBecause(
      `member "${e.name}" exceeds the decompression ratio budget and was not decompressed`,
      { ...at, offset: e.localOffset },
    );
    return undefined;
  }
  // Large members are decoded on demand with flat memory; every byte still counts against the file's budget.
  if (e.size > c.budget.streamInflateAbove && e.size <= c.budget.maxInflatedTotal - c.budget.inflated) {
    return new InflateSource(new SliceSource(node.src, start, e.compressedSize), e.size, (n) => {
      c.budget.inflated += n;
      if (c.budget.inflated > c.budget.maxInflatedTotal)
        throw new InflateError('the decompression byte budget of the file is exhausted');
    });
  }
  const cap = Math.min(c.budget.maxMemberInflate, c.budget.maxInflatedTotal - c.budget.inflated);
  if (e.size > cap || e.compressedSize > c.budget.maxMemberInflate) {
    c.add(
      'AG-MODEL-ZIP-BOMB',
      'low',
      'Member larger than the decompression budget',
      `"${e.name}" declares ${String(e.size)} bytes; budget left ${String(Math.max(0, cap))}`,
      { ...at, offset: e.localOffset },
    );
    c.inconclusiveBecause(`member "${e.name}" exceeds the decompression byte budget`, {
      ...at,
      offset: e.localOffset,
    });
    return undefined;
  }
  const compressed = node.src.read(start, e.compressedSize).slice();
  let out: Buffer;
  try {
    out = inflateRawSync(compressed, { maxOutputLength: Math.max(1, Math.min(cap, e.size + 1)) });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
      overInflated(c, e, at, 'decompression stopped');
    } else {
      c.inconclusiveBecause(
        `member "${e.name}" does not inflate: ${error instanceof Error ? error.message : String(error)}`,
        { ...at, offset: e.localOffset },
      );
    }
    return undefined;
  }
  c.budget.inflated += out.length;
  if (out.length !== e.size) {
    c.add(
      'AG-MODEL-ZIP-STRUCTURE',
      'medium',
      'Member size differs from its header',
      `"${e.name}" inflates to ${String(out.length)} bytes, header says ${String(e.size)}`,
      { ...at, offset: e.localOffset },
    );
  }
  return new BufferSource(out);
}

/** Stored members up to this size are CRC-checked; deflated ones always (streamed ones within the byte budget). */
const CRC_STORED_MAX = 256 * 1024 * 1024;

/** A member that inflates past its declared size: a zip-bomb finding, and the file is inconclusive. */
function overInflated(c: Collector, e: ZipEntry, at: { member: string | undefined }, outcome: string): void {
  c.add(
    'AG-MODEL-ZIP-BOMB',
    'medium',
    'Member inflates past its declared size',
    `"${e.name}" produces more than the ${String(e.size)} bytes it declares`,
    { ...at, offset: e.localOffset },
  );
  c.inconclusiveBecause(`member "${e.name}" inflates past its declared size; ${outcome}`, {
    ...at,
    offset: e.localOffset,
  });
}

/**
 * A CRC that does not match: Python's zipfile raises BadZipFile (so Python scanners skip or error out) while
 * PyTorch's reader loads the member without checking. The member is scanned all the same.
 */
function checkCrc(body: ByteSource, c: Collector, e: ZipEntry, at: { member: string | undefined }): void {
  if ((body.size > CRC_STORED_MAX && !(body instanceof InflateSource)) || (e.flags & 0x1) !== 0) return;
  let crc = 0;
  let length = 0;
  for (let off = 0; off < body.size; off += 1024 * 1024) {
    const piece = body.read(off, 1024 * 1024);
    crc = crc32(piece, crc);
    length += piece.length;
    if (piece.length === 0) break;
  }
  if (body instanceof InflateSource && length === e.size && body.overruns()) {
    overInflated(c, e, at, 'the rest was not scanned');
  }
  if (body instanceof InflateSource && length !== e.size) {
    c.add(
      'AG-MODEL-ZIP-STRUCTURE',
      'medium',
      'Member size differs from its header',
      `"${e.name}" inflates to ${String(length)} bytes, header says ${String(e.size)}`,
      { ...at, offset: e.localOffset },
    );
  }
  if (crc >>> 0 !== e.crc >>> 0) {
    c.add(
      'AG-MODEL-ZIP-STRUCTURE',
      'medium',
      'CRC-32 does not match the member',
      `"${e.name}" declares CRC ${hex(e.crc >>> 0)} but its bytes give ${hex(crc >>> 0)}: Python's zipfile refuses the member (scanners built on it skip it) while PyTorch loads it`,
      { ...at, offset: e.localOffset },
      { refs: ['CVE-2025-10156'] },
    );
  }
}

function flagEncrypted(
  c: Collector,
  e: ZipEntry,
  at: { member: string | undefined },
  body: ByteSource,
  modelish: boolean,
): ByteSource | undefined {
  const head = body.read(0, 2);
  const plainPickle = head[0] === 0x80 && (head[1] ?? 9) <= 5;
  if (plainPickle) {
    c.add(
      'AG-MODEL-ZIP-FLAGS',
      'medium',
      'Encryption flag on a plaintext member',
      `"${e.name}" is marked encrypted but holds a plain pickle: PyTorch ignores the flag and loads it, some scanners skip it`,
      { ...at, offset: e.localOffset },
      { refs: ['CVE-2025-1945'] },
    );
    return body;
  }
  if (modelish) {
    c.inconclusiveBecause(`member "${e.name}" is encrypted: its content cannot be checked`, {
      ...at,
      offset: e.localOffset,
    });
  } else {
    c.add(
      'AG-MODEL-ZIP-FLAGS',
      'low',
      'Encrypted archive member',
      `"${e.name}" is encrypted and was not inspected; it is not a model file by name`,
      { ...at, offset: e.localOffset },
    );
  }
  return undefined;
}
