import type { SourceText } from '../manifest/source-text.js';
import type { IndexConfig } from '../manifest/types.js';

const MAX_LINES = 10_000;

/**
 * Index settings of a pip configuration file (`pip.conf` / `pip.ini`, INI syntax): `index-url` and
 * `extra-index-url` (one or more URLs, continuation lines allowed) in the `[global]` and `[install]`
 * sections. Everything else is ignored; nothing is executed or expanded.
 */
export function parsePipConf(source: SourceText): IndexConfig[] {
  const lines = source.text.split(/\r?\n/);
  if (lines.length > MAX_LINES) throw source.error(`more than ${String(MAX_LINES)} lines`, 1);
  const out: IndexConfig[] = [];
  let section = '';
  let key: 'primary' | 'extra' | undefined;
  for (const [i, raw] of lines.entries()) {
    const line = i + 1;
    if (/^\s*([#;].*)?$/.test(raw)) continue;
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(raw);
    if (header) {
      section = (header[1] ?? '').trim().toLowerCase();
      key = undefined;
      continue;
    }
    const continuation = /^\s+\S/.test(raw) && key !== undefined;
    let values: string;
    if (continuation) {
      values = raw;
    } else {
      const kv = /^\s*([A-Za-z0-9_-]+)\s*[=:]\s*(.*)$/.exec(raw);
      if (!kv) throw source.error('expected "key = value", a [section] header or a comment', line);
      const name = (kv[1] ?? '').toLowerCase().replace(/_/g, '-');
      const relevant = section === 'global' || section === 'install';
      key = !relevant
        ? undefined
        : name === 'index-url'
          ? 'primary'
          : name === 'extra-index-url'
            ? 'extra'
            : undefined;
      values = kv[2] ?? '';
    }
    if (key === undefined) continue;
    for (const url of values.trim().split(/\s+/)) {
      if (url === '') continue;
      if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url))
        throw source.error(`not an index URL: ${url.slice(0, 80)}`, line);
      out.push({ url, role: key, file: source.path, line });
    }
  }
  return out;
}
