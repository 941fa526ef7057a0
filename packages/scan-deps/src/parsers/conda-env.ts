import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { LIMITS } from '../manifest/limits.js';
import { SourceText } from '../manifest/source-text.js';
import type { IndexConfig, Manifest, ResolvedPackage } from '../manifest/types.js';
import { parsePep508 } from './pep508.js';
import { parseRequirements, type ReadSource } from './requirements.js';
import { dirname, resolve } from 'node:path';

const CONDA_SPEC =
  /^(?:([A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_./-]+)?)::)?([A-Za-z0-9_.-]+)\s*(?:([=<>!~]{0,2})\s*([^\s=]+)(?:=(\S+))?)?\s*$/;

/**
 * conda environment.yml: conda packages are listed as not covered (OSV has no conda data); the `pip:`
 * sub-list is read as requirements (PyPI), including its index options and `-r` files.
 */
export async function parseCondaEnv(source: SourceText, read: ReadSource): Promise<Manifest> {
  const counter = new LineCounter();
  const doc = parseDocument(source.text, { lineCounter: counter, uniqueKeys: false, prettyErrors: false });
  const lineOf = (node: Node | null | undefined): number | undefined =>
    node?.range ? counter.linePos(node.range[0]).line : undefined;
  const firstError = doc.errors[0];
  if (firstError !== undefined) {
    const pos = firstError.linePos?.[0];
    throw source.error(
      `invalid YAML: ${firstError.message.split('\n')[0] ?? 'syntax error'}`,
      pos?.line,
      undefined,
      pos?.col,
    );
  }
  if (!isMap(doc.contents)) throw source.error('not a conda environment file: top level is not a mapping', 1);
  const deps = doc.contents.get('dependencies', true);
  if (deps === undefined) throw source.error('not a conda environment file: no "dependencies" list', 1);
  if (!isSeq(deps)) throw source.error('"dependencies" is not a list', lineOf(deps));
  const packages: ResolvedPackage[] = [];
  const notCovered: ResolvedPackage[] = [];
  const indexes: IndexConfig[] = [];
  const files = [source.path];
  if (deps.items.length > LIMITS.maxPackages) throw source.error('too many dependencies', lineOf(deps));
  for (const item of deps.items) {
    const line = lineOf(item as Node);
    if (isScalar(item)) {
      const text = String(item.value).trim();
      const m = CONDA_SPEC.exec(text);
      if (!m?.[2]) throw source.error(`not a conda package spec: ${text}`, line);
      const [, channel, name, op, version] = m;
      const exact =
        version !== undefined && (op === '' || op === '=' || op === '==') && !version.includes('*');
      notCovered.push({
        ecosystem: 'conda',
        name: name.toLowerCase(),
        displayName: channel !== undefined ? `${channel}::${name}` : name,
        ...(exact ? { version } : version !== undefined ? { specifier: `${op ?? ''}${version}` } : {}),
        direct: true,
        source: { kind: 'registry', ...(channel !== undefined ? { url: channel } : {}) },
        artifacts: [],
        file: source.path,
        ...(line !== undefined ? { line } : {}),
      });
      continue;
    }
    if (isMap(item) && item.has('pip')) {
      const pip = item.get('pip', true);
      if (!isSeq(pip)) throw source.error('"pip" is not a list', line);
      for (const entry of pip.items) {
        const pipLine = lineOf(entry as Node);
        if (!isScalar(entry)) throw source.error('pip entries must be strings', pipLine);
        const text = String(entry.value).trim();
        // Options and includes go through the requirements parser so they behave exactly as in pip.
        if (text.startsWith('-')) {
          const flag = /^(--?[a-z-]+)[=\s]+(.+)$/.exec(text);
          if (flag?.[1] === '-r' || flag?.[1] === '--requirement') {
            const included = await read(resolve(dirname(source.path), (flag[2] ?? '').trim()));
            const sub = await parseRequirements(included, read);
            packages.push(...sub.packages);
            indexes.push(...sub.indexes);
            files.push(...sub.files);
            continue;
          }
          const sub = await parseRequirements(
            new SourceText(source.path, `${'\n'.repeat(Math.max(0, (pipLine ?? 1) - 1))}${text}\n`),
            read,
          );
          packages.push(...sub.packages);
          indexes.push(...sub.indexes);
          continue;
        }
        const req = parsePep508(text);
        if ('error' in req) throw source.error(req.error, pipLine);
        packages.push({
          ecosystem: 'PyPI',
          name: req.name,
          displayName: req.rawName,
          ...(req.version !== undefined ? { version: req.version } : {}),
          ...(req.specifier !== undefined ? { specifier: req.specifier } : {}),
          direct: true,
          source: req.source,
          artifacts: [],
          ...(req.extras.length > 0 ? { extras: req.extras } : {}),
          file: source.path,
          ...(pipLine !== undefined ? { line: pipLine } : {}),
        });
      }
      continue;
    }
    throw source.error('unexpected dependency entry', line, 'expected a conda spec string or a "pip:" list');
  }
  return { path: source.path, format: 'conda-env', packages, indexes, notCovered, files };
}
