import type { Collector } from '../scan/collector.js';
import type { ScanNode } from '../scan/node.js';
import { parseStrictJson, type JsonValue } from './strict-json.js';

const DTYPE_SIZE: Readonly<Record<string, number>> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  F8_E8M0: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  I64: 8,
  U64: 8,
  F64: 8,
  C64: 8,
};
const MAX_HEADER = 100 * 1024 * 1024;
const CODE_LIKE = /\b(import|eval|exec|__\w+__|subprocess|os\.system|lambda)\b/;

/** safetensors: strict header validation (the data itself is never code). */
export function scanSafetensors(node: ScanNode, c: Collector): string {
  const where = { member: node.member, offset: 8 };
  const bad = (msg: string): string => {
    c.add('AG-MODEL-SAFETENSORS-HEADER', 'medium', 'Invalid safetensors header', msg, where);
    return 'safetensors';
  };
  const lenBytes = node.src.read(0, 8).slice();
  const n = Number(new DataView(lenBytes.buffer).getBigUint64(0, true));
  if (n > MAX_HEADER) return bad(`header length ${String(n)} exceeds 100 MB`);
  if (8 + n > node.src.size) return bad(`header length ${String(n)} runs past the end of the file`);
  const text = Buffer.from(node.src.read(8, n)).toString('utf8');
  const parsed = parseStrictJson(text.replace(/ +$/, ''));
  if (typeof parsed === 'string') return bad(`header is not strict JSON: ${parsed}`);
  if (parsed.duplicates.length > 0) {
    c.add(
      'AG-MODEL-SAFETENSORS-HEADER',
      'high',
      'Duplicate keys in safetensors header',
      `keys ${parsed.duplicates.slice(0, 5).join(', ')} appear twice: loaders disagree on which tensor is meant`,
      where,
    );
  }
  const header = parsed.value;
  if (header === null || typeof header !== 'object' || Array.isArray(header))
    return bad('header is not a JSON object');
  const dataSize = node.src.size - 8 - n;
  const ranges: Array<[number, number, string]> = [];
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      checkMetadata(entry, c, node);
      continue;
    }
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry))
      return bad(`tensor "${name}" is not an object`);
    const keys = Object.keys(entry).sort().join(',');
    if (keys !== 'data_offsets,dtype,shape') return bad(`tensor "${name}" has keys ${keys}`);
    const {
      dtype,
      shape,
      data_offsets: offsets,
    } = entry as { dtype: JsonValue; shape: JsonValue; data_offsets: JsonValue };
    if (typeof dtype !== 'string' || DTYPE_SIZE[dtype] === undefined)
      return bad(`tensor "${name}" has unknown dtype ${JSON.stringify(dtype)}`);
    if (
      !Array.isArray(shape) ||
      !shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)
    )
      return bad(`tensor "${name}" has an invalid shape`);
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)
    )
      return bad(`tensor "${name}" has invalid data_offsets`);
    const [b, e] = offsets as [number, number];
    if (e < b || e > dataSize)
      return bad(
        `tensor "${name}" data [${String(b)}, ${String(e)}) lies outside the ${String(dataSize)}-byte data section`,
      );
    const want = (shape as number[]).reduce((a, d) => a * d, 1) * (DTYPE_SIZE[dtype] ?? 1);
    if (want !== e - b)
      return bad(`tensor "${name}" needs ${String(want)} bytes but its offsets span ${String(e - b)}`);
    ranges.push([b, e, name]);
  }
  ranges.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let pos = 0;
  for (const [b, e, name] of ranges) {
    if (b < pos) {
      c.add(
        'AG-MODEL-SAFETENSORS-HEADER',
        'high',
        'Overlapping tensors in safetensors',
        `tensor "${name}" starts at ${String(b)} inside the previous tensor (ends ${String(pos)})`,
        where,
      );
      return 'safetensors';
    }
    if (b > pos)
      return bad(`gap of ${String(b - pos)} bytes before tensor "${name}": data must be contiguous`);
    pos = e;
  }
  if (pos !== dataSize)
    return bad(`tensors cover ${String(pos)} of ${String(dataSize)} data bytes; the rest is unexplained`);
  return 'safetensors';
}

function checkMetadata(meta: JsonValue, c: Collector, node: ScanNode): void {
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) {
    c.add(
      'AG-MODEL-SAFETENSORS-HEADER',
      'medium',
      'Invalid safetensors metadata',
      '__metadata__ must be an object of strings',
      { member: node.member, offset: 8 },
    );
    return;
  }
  for (const [k, v] of Object.entries(meta)) {
    if (typeof v !== 'string') {
      c.add(
        'AG-MODEL-SAFETENSORS-HEADER',
        'medium',
        'Invalid safetensors metadata',
        `__metadata__["${k}"] is not a string`,
        { member: node.member, offset: 8 },
      );
    } else if (CODE_LIKE.test(v)) {
      c.add(
        'AG-MODEL-SAFETENSORS-HEADER',
        'low',
        'Code-like safetensors metadata',
        `__metadata__["${k}"] looks like code; tools that evaluate metadata would run it`,
        { member: node.member, offset: 8 },
        { evidence: v.slice(0, 120) },
      );
    }
  }
}
