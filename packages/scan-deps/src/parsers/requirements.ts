import { dirname, resolve } from 'node:path';
import { LIMITS } from '../manifest/limits.js';
import { normalizePypiName, PYPI_NAME } from '../manifest/names.js';
import type { SourceText } from '../manifest/source-text.js';
import type { IndexConfig, Manifest, ResolvedPackage } from '../manifest/types.js';
import { directSource, parsePep508, urlFragment } from './pep508.js';

/** Reads an included file (bounded); the caller decides how paths map to files. */
export type ReadSource = (path: string) => Promise<SourceText>;

interface LogicalLine {
  text: string;
  line: number;
}

/** Joins `\` continuations, drops comments and blank lines. */
function logicalLines(source: SourceText): LogicalLine[] {
  const physical = source.text.split(/\r?\n/);
  const out: LogicalLine[] = [];
  let buffer = '';
  let start = 0;
  for (let i = 0; i < physical.length; i++) {
    const raw = physical[i] ?? '';
    if (buffer === '') start = i + 1;
    if (raw.endsWith('\\') && !raw.trimStart().startsWith('#')) {
      buffer += raw.slice(0, -1) + ' ';
    } else {
      buffer += raw;
      const text = buffer.replace(/(^|\s)#.*$/, '').trim();
      if (buffer.length > LIMITS.maxLineChars) throw source.error('line too long', start);
      if (text !== '') out.push({ text, line: start });
      buffer = '';
    }
    if (buffer.length > LIMITS.maxLineChars) throw source.error('line too long', start);
  }
  const tail = buffer.replace(/(^|\s)#.*$/, '').trim();
  if (tail !== '') out.push({ text: tail, line: start });
  return out;
}

/** Splits a line into whitespace-separated tokens, keeping `--opt=value` together. */
function tokens(text: string): string[] {
  return text.split(/\s+/).filter((t) => t !== '');
}

const GLOBAL_FLAGS_WITH_VALUE = new Set([
  '-i',
  '--index-url',
  '--extra-index-url',
  '-f',
  '--find-links',
  '-r',
  '--requirement',
  '-c',
  '--constraint',
  '--trusted-host',
  '--only-binary',
  '--no-binary',
  '--use-feature',
  '-e',
  '--editable',
]);
const GLOBAL_FLAGS_BARE = new Set(['--no-index', '--pre', '--prefer-binary', '--require-hashes']);
const PER_REQ_FLAGS = new Set(['--hash', '--config-settings', '--global-option', '--install-option']);

interface State {
  packages: ResolvedPackage[];
  constraints: Map<string, { version?: string; hashes: string[] }>;
  indexes: IndexConfig[];
  files: string[];
  seen: Set<string>;
}

/**
 * Parses a pip requirements file and its `-r`/`-c` includes (offline; remote includes are refused).
 * Constraint files pin versions of requirements declared elsewhere; they add no packages.
 */
export async function parseRequirements(entry: SourceText, read: ReadSource): Promise<Manifest> {
  const state: State = { packages: [], constraints: new Map(), indexes: [], files: [], seen: new Set() };
  await parseFile(entry, read, state, [entry.path], false);
  for (const p of state.packages) {
    if (p.version !== undefined) continue;
    const pin = state.constraints.get(p.name);
    if (pin?.version !== undefined) {
      p.version = pin.version;
      delete p.specifier;
      if (p.artifacts.length === 0 && pin.hashes.length > 0) p.artifacts = [{ hashes: pin.hashes }];
    }
  }
  return {
    path: entry.path,
    format: 'requirements',
    packages: state.packages,
    indexes: state.indexes,
    notCovered: [],
    files: state.files,
  };
}

async function parseFile(
  source: SourceText,
  read: ReadSource,
  state: State,
  stack: string[],
  constraintsOnly: boolean,
): Promise<void> {
  state.seen.add(source.path);
  state.files.push(source.path);
  for (const { text, line } of logicalLines(source)) {
    const parts = tokens(text);
    const first = parts[0] ?? '';
    const [flag, inlineValue] = first.startsWith('-') ? splitFlag(first) : [undefined, undefined];
    if (flag !== undefined && GLOBAL_FLAGS_BARE.has(flag)) continue;
    if (flag !== undefined && GLOBAL_FLAGS_WITH_VALUE.has(flag)) {
      const value = inlineValue ?? parts[1];
      if (value === undefined || value === '') throw source.error(`${flag} needs a value`, line);
      await globalOption(flag, value, source, line, read, state, stack, constraintsOnly);
      continue;
    }
    if (flag !== undefined) {
      throw source.error(
        `unknown option ${flag}`,
        line,
        'supported: -r, -c, -i, --extra-index-url, -f, --hash, -e',
      );
    }
    requirementLine(parts, text, source, line, state, constraintsOnly);
  }
}

function splitFlag(token: string): [string, string | undefined] {
  const eq = token.indexOf('=');
  if (eq !== -1 && token.startsWith('--')) return [token.slice(0, eq), token.slice(eq + 1)];
  // `-rfile.txt` is valid pip syntax for short options.
  if (/^-[rcief]./.test(token) && !token.startsWith('--')) return [token.slice(0, 2), token.slice(2)];
  return [token, undefined];
}

async function globalOption(
  flag: string,
  value: string,
  source: SourceText,
  line: number,
  read: ReadSource,
  state: State,
  stack: string[],
  constraintsOnly: boolean,
): Promise<void> {
  switch (flag) {
    case '-i':
    case '--index-url':
      state.indexes.push({ url: value, role: 'primary', file: source.path, line });
      return;
    case '--extra-index-url':
      state.indexes.push({ url: value, role: 'extra', file: source.path, line });
      return;
    case '-f':
    case '--find-links':
      state.indexes.push({ url: value, role: 'find-links', file: source.path, line });
      return;
    case '-r':
    case '--requirement':
    case '-c':
    case '--constraint': {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
        throw source.error(
          `remote include ${value} is not read`,
          line,
          'download the file and include it by path',
        );
      }
      const path = resolve(dirname(source.path), value);
      if (stack.includes(path)) {
        throw source.error(
          `include cycle: ${[...stack, path].join(' -> ')}`,
          line,
          'remove the circular -r/-c',
        );
      }
      if (stack.length >= LIMITS.maxIncludeDepth) {
        throw source.error(`includes nested deeper than ${String(LIMITS.maxIncludeDepth)}`, line);
      }
      if (state.seen.has(path)) return;
      if (state.seen.size >= LIMITS.maxIncludedFiles) {
        throw source.error(`more than ${String(LIMITS.maxIncludedFiles)} included files`, line);
      }
      let included: SourceText;
      try {
        included = await read(path);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw source.error(`cannot read included file ${value}: ${message}`, line);
      }
      const isConstraint = flag === '-c' || flag === '--constraint';
      await parseFile(included, read, state, [...stack, path], constraintsOnly || isConstraint);
      return;
    }
    case '-e':
    case '--editable': {
      const egg = urlFragment(value, 'egg');
      // `-e .` and other unnamed local paths are the project itself, not a dependency.
      if (egg === undefined && directSource(value).kind === 'path') return;
      if (!constraintsOnly) {
        const rawName = egg ?? value;
        const src = directSource(value);
        state.packages.push({
          ecosystem: 'PyPI',
          name: egg !== undefined ? normalizePypiName(egg) : rawName,
          displayName: rawName,
          direct: true,
          source: src,
          artifacts: [],
          file: source.path,
          line,
        });
      }
      return;
    }
    default:
      return;
  }
}

function requirementLine(
  parts: string[],
  text: string,
  source: SourceText,
  line: number,
  state: State,
  constraintsOnly: boolean,
): void {
  // Per-requirement options follow the requirement; the requirement itself may contain spaces.
  const optionAt = parts.findIndex((t) => PER_REQ_FLAGS.has(t.split('=')[0] ?? ''));
  const reqText = optionAt === -1 ? text : parts.slice(0, optionAt).join(' ');
  const hashes: string[] = [];
  if (optionAt !== -1) {
    for (let i = optionAt; i < parts.length; i++) {
      const token = parts[i] ?? '';
      const [name, inline] = splitFlag(token);
      if (!PER_REQ_FLAGS.has(name))
        throw source.error(`unexpected "${token}" after requirement options`, line);
      const value = inline ?? parts[++i];
      if (value === undefined) throw source.error(`${name} needs a value`, line);
      if (name === '--hash') {
        if (!/^(sha256|sha384|sha512|md5|sha1):[0-9a-f]+$/i.test(value)) {
          throw source.error(`bad hash ${value}`, line, 'expected --hash=sha256:<hex>');
        }
        hashes.push(value.toLowerCase());
        if (hashes.length > LIMITS.maxHashesPerPackage) throw source.error('too many hashes', line);
      }
    }
  }
  const trimmed = reqText.trim();
  let pkg: ResolvedPackage;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) || trimmed.startsWith('.') || trimmed.startsWith('/')) {
    // A bare URL or path: the name comes from `#egg=` or the file name.
    const egg = urlFragment(trimmed, 'egg') ?? nameFromArchive(trimmed);
    if (egg === undefined || !PYPI_NAME.test(egg)) {
      throw source.error(
        `cannot tell the package name of ${trimmed}`,
        line,
        'use "name @ url" or add #egg=name',
      );
    }
    const urlHash = urlFragment(trimmed, 'sha256');
    if (urlHash !== undefined) hashes.push(`sha256:${urlHash.toLowerCase()}`);
    pkg = {
      ecosystem: 'PyPI',
      name: normalizePypiName(egg),
      displayName: egg,
      direct: true,
      source: directSource(trimmed),
      artifacts: hashes.length > 0 ? [{ hashes }] : [],
      file: source.path,
      line,
    };
  } else {
    const req = parsePep508(trimmed);
    if ('error' in req) throw source.error(req.error, line);
    if (req.source.url !== undefined) {
      const urlHash = urlFragment(req.source.url, 'sha256');
      if (urlHash !== undefined) hashes.push(`sha256:${urlHash.toLowerCase()}`);
    }
    pkg = {
      ecosystem: 'PyPI',
      name: req.name,
      displayName: req.rawName,
      ...(req.version !== undefined ? { version: req.version } : {}),
      ...(req.specifier !== undefined ? { specifier: req.specifier } : {}),
      direct: true,
      source: req.source,
      artifacts: hashes.length > 0 ? [{ hashes }] : [],
      ...(req.extras.length > 0 ? { extras: req.extras } : {}),
      ...(req.markers !== undefined ? { markers: req.markers } : {}),
      file: source.path,
      line,
    };
  }
  if (constraintsOnly) {
    state.constraints.set(pkg.name, {
      ...(pkg.version !== undefined ? { version: pkg.version } : {}),
      hashes,
    });
    return;
  }
  if (state.packages.length >= LIMITS.maxPackages) throw source.error('too many requirements', line);
  state.packages.push(pkg);
}

/** `torch-2.1.0-cp311-...whl` or `pkg-1.0.tar.gz` → the project name part. */
function nameFromArchive(url: string): string | undefined {
  const file =
    url
      .replace(/[#?].*$/, '')
      .split('/')
      .pop() ?? '';
  const wheel = /^([A-Za-z0-9_.]+)-[^-]+-.*\.whl$/.exec(file);
  if (wheel?.[1]) return wheel[1];
  const sdist = /^([A-Za-z0-9_.-]+?)-\d[^/]*\.(?:tar\.gz|zip|tar\.bz2)$/.exec(file);
  return sdist?.[1];
}
