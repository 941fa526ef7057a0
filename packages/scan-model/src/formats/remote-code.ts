import type { Collector, Where } from '../scan/collector.js';
import type { Sibling, SiblingLookup } from '../scan/node.js';
import { analysePython } from './python-static.js';

// `auto_map` in config.json / tokenizer_config.json names classes as "module.Class" (or "owner/repo--module.Class"
// for code in another repository). With trust_remote_code=True, transformers imports `module.py` from the repo,
// plus the modules it imports relatively. Those files are read here as text and analysed statically.

const MAX_PY = 5 * 1024 * 1024;
const MAX_FILES = 32;
const MODULE = /^[A-Za-z_][A-Za-z0-9_]*$/;

function references(autoMap: unknown): string[] {
  const out: string[] = [];
  const add = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) for (const x of v) add(x);
  };
  if (autoMap && typeof autoMap === 'object' && !Array.isArray(autoMap))
    for (const v of Object.values(autoMap as Record<string, unknown>)) add(v);
  else add(autoMap);
  return out.slice(0, 256);
}

/** Analyses the Python files an auto_map points at (no execution). */
export function checkRemoteCode(
  autoMap: unknown,
  c: Collector,
  where: Where,
  siblings: SiblingLookup | undefined,
  base: string,
): void {
  const queue: string[] = [];
  for (const ref of references(autoMap)) {
    const [repo, local] = ref.includes('--') ? (ref.split('--', 2) as [string, string]) : [undefined, ref];
    const dot = local.lastIndexOf('.');
    const module = dot > 0 ? local.slice(0, dot) : '';
    if (repo !== undefined) {
      c.add(
        'AG-MODEL-HF-REMOTE-CODE',
        'medium',
        'auto_map points at code in another repository',
        `${base} maps a class to ${repo}/${module}.py: that repository's code is downloaded and run at load time and is not part of this scan`,
        where,
        { evidence: ref },
      );
      continue;
    }
    if (!MODULE.test(module)) {
      c.add(
        'AG-MODEL-HF-REMOTE-CODE',
        'high',
        'auto_map module name is not a plain module',
        `"${ref}" does not name a module file in the repository (path tricks or a dotted package)`,
        where,
        { evidence: ref },
      );
      continue;
    }
    if (!queue.includes(module)) queue.push(module);
  }
  if (queue.length === 0) return;
  if (!siblings) {
    c.add(
      'AG-MODEL-HF-REMOTE-CODE',
      'low',
      'auto_map code not available to the scan',
      `${queue.map((m) => `${m}.py`).join(', ')} could not be opened next to ${base}; scan the whole repository directory`,
      where,
    );
    return;
  }
  const seen = new Set<string>();
  while (queue.length > 0 && seen.size < MAX_FILES) {
    const module = queue.shift() ?? '';
    if (seen.has(module)) continue;
    seen.add(module);
    const file = `${module}.py`;
    let sib: Sibling | undefined;
    try {
      sib = siblings(file);
    } catch {
      sib = undefined;
    }
    if (!sib) {
      c.add(
        'AG-MODEL-HF-REMOTE-CODE',
        'low',
        'auto_map code not in the scanned files',
        `${file} (named by ${base}) is not next to it: transformers would download it from the Hub at load time, unscanned`,
        where,
      );
      continue;
    }
    const at: Where = { path: sib.path, member: sib.member };
    if (sib.src.size > MAX_PY) {
      c.inconclusiveBecause(`${file} is larger than ${String(MAX_PY)} bytes and was not analysed`, at);
      continue;
    }
    const text = Buffer.from(sib.src.read(0, sib.src.size)).toString('utf8');
    const result = analysePython(text);
    if (result.incomplete !== undefined) c.inconclusiveBecause(`${file}: ${result.incomplete}`, at);
    for (const h of result.hits) {
      c.add(
        'AG-MODEL-HF-REMOTE-CODE',
        h.severity,
        'Remote code does something a model should not',
        `${file} ${h.what}: ${h.name} (runs with trust_remote_code=True)`,
        { ...at, line: h.line, column: h.column },
        { evidence: (text.split('\n')[h.line - 1] ?? '').trim().slice(0, 200) },
      );
    }
    for (const rel of result.relativeImports) if (MODULE.test(rel) && !seen.has(rel)) queue.push(rel);
  }
}
