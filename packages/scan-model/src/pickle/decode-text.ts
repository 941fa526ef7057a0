// Decoders for the text operands of protocol-0 opcodes, following CPython's unpickler.

const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** UTF-8 with surrogates allowed (CPython's "surrogatepass"); invalid bytes become U+FFFD. */
export function decodeUtf8Lenient(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

export function decodeLatin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** `raw-unicode-escape`: only \uXXXX and \UXXXXXXXX are escapes; other bytes are Latin-1. */
export function decodeRawUnicodeEscape(bytes: Uint8Array): string {
  const s = latin1.decode(bytes);
  return s.replace(
    /\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g,
    (_m, a: string | undefined, b: string | undefined) => {
      const code = parseInt(a ?? b ?? '0', 16);
      return code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
    },
  );
}

const SIMPLE: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '\n': '',
};

/**
 * The STRING opcode: a quoted Python 2 string literal (quotes required), unescaped like
 * `codecs.escape_decode`. Returns undefined when CPython would reject it.
 */
export function decodeStringLiteral(bytes: Uint8Array): string | undefined {
  const s = latin1.decode(bytes);
  if (s.length < 2) return undefined;
  const q = s[0];
  if ((q !== "'" && q !== '"') || s[s.length - 1] !== q) return undefined;
  const body = s.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i] ?? '';
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = body[i + 1];
    if (n === undefined) return undefined;
    const simple = SIMPLE[n];
    if (simple !== undefined) {
      out += simple;
      i++;
    } else if (n === 'x') {
      const hex = body.slice(i + 2, i + 4);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined;
      out += String.fromCharCode(parseInt(hex, 16));
      i += 3;
    } else if (/[0-7]/.test(n)) {
      const m = /^[0-7]{1,3}/.exec(body.slice(i + 1)) ?? ['0'];
      out += String.fromCharCode(parseInt(m[0], 8) & 0xff);
      i += m[0].length;
    } else {
      out += `\\${n}`;
      i++;
    }
  }
  return out;
}

/** Python's int() on an INT/LONG operand (surrounding whitespace, sign, underscores, trailing L for LONG). */
export function parsePyInt(text: string): bigint | undefined {
  const t = text.trim().replace(/L$/, '');
  if (!/^[+-]?\d+(_\d+)*$/.test(t)) return undefined;
  try {
    return BigInt(t.replace(/_/g, ''));
  } catch {
    return undefined;
  }
}

export function parsePyFloat(text: string): boolean {
  const t = text.trim().toLowerCase();
  return /^[+-]?((\d+(_\d+)*)?\.?\d*(e[+-]?\d+)?|inf|infinity|nan)$/.test(t) && t !== '' && t !== '.';
}
