import type { Severity } from '@atlasguard/core/findings';

// Static look at the Python files a Hugging Face repo asks to run (`auto_map` + trust_remote_code). Nothing is
// executed or imported: a small tokenizer (names, dots, brackets, strings, statement ends, line and column) feeds
// an import table (aliases) and a list of call or reference chains (`sp.check_output` -> `subprocess.check_output`).
// Ordinary modeling-code imports (`os`, `math`, `torch`, `typing`…) are not findings by themselves.

export interface PyHit {
  readonly severity: Severity;
  readonly what: string;
  readonly name: string;
  readonly line: number;
  readonly column: number;
}

export interface PyAnalysis {
  readonly hits: PyHit[];
  /** Sibling modules pulled in with `from .name import …` (transformers downloads and runs them too). */
  readonly relativeImports: string[];
  /** Set when the source could not be read completely (limits). */
  readonly incomplete?: string;
}

interface Tok {
  readonly k: 'name' | 'str' | 'op' | 'nl';
  readonly v: string;
  readonly line: number;
  readonly col: number;
}

const MAX_TOKENS = 2_000_000;

function tokenize(src: string): { toks: Tok[]; incomplete?: string } {
  const toks: Tok[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  let depth = 0;
  const n = src.length;
  while (i < n) {
    if (toks.length > MAX_TOKENS) return { toks, incomplete: 'token limit reached' };
    const ch = src[i] ?? '';
    const col = i - lineStart + 1;
    if (ch === '\n') {
      if (depth === 0) toks.push({ k: 'nl', v: '', line, col });
      line++;
      i++;
      lineStart = i;
      continue;
    }
    if (ch === '#') {
      while (i < n && src[i] !== '\n') i++;
      continue;
    }
    if (ch === '\\' && src[i + 1] === '\n') {
      i += 2;
      line++;
      lineStart = i;
      continue;
    }
    if (ch === ';') {
      toks.push({ k: 'nl', v: ';', line, col });
      i++;
      continue;
    }
    // String literal with an optional prefix (r, b, f, u and pairs).
    const prefix = /^[rRbBuUfF]{0,2}(['"])/.exec(src.slice(i, i + 3));
    if (prefix && (prefix[0].length === 1 || /^[A-Za-z]/.test(ch))) {
      const q = prefix[1] ?? '"';
      let j = i + prefix[0].length;
      const triple = src.slice(j - 1, j + 2) === q.repeat(3);
      const raw = /[rR]/.test(prefix[0].slice(0, -1));
      if (triple) j += 2;
      const startLine = line;
      let value = '';
      for (;;) {
        if (j >= n) break;
        const c = src[j] ?? '';
        if (c === '\\' && !raw) {
          value += src.slice(j, j + 2);
          if (src[j + 1] === '\n') {
            line++;
            lineStart = j + 2;
          }
          j += 2;
          continue;
        }
        if (triple ? src.slice(j, j + 3) === q.repeat(3) : c === q) {
          j += triple ? 3 : 1;
          break;
        }
        if (c === '\n') {
          if (!triple) break;
          line++;
          lineStart = j + 1;
        }
        if (value.length < 4096) value += c;
        j++;
      }
      toks.push({ k: 'str', v: value, line: startLine, col });
      i = j;
      continue;
    }
    if (/[A-Za-z_\u00c0-\uffff]/.test(ch)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_\u00c0-\uffff]/.test(src[j] ?? '')) j++;
      toks.push({ k: 'name', v: src.slice(i, j), line, col });
      i = j;
      continue;
    }
    if (/[0-9]/.test(ch)) {
      let j = i + 1;
      while (j < n && /[0-9A-Za-z_.]/.test(src[j] ?? '')) j++;
      i = j;
      continue;
    }
    if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth = Math.max(0, depth - 1);
    if (!/\s/.test(ch)) toks.push({ k: 'op', v: ch, line, col });
    i++;
  }
  return { toks };
}

interface Rule {
  readonly severity: Severity;
  readonly what: string;
}

const RUN: Rule = { severity: 'high', what: 'runs a shell command or another program' };
const DYNAMIC: Rule = { severity: 'high', what: 'executes code built at run time' };
const NETWORK: Rule = { severity: 'high', what: 'opens raw network connections' };
const NATIVE: Rule = { severity: 'high', what: 'loads native code or calls C functions directly' };
const DESERIALISE: Rule = { severity: 'high', what: 'deserialises data that can run code' };
const DOWNLOAD: Rule = {
  severity: 'medium',
  what: 'fetches data over the network outside the Hugging Face client',
};
const DELETE: Rule = { severity: 'medium', what: 'deletes files or directories' };
const IMPORT_BY_NAME: Rule = { severity: 'medium', what: 'imports a module whose name is computed' };

/** Exact dotted names. */
const CALLS: ReadonlyMap<string, Rule> = new Map<string, Rule>([
  ['eval', DYNAMIC],
  ['exec', DYNAMIC],
  ['compile', DYNAMIC],
  ['__import__', DYNAMIC],
  ['builtins.eval', DYNAMIC],
  ['builtins.exec', DYNAMIC],
  ['builtins.compile', DYNAMIC],
  ['builtins.__import__', DYNAMIC],
  ['__builtins__', DYNAMIC],
  ['os.system', RUN],
  ['os.popen', RUN],
  ['os.fork', RUN],
  ['os.forkpty', RUN],
  ['os.posix_spawn', RUN],
  ['os.posix_spawnp', RUN],
  ['pty.spawn', RUN],
  ['commands.getoutput', RUN],
  ['pickle.load', DESERIALISE],
  ['pickle.loads', DESERIALISE],
  ['_pickle.loads', DESERIALISE],
  ['dill.loads', DESERIALISE],
  ['dill.load', DESERIALISE],
  ['cloudpickle.loads', DESERIALISE],
  ['marshal.loads', DESERIALISE],
  ['torch.hub.load', DESERIALISE],
  ['importlib.import_module', IMPORT_BY_NAME],
  ['shutil.rmtree', DELETE],
  ['os.remove', DELETE],
  ['os.unlink', DELETE],
  ['os.rmdir', DELETE],
  ['os.removedirs', DELETE],
  ['urllib.request.urlopen', DOWNLOAD],
  ['urllib.request.urlretrieve', DOWNLOAD],
  ['urllib.urlopen', DOWNLOAD],
  ['requests.get', DOWNLOAD],
  ['requests.post', DOWNLOAD],
  ['requests.put', DOWNLOAD],
  ['requests.request', DOWNLOAD],
  ['httpx.get', DOWNLOAD],
  ['httpx.post', DOWNLOAD],
  ['webbrowser.open', DOWNLOAD],
]);

/** Every attribute of these modules (prefix match). */
const MODULE_PREFIXES: ReadonlyMap<string, Rule> = new Map<string, Rule>([
  ['subprocess', RUN],
  ['os.exec', RUN],
  ['os.spawn', RUN],
  ['socket', NETWORK],
  ['http.client', NETWORK],
  ['ftplib', NETWORK],
  ['telnetlib', NETWORK],
  ['smtplib', NETWORK],
  ['paramiko', NETWORK],
  ['ctypes', NATIVE],
  ['cffi', NATIVE],
]);

/** Importing these is a finding by itself: modeling code has no use for them. */
const SUSPICIOUS_IMPORTS: ReadonlyMap<string, Rule> = new Map<string, Rule>([
  ['subprocess', { severity: 'medium', what: 'imports subprocess (runs programs)' }],
  ['socket', { severity: 'medium', what: 'imports socket (raw network access)' }],
  ['ctypes', { severity: 'medium', what: 'imports ctypes (native code)' }],
  ['pty', { severity: 'medium', what: 'imports pty (spawns terminals)' }],
  ['marshal', { severity: 'medium', what: 'imports marshal (loads code objects)' }],
  ['paramiko', { severity: 'medium', what: 'imports paramiko (SSH client)' }],
]);

/** Decoders that turn an inert literal into code when their output reaches exec/eval. */
const DECODERS = new Set([
  'base64.b64decode',
  'base64.b32decode',
  'base64.b85decode',
  'base64.a85decode',
  'base64.decodebytes',
  'base64.urlsafe_b64decode',
  'codecs.decode',
  'zlib.decompress',
  'gzip.decompress',
  'lzma.decompress',
  'bz2.decompress',
  'binascii.unhexlify',
  'binascii.a2b_base64',
  'bytes.fromhex',
  'marshal.loads',
]);
const EXECUTORS = new Set(['eval', 'exec', 'compile', 'builtins.eval', 'builtins.exec', 'builtins.compile']);

function ruleFor(full: string): Rule | undefined {
  const exact = CALLS.get(full);
  if (exact) return exact;
  for (const [prefix, rule] of MODULE_PREFIXES) {
    if (
      full === prefix ||
      full.startsWith(prefix.endsWith('.exec') || prefix.endsWith('.spawn') ? prefix : `${prefix}.`)
    )
      return rule;
  }
  return undefined;
}

/** Analyses one Python source file. */
export function analysePython(source: string): PyAnalysis {
  const { toks, incomplete } = tokenize(source);
  const alias = new Map<string, string>();
  const hits: PyHit[] = [];
  const relativeImports: string[] = [];
  const hit = (rule: Rule, name: string, t: Tok, what = rule.what): void => {
    if (hits.length < 1000) hits.push({ severity: rule.severity, what, name, line: t.line, column: t.col });
  };
  // Pass 1: imports (statement starts only).
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    const prev = toks[i - 1];
    if (!t || t.k !== 'name' || (prev && prev.k !== 'nl' && !(prev.k === 'op' && prev.v === ':'))) continue;
    if (t.v === 'import') {
      let j = i + 1;
      while (j < toks.length && toks[j]?.k !== 'nl') {
        const [mod, next] = dotted(toks, j);
        if (mod === '') break;
        j = next;
        let local = mod.split('.')[0] ?? mod;
        let target = local;
        if (toks[j]?.v === 'as' && toks[j + 1]?.k === 'name') {
          local = toks[j + 1]?.v ?? local;
          target = mod;
          j += 2;
        }
        alias.set(local, target);
        const sus = SUSPICIOUS_IMPORTS.get(mod.split('.')[0] ?? mod);
        if (sus) hit(sus, mod, t);
        if (toks[j]?.v === ',') j++;
        else break;
      }
    } else if (t.v === 'from') {
      let j = i + 1;
      let dots = 0;
      while (toks[j]?.v === '.') {
        dots++;
        j++;
      }
      const [mod, next] = dotted(toks, j);
      j = next;
      if (toks[j]?.v !== 'import') continue;
      j++;
      if (dots > 0) {
        if (dots === 1 && mod !== '' && !mod.includes('.')) relativeImports.push(mod);
        if (dots === 1 && mod === '') {
          // from . import a, b
          for (let k = j; k < toks.length && toks[k]?.k !== 'nl'; k++)
            if (toks[k]?.k === 'name' && toks[k - 1]?.v !== 'as' && toks[k]?.v !== 'as')
              relativeImports.push(toks[k]?.v ?? '');
        }
        continue;
      }
      const sus = SUSPICIOUS_IMPORTS.get(mod.split('.')[0] ?? mod);
      if (sus) hit(sus, mod, t);
      for (let k = j; k < toks.length && toks[k]?.k !== 'nl'; k++) {
        const name = toks[k];
        if (!name || name.k !== 'name' || name.v === 'as' || toks[k - 1]?.v === 'as') continue;
        let local = name.v;
        if (toks[k + 1]?.v === 'as' && toks[k + 2]?.k === 'name') local = toks[k + 2]?.v ?? local;
        alias.set(local, `${mod}.${name.v}`);
        const rule = ruleFor(`${mod}.${name.v}`);
        if (rule) hit(rule, `${mod}.${name.v}`, name, `${rule.what} (imported by name)`);
      }
    }
  }
  // Pass 2: call and reference chains.
  const resolve = (chain: string): string => {
    const head = chain.split('.')[0] ?? chain;
    const target = alias.get(head);
    return target === undefined ? chain : `${target}${chain.slice(head.length)}`;
  };
  const calls: Array<{ full: string; tok: Tok; open: number; close: number }> = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    const prev = toks[i - 1];
    if (!t || t.k !== 'name') continue;
    // Import statements were handled above.
    if ((t.v === 'import' || t.v === 'from') && (prev === undefined || prev.k === 'nl' || prev.v === ':')) {
      while (i + 1 < toks.length && toks[i + 1]?.k !== 'nl') i++;
      continue;
    }
    if (prev?.v === '.' || prev?.v === 'def' || prev?.v === 'class' || prev?.v === 'import') continue;
    if (toks[i - 2]?.v === 'from' || prev?.v === 'as') continue;
    const [chain, next] = dotted(toks, i);
    const full = resolve(chain);
    if (toks[next]?.v === '(') {
      let depth = 0;
      let close = next;
      for (let k = next; k < toks.length; k++) {
        const v = toks[k]?.v;
        if (toks[k]?.k !== 'op') continue;
        if (v === '(' || v === '[' || v === '{') depth++;
        else if (v === ')' || v === ']' || v === '}') depth--;
        if (depth === 0) {
          close = k;
          break;
        }
      }
      calls.push({ full, tok: t, open: next, close });
      // getattr(os, "system") and friends.
      if (full === 'getattr' && toks[next + 1]?.k === 'name' && toks[next + 3]?.k === 'str') {
        const target = `${resolve(toks[next + 1]?.v ?? '')}.${toks[next + 3]?.v ?? ''}`;
        const rule = ruleFor(target);
        if (rule) hit(rule, target, t, `${rule.what} (through getattr)`);
      }
      if (full === '__import__' || full === 'importlib.import_module') {
        const arg = toks[next + 1];
        if (arg?.k === 'str') {
          const sus = SUSPICIOUS_IMPORTS.get(arg.v.split('.')[0] ?? arg.v);
          if (sus) hit({ severity: 'high', what: sus.what }, `${full}('${arg.v}')`, t);
        }
      }
    }
    const rule = ruleFor(full);
    if (rule) hit(rule, full, t);
    i = next - 1;
  }
  // Decode-then-execute: a decoder call inside the arguments of exec/eval/compile.
  // Calls are in source order, so the calls inside one call's parentheses follow it directly. Bounded: at most
  // 1,000 executor calls, each looking at no more than 10,000 calls inside it.
  let checked = 0;
  for (let ci = 0; ci < calls.length && checked < 1000; ci++) {
    const call = calls[ci];
    if (!call || !EXECUTORS.has(call.full)) continue;
    checked++;
    let inner: (typeof calls)[number] | undefined;
    for (let k = ci + 1; k < calls.length && k <= ci + 10_000; k++) {
      const d = calls[k];
      if (!d || d.open > call.close) break;
      if (DECODERS.has(d.full)) {
        inner = d;
        break;
      }
    }
    if (inner)
      hit(
        {
          severity: 'critical',
          what: `executes data it decodes at run time (${inner.full} inside ${call.full})`,
        },
        call.full,
        call.tok,
      );
  }
  return { hits, relativeImports, ...(incomplete !== undefined ? { incomplete } : {}) };
}

function dotted(toks: readonly Tok[], at: number): [string, number] {
  let j = at;
  const parts: string[] = [];
  while (toks[j]?.k === 'name') {
    parts.push(toks[j]?.v ?? '');
    if (toks[j + 1]?.v === '.' && toks[j + 2]?.k === 'name') j += 2;
    else {
      j++;
      break;
    }
  }
  return [parts.join('.'), j];
}
