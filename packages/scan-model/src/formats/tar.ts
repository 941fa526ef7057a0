import type { Collector } from '../scan/collector.js';
import { childMember, hex, type Recurse, type ScanNode } from '../scan/node.js';
import { SliceSource } from '../source/byte-source.js';

function field(b: Uint8Array, at: number, len: number): string {
  const s = b.subarray(at, at + len);
  const nul = s.indexOf(0);
  return Buffer.from(nul < 0 ? s : s.subarray(0, nul)).toString('utf8');
}

function octal(b: Uint8Array, at: number, len: number): number | undefined {
  if (((b[at] ?? 0) & 0x80) !== 0) {
    let v = 0;
    for (let i = at + 1; i < at + len; i++) v = v * 256 + (b[i] ?? 0);
    return Number.isSafeInteger(v) ? v : undefined;
  }
  const t = field(b, at, len).trim();
  if (t === '') return 0;
  return /^[0-7]+$/.test(t) ? parseInt(t, 8) : undefined;
}

/** ustar / pax / GNU tar: member paths and links checked, regular files scanned in place. */
export function scanTar(node: ScanNode, c: Collector, recurse: Recurse): string {
  let pos = 0;
  let longName: string | undefined;
  let paxPath: string | undefined;
  const seen = new Set<string>();
  while (pos + 512 <= node.src.size) {
    const h = node.src.read(pos, 512).slice();
    if (h.every((b) => b === 0)) break;
    if (c.outOfTime()) {
      c.inconclusiveBecause('time budget exhausted inside a tar archive', {
        member: node.member,
        offset: pos,
      });
      break;
    }
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : (h[i] ?? 0);
    const size = octal(h, 124, 12);
    if (size === undefined || octal(h, 148, 8) !== sum) {
      c.inconclusiveBecause(`tar header at ${hex(pos)} is corrupt`, { member: node.member, offset: pos });
      break;
    }
    if (++c.budget.entries > c.budget.maxEntries) {
      c.inconclusiveBecause('archive entry budget exhausted', { member: node.member, offset: pos });
      break;
    }
    const type = String.fromCharCode(h[156] ?? 0);
    const prefix = field(h, 345, 155);
    let name = longName ?? paxPath ?? (prefix ? `${prefix}/${field(h, 0, 100)}` : field(h, 0, 100));
    longName = undefined;
    paxPath = undefined;
    const dataStart = pos + 512;
    if (dataStart + size > node.src.size) {
      c.inconclusiveBecause(`tar member "${name}" runs past the end of the archive`, {
        member: node.member,
        offset: pos,
      });
      break;
    }
    const body = new SliceSource(node.src, dataStart, size);
    if (type === 'L') longName = field(body.read(0, Math.min(size, 65536)).slice(), 0, size);
    else if (type === 'x') {
      const text = Buffer.from(body.read(0, Math.min(size, 1 << 20))).toString('utf8');
      const m = /\d+ path=([^\n]*)\n/.exec(text);
      if (m) paxPath = m[1];
    } else if (type !== 'g') {
      name = name.replace(/^\.\//, '');
      const member = childMember(node, name);
      if (name.startsWith('/') || name.split('/').includes('..')) {
        c.add(
          'AG-MODEL-ZIP-PATH',
          'high',
          'Unsafe member path (tar slip)',
          `tar member "${name}" escapes the extraction directory`,
          { member, offset: pos },
        );
      }
      if (seen.has(name))
        c.add(
          'AG-MODEL-ZIP-DUPLICATE',
          'high',
          'Duplicate member name',
          `"${name}" appears twice in the tar archive`,
          { member, offset: pos },
        );
      seen.add(name);
      if (type === '1' || type === '2') {
        const target = field(h, 157, 100);
        c.add(
          'AG-MODEL-ZIP-PATH',
          target.startsWith('/') || target.split('/').includes('..') ? 'high' : 'medium',
          'Link in tar archive',
          `"${name}" is a ${type === '2' ? 'symbolic' : 'hard'} link to "${target}"`,
          { member, offset: pos },
        );
      } else if (type === '0' || type === '\0' || type === '7') {
        recurse({ src: body, name, member, depth: node.depth + 1 }, c);
      }
    }
    pos = dataStart + Math.ceil(size / 512) * 512;
  }
  return 'tar';
}
