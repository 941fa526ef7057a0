// A fast reader for the regular, machine-written TOML of lock files (uv.lock, poetry.lock, pdm.lock).
// It accepts a strict subset of TOML — table and array-of-table headers with bare dotted keys, bare or
// simple quoted keys, basic and literal one-line strings, decimal integers, booleans, arrays and one-line
// inline tables — and builds the same value a full TOML parser would. Anything outside the subset (dates,
// floats, multi-line strings, dotted keys, CRLF, redefinitions, odd spacing) makes it give up, and the
// caller parses the file with the full parser instead, which also produces the error messages. So this
// path is only ever a shortcut: a differential fuzz test holds it to the full parser's results.

/** Internal signal: the text is outside the subset (not necessarily invalid TOML). */
class Unsupported extends Error {}

const MAX_DEPTH = 32;
const BARE_KEY = /[A-Za-z0-9_-]+/y;
const HEADER_KEY = /[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*/y;
const INTEGER = /0|-?[1-9][0-9]{0,14}/y;
const PLAIN_STRING = /[^"\\\n]*/y;
const LITERAL_STRING = /[^'\n]*/y;
// eslint-disable-next-line no-control-regex -- TOML forbids raw control characters (tab and newline aside)
const FORBIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f\ufeff]/;

type Table = Record<string, unknown>;

// Plain objects (fast properties): `__proto__` keys are refused, and lookups use own properties only.
function table(): Table {
  return {};
}

function own(t: Table, key: string): unknown {
  return Object.hasOwn(t, key) ? t[key] : undefined;
}

export interface LockToml {
  doc: Record<string, unknown>;
  /** 1-based lines of the top-level `[[<name>]]` headers, in order. */
  headerLines: number[];
}

class Reader {
  p = 0;
  line = 1;
  readonly root = table();
  /** Tables a `[header]` defined; implicit ones a longer header created on the way. */
  private readonly defined = new WeakSet<object>();
  private readonly implicit = new WeakSet<object>();
  /** Arrays created by `[[header]]` (others are values and cannot be extended). */
  private readonly tableArrays = new WeakSet<object>();
  readonly headerLines: number[] = [];

  constructor(
    private readonly s: string,
    private readonly arrayName: string,
  ) {}

  run(): void {
    let current = this.root;
    const s = this.s;
    while (this.p < s.length) {
      this.spaces();
      const c = s.charCodeAt(this.p);
      if (c === 10) {
        this.p++;
        this.line++;
      } else if (c === 35) {
        this.endOfLine();
      } else if (c === 91) {
        current = this.header();
      } else if (Number.isNaN(c)) {
        break;
      } else {
        const key = this.key();
        this.spaces();
        if (s.charCodeAt(this.p) !== 61) throw new Unsupported();
        this.p++;
        this.spaces();
        const value = this.value(0);
        this.set(current, key, value);
        this.endOfLine();
      }
    }
  }

  private spaces(): void {
    const s = this.s;
    let c = s.charCodeAt(this.p);
    while (c === 32 || c === 9) c = s.charCodeAt(++this.p);
  }

  /** Optional spaces and comment, then a newline or the end of the text. */
  private endOfLine(): void {
    this.spaces();
    const s = this.s;
    if (s.charCodeAt(this.p) === 35) {
      const nl = s.indexOf('\n', this.p);
      this.p = nl === -1 ? s.length : nl;
    }
    if (this.p >= s.length) return;
    if (s.charCodeAt(this.p) !== 10) throw new Unsupported();
    this.p++;
    this.line++;
  }

  private set(target: Table, key: string, value: unknown): void {
    if (key === '__proto__' || Object.hasOwn(target, key)) throw new Unsupported();
    target[key] = value;
  }

  private header(): Table {
    const s = this.s;
    const array = s.charCodeAt(this.p + 1) === 91;
    const line = this.line;
    this.p += array ? 2 : 1;
    HEADER_KEY.lastIndex = this.p;
    const m = HEADER_KEY.exec(s);
    if (m === null) throw new Unsupported();
    this.p = HEADER_KEY.lastIndex;
    if (s.charCodeAt(this.p) !== 93 || (array && s.charCodeAt(this.p + 1) !== 93)) throw new Unsupported();
    this.p += array ? 2 : 1;
    const path = m[0].split('.');
    let t = this.root;
    for (let i = 0; i < path.length - 1; i++) t = this.descend(t, path[i] ?? '');
    const last = path[path.length - 1] ?? '';
    if (last === '__proto__') throw new Unsupported();
    let result: Table;
    if (array) {
      let list = own(t, last);
      if (list === undefined) {
        list = [];
        this.tableArrays.add(list as object);
        t[last] = list;
      } else if (!Array.isArray(list) || !this.tableArrays.has(list)) {
        throw new Unsupported();
      }
      result = table();
      this.defined.add(result);
      (list as unknown[]).push(result);
      if (path.length === 1 && last === this.arrayName) this.headerLines.push(line);
    } else {
      const existing = own(t, last);
      if (existing === undefined) {
        result = table();
        t[last] = result;
      } else if (typeof existing === 'object' && existing !== null && this.implicit.has(existing)) {
        this.implicit.delete(existing);
        result = existing as Table;
      } else {
        throw new Unsupported();
      }
      this.defined.add(result);
    }
    this.endOfLine();
    return result;
  }

  /** One step of a header path: into a header-made table, or the last table of a `[[...]]` array. */
  private descend(t: Table, key: string): Table {
    if (key === '__proto__') throw new Unsupported();
    const next = own(t, key);
    if (next === undefined) {
      const made = table();
      this.implicit.add(made);
      t[key] = made;
      return made;
    }
    if (Array.isArray(next) && this.tableArrays.has(next)) {
      const tail: unknown = next[next.length - 1];
      if (typeof tail === 'object' && tail !== null) return tail as Table;
      throw new Unsupported();
    }
    if (typeof next === 'object' && next !== null && (this.defined.has(next) || this.implicit.has(next)))
      return next as Table;
    throw new Unsupported();
  }

  private key(): string {
    const s = this.s;
    if (s.charCodeAt(this.p) === 34) {
      const key = this.basicString();
      if (s.charCodeAt(this.p) === 46) throw new Unsupported();
      return key;
    }
    BARE_KEY.lastIndex = this.p;
    const m = BARE_KEY.exec(s);
    if (m === null) throw new Unsupported();
    this.p = BARE_KEY.lastIndex;
    const after = s.charCodeAt(this.p);
    // Dotted keys (and spaces before a dot) are left to the full parser.
    if (after === 46) throw new Unsupported();
    return m[0];
  }

  private value(depth: number): unknown {
    if (depth > MAX_DEPTH) throw new Unsupported();
    const s = this.s;
    const c = s.charCodeAt(this.p);
    if (c === 34) {
      if (s.startsWith('"""', this.p)) throw new Unsupported();
      return this.basicString();
    }
    if (c === 39) {
      if (s.startsWith("'''", this.p)) throw new Unsupported();
      const start = this.p + 1;
      LITERAL_STRING.lastIndex = start;
      LITERAL_STRING.exec(s);
      const end = LITERAL_STRING.lastIndex;
      if (s.charCodeAt(end) !== 39) throw new Unsupported();
      this.p = end + 1;
      return s.slice(start, end);
    }
    if (c === 91) return this.array(depth);
    if (c === 123) return this.inlineTable(depth);
    if (s.startsWith('true', this.p)) {
      this.p += 4;
      this.delimiter();
      return true;
    }
    if (s.startsWith('false', this.p)) {
      this.p += 5;
      this.delimiter();
      return false;
    }
    INTEGER.lastIndex = this.p;
    const m = INTEGER.exec(s);
    if (m === null) throw new Unsupported();
    this.p = INTEGER.lastIndex;
    this.delimiter();
    return Number(m[0]);
  }

  /** After a bare value: whitespace, a separator, a comment or the end (else: a float, date, ...). */
  private delimiter(): void {
    const c = this.s.charCodeAt(this.p);
    if (!(
      Number.isNaN(c) ||
      c === 32 ||
      c === 9 ||
      c === 10 ||
      c === 44 ||
      c === 93 ||
      c === 125 ||
      c === 35
    ))
      throw new Unsupported();
  }

  private basicString(): string {
    const s = this.s;
    let out = '';
    let p = this.p + 1;
    for (;;) {
      PLAIN_STRING.lastIndex = p;
      PLAIN_STRING.exec(s);
      const end = PLAIN_STRING.lastIndex;
      out += s.slice(p, end);
      const c = s.charCodeAt(end);
      if (c === 34) {
        this.p = end + 1;
        return out;
      }
      if (c !== 92) throw new Unsupported();
      const e = s.charCodeAt(end + 1);
      p = end + 2;
      if (e === 34) out += '"';
      else if (e === 92) out += '\\';
      else if (e === 110) out += '\n';
      else if (e === 116) out += '\t';
      else if (e === 114) out += '\r';
      else if (e === 98) out += '\b';
      else if (e === 102) out += '\f';
      else if (e === 117 || e === 85) {
        const len = e === 117 ? 4 : 8;
        const hex = s.slice(p, p + len);
        if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== len) throw new Unsupported();
        const code = Number.parseInt(hex, 16);
        if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw new Unsupported();
        out += String.fromCodePoint(code);
        p += len;
      } else throw new Unsupported();
    }
  }

  /** Spaces, newlines and comments inside an array. */
  private gap(): void {
    const s = this.s;
    for (;;) {
      const c = s.charCodeAt(this.p);
      if (c === 32 || c === 9) this.p++;
      else if (c === 10) {
        this.p++;
        this.line++;
      } else if (c === 35) {
        const nl = s.indexOf('\n', this.p);
        this.p = nl === -1 ? s.length : nl;
      } else return;
    }
  }

  private array(depth: number): unknown[] {
    const s = this.s;
    const out: unknown[] = [];
    this.p++;
    this.gap();
    while (s.charCodeAt(this.p) !== 93) {
      out.push(this.value(depth + 1));
      this.gap();
      const c = s.charCodeAt(this.p);
      if (c === 44) {
        this.p++;
        this.gap();
      } else if (c !== 93) throw new Unsupported();
    }
    this.p++;
    return out;
  }

  private inlineTable(depth: number): Table {
    const s = this.s;
    const out = table();
    this.p++;
    this.spaces();
    if (s.charCodeAt(this.p) === 125) {
      this.p++;
      return out;
    }
    for (;;) {
      const key = this.key();
      this.spaces();
      if (s.charCodeAt(this.p) !== 61) throw new Unsupported();
      this.p++;
      this.spaces();
      this.set(out, key, this.value(depth + 1));
      this.spaces();
      const c = s.charCodeAt(this.p);
      this.p++;
      if (c === 125) return out;
      if (c !== 44) throw new Unsupported();
      this.spaces();
      // A trailing comma is TOML 1.1 only: left to the full parser.
      if (s.charCodeAt(this.p) === 125) throw new Unsupported();
    }
  }
}

/**
 * Parses `text` when it stays within the lock-file subset; undefined means "use the full TOML parser"
 * (the text may be valid TOML the subset does not cover, or invalid).
 */
export function parseLockToml(text: string, arrayName: string): LockToml | undefined {
  if (FORBIDDEN.test(text) || text.includes('\r')) return undefined;
  const reader = new Reader(text, arrayName);
  try {
    reader.run();
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
  return { doc: reader.root, headerLines: reader.headerLines };
}
