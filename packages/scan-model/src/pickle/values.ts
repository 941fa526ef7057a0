import type { GlobalKind } from '../policy/allow-profiles.js';

/**
 * Symbolic values on the pickle VM's stack and memo. Nothing is ever built for real: values keep just
 * enough to resolve imports, see what is called with what, and print a pseudo-Python line.
 */
export type Val =
  | { readonly t: 'str'; readonly v: string; readonly len: number }
  | { readonly t: 'bytes'; readonly head: Uint8Array; readonly len: number; readonly off: number }
  | { readonly t: 'int'; readonly v: number | bigint }
  | { readonly t: 'float' }
  | { readonly t: 'bool'; readonly v: boolean }
  | { readonly t: 'none' }
  | { readonly t: 'tuple'; readonly items: readonly Val[]; readonly count: number }
  | { t: 'list'; items: Val[]; count: number }
  | { t: 'dict'; entries: Array<readonly [Val, Val]>; count: number }
  | { t: 'set'; count: number; frozen: boolean }
  | {
      readonly t: 'global';
      readonly full: string;
      readonly allowed: boolean;
      readonly kind: GlobalKind | undefined;
      readonly off: number;
    }
  | {
      readonly t: 'call';
      readonly fn: Val;
      readonly args: Val;
      readonly kind: 'reduce' | 'newobj' | 'obj' | 'inst';
      readonly off: number;
      built?: Val;
    }
  | { readonly t: 'persid'; readonly pid: Val }
  | { readonly t: 'ext'; readonly code: number }
  | { readonly t: 'buffer' };

/**
 * A str operand of at most 12 bytes that are Latin-1 (BINSTRING) or ASCII (BINUNICODE), kept as its bytes
 * packed in three words; the text is built the first time anything reads `v` (most strings of a large dict
 * are dropped unread). Exact by construction: `v` is what decoding the operand at once would give.
 */
export class PackedStr {
  readonly t = 'str' as const;
  private text: string | undefined;
  constructor(
    readonly len: number,
    private readonly w0: number,
    private readonly w1: number,
    private readonly w2: number,
  ) {}
  /** The first character code (one character per byte here), or NaN for the empty string. */
  get first(): number {
    return this.len > 0 ? this.w0 & 0xff : Number.NaN;
  }
  get v(): string {
    if (this.text === undefined) {
      let out = '';
      for (let k = 0; k < this.len; k++) {
        const w = k < 4 ? this.w0 : k < 8 ? this.w1 : this.w2;
        out += String.fromCharCode((w >>> ((k & 3) << 3)) & 0xff);
      }
      this.text = out;
    }
    return this.text;
  }
}

/** Items kept per container for display and inspection; the count is still exact. */
export const KEEP_ITEMS = 32;

export const NONE: Val = { t: 'none' };
export const FLOAT: Val = { t: 'float' };
export const TRUE: Val = { t: 'bool', v: true };
export const FALSE: Val = { t: 'bool', v: false };
export const BUFFER: Val = { t: 'buffer' };

export function pushItem(list: Val[], item: Val): void {
  if (list.length < KEEP_ITEMS) list.push(item);
}

function quote(text: string, max: number): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return `'${cut.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}

function bytesRepr(head: Uint8Array, len: number): string {
  let out = "b'";
  const n = Math.min(head.length, 24);
  for (let i = 0; i < n; i++) {
    const b = head[i] ?? 0;
    out +=
      b >= 0x20 && b < 0x7f && b !== 0x27 && b !== 0x5c
        ? String.fromCharCode(b)
        : `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return `${out}${len > n ? '…' : ''}'`;
}

/** Pseudo-Python for a value, bounded in depth and length. */
export function pseudo(val: Val, depth = 0): string {
  if (depth > 6) return '…';
  const d = depth + 1;
  switch (val.t) {
    case 'str':
      return quote(val.v, 80);
    case 'bytes':
      return bytesRepr(val.head, val.len);
    case 'int':
      return String(val.v);
    case 'float':
      return '<float>';
    case 'bool':
      return val.v ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'tuple': {
      const inner = val.items.map((v) => pseudo(v, d));
      if (val.count > val.items.length) inner.push('…');
      return inner.length === 1 ? `(${inner[0] ?? ''},)` : `(${inner.join(', ')})`;
    }
    case 'list': {
      const inner = val.items.map((v) => pseudo(v, d));
      if (val.count > val.items.length) inner.push('…');
      return `[${inner.join(', ')}]`;
    }
    case 'dict': {
      const inner = val.entries.map(([k, v]) => `${pseudo(k, d)}: ${pseudo(v, d)}`);
      if (val.count > val.entries.length) inner.push('…');
      return `{${inner.join(', ')}}`;
    }
    case 'set':
      return val.frozen ? 'frozenset(…)' : '{…}';
    case 'global':
      return val.full;
    case 'call': {
      const args =
        val.args.t === 'tuple'
          ? val.args.items.map((v) => pseudo(v, d)).join(', ')
          : `*${pseudo(val.args, d)}`;
      const call = `${pseudo(val.fn, d)}(${args})`;
      return val.built ? `${call}.__setstate__(${pseudo(val.built, d)})` : call;
    }
    case 'persid':
      return `persistent_load(${pseudo(val.pid, d)})`;
    case 'ext':
      return `copyreg._extension_registry[${String(val.code)}]`;
    case 'buffer':
      return '<out-of-band buffer>';
  }
}

/** The byte content of a constant (str as UTF-8), or undefined. Only the kept head for large bytes. */
export function constBytes(val: Val): Uint8Array | undefined {
  if (val.t === 'bytes') return val.head;
  if (val.t === 'str') return new TextEncoder().encode(val.v);
  return undefined;
}
