import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { AtlasGuardError, ExitCode } from '@atlasguard/core';
import { writeFileAtomic } from '@atlasguard/io';
import { OsvIndexBuilder } from './build-index.js';
import { CachedOsvIndex, MemoryOsvIndex, serializeIndex, type OsvIndex } from './osv-index.js';
import {
  osvExportPath,
  osvIndexPath,
  osvMetaPath,
  SYNC_ECOSYSTEMS,
  syncMetaSchema,
} from './osv-cache-layout.js';
import { zipEntries, ZipError } from './zip-reader.js';

export interface OsvLoadOptions {
  /** `--osv PATH`: a directory of records (and/or export zips), one zip, or one JSON file. */
  path?: string;
  cacheDir: string;
  /** Reuse and write the parsed index under the cache directory (on by default). */
  useIndexCache?: boolean;
  /** Largest export zip read. */
  maxZipBytes?: number;
  notes?: (message: string) => void;
}

interface SourceFile {
  path: string;
  kind: 'zip' | 'json';
  size: number;
  mtimeMs: number;
  /** sha256 from sync provenance, when the file came from `osv sync`. */
  sha256?: string;
  fetchedAt?: string;
}

const MAX_DIR_FILES = 500_000;
const MAX_JSON_BYTES = 64 * 1024 * 1024;

function noData(message: string): AtlasGuardError {
  return new AtlasGuardError(message, {
    exitCode: ExitCode.Error,
    hint: 'run `atlasguard osv sync` while online to fill the cache, or pass --osv PATH (a directory of OSV JSON records or an osv.dev <Ecosystem>/all.zip export)',
  });
}

async function walk(dir: string, out: SourceFile[], depth: number): Promise<void> {
  if (depth > 8) return;
  const items = await readdir(dir, { withFileTypes: true });
  items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const item of items) {
    const path = join(dir, item.name);
    if (item.isDirectory()) await walk(path, out, depth + 1);
    else if (
      item.isFile() &&
      (item.name.endsWith('.json') || item.name.endsWith('.zip')) &&
      item.name !== 'meta.json'
    ) {
      if (out.length >= MAX_DIR_FILES) throw noData(`more than ${String(MAX_DIR_FILES)} files under ${dir}`);
      const info = await stat(path);
      out.push({
        path,
        kind: item.name.endsWith('.zip') ? 'zip' : 'json',
        size: info.size,
        mtimeMs: info.mtimeMs,
      });
    }
  }
}

async function cachedSources(cacheDir: string): Promise<SourceFile[]> {
  const out: SourceFile[] = [];
  for (const ecosystem of SYNC_ECOSYSTEMS) {
    const zip = osvExportPath(cacheDir, ecosystem);
    try {
      const info = await stat(zip);
      const meta = syncMetaSchema.parse(JSON.parse(await readFile(osvMetaPath(cacheDir, ecosystem), 'utf8')));
      out.push({
        path: zip,
        kind: 'zip',
        size: info.size,
        mtimeMs: info.mtimeMs,
        sha256: meta.sha256,
        fetchedAt: meta.fetchedAt,
      });
    } catch {
      // An ecosystem that was never synced (or a half-written one) is simply absent.
    }
  }
  return out;
}

/** Finds the OSV data, builds (or reuses) its index, and says how old it is. */
export async function loadOsvIndex(options: OsvLoadOptions): Promise<OsvIndex> {
  let files: SourceFile[];
  let label: string;
  if (options.path !== undefined) {
    label = options.path;
    let info;
    try {
      info = await stat(options.path);
    } catch {
      throw noData(`OSV data not found at ${options.path}`);
    }
    if (info.isDirectory()) {
      files = [];
      await walk(options.path, files, 0);
    } else {
      files = [
        {
          path: options.path,
          kind: options.path.endsWith('.zip') ? 'zip' : 'json',
          size: info.size,
          mtimeMs: info.mtimeMs,
        },
      ];
    }
    // A sync'ed cache directory passed with --osv keeps its provenance.
    for (const f of files) {
      if (f.kind !== 'zip') continue;
      try {
        const meta = syncMetaSchema.parse(
          JSON.parse(await readFile(join(f.path, '..', 'meta.json'), 'utf8')),
        );
        f.sha256 = meta.sha256;
        f.fetchedAt = meta.fetchedAt;
      } catch {
        // no provenance: the file's modification time stands in for the export time
      }
    }
  } else {
    files = await cachedSources(options.cacheDir);
    label = `${options.cacheDir}/osv`;
  }
  if (files.length === 0)
    throw noData(
      options.path !== undefined
        ? `no OSV records under ${options.path}`
        : 'no OSV data: the local cache is empty',
    );

  // The digest names the exact inputs: content hashes where known, else path, size and mtime.
  const hash = createHash('sha256');
  for (const f of files) {
    const rel = options.path !== undefined ? relative(options.path, f.path) : f.path;
    hash.update(`${rel}\0${String(f.size)}\0${f.sha256 ?? String(f.mtimeMs)}\n`);
  }
  const digest = hash.digest('hex');
  const times = files
    .map((f) => (f.fetchedAt !== undefined ? Date.parse(f.fetchedAt) : f.mtimeMs))
    .filter((t) => Number.isFinite(t));
  // The oldest part decides: a fresh npm export does not make a stale PyPI export fresh.
  const dbTime = new Date(times.length > 0 ? Math.min(...times) : 0).toISOString();

  const indexPath = osvIndexPath(options.cacheDir, digest);
  if (options.useIndexCache !== false) {
    try {
      const cached = CachedOsvIndex.parse(await readFile(indexPath), digest);
      if (cached !== undefined) return cached;
    } catch {
      // no cache or an unreadable one: rebuild
    }
  }

  const builder = new OsvIndexBuilder();
  const maxZip = options.maxZipBytes ?? 2 * 1024 * 1024 * 1024;
  for (const f of files) {
    if (f.kind === 'zip') {
      if (f.size > maxZip) throw noData(`${f.path} is larger than ${String(maxZip)} bytes`);
      const buf = await readFile(f.path);
      try {
        for (const { name, data } of zipEntries(buf, (n) => n.endsWith('.json'))) {
          let value: unknown;
          try {
            value = JSON.parse(data.toString('utf8'));
          } catch {
            builder.invalidCount++;
            builder.firstInvalid ??= `${f.path}:${name}: invalid JSON`;
            continue;
          }
          builder.add(value, `${f.path}:${name}`);
        }
      } catch (error) {
        if (error instanceof ZipError) {
          throw new AtlasGuardError(`cannot read OSV export: ${error.message}`, {
            exitCode: ExitCode.Error,
            position: { file: f.path },
            hint: 'download the export again with `atlasguard osv sync`',
          });
        }
        throw error;
      }
    } else {
      if (f.size > MAX_JSON_BYTES) throw noData(`${f.path} is larger than ${String(MAX_JSON_BYTES)} bytes`);
      const text = await readFile(f.path, 'utf8');
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        throw new AtlasGuardError(
          `invalid OSV JSON: ${error instanceof Error ? error.message : String(error)}`,
          {
            exitCode: ExitCode.Error,
            position: { file: f.path },
            hint: 'each file must hold one OSV record (or an array of records)',
          },
        );
      }
      builder.add(value, f.path);
    }
  }
  if (builder.invalidCount > 0) {
    options.notes?.(
      `${String(builder.invalidCount)} OSV record(s) skipped as invalid; first: ${builder.firstInvalid ?? ''}`,
    );
  }
  if (builder.firstBadVector !== undefined) {
    const bad = builder.firstBadVector;
    options.notes?.(
      `${String(builder.badVectorCount)} CVSS vector(s) could not be scored (their records take the GHSA rating, else medium); first: ${bad.id} "${bad.vector}": ${bad.message}`,
    );
  }
  if (builder.recordCount === 0) throw noData(`no valid OSV records in ${label}`);
  const index = builder.finish({ digest, dbTime, source: label });
  if (options.useIndexCache !== false) {
    try {
      await writeFileAtomic(indexPath, serializeIndex(index));
    } catch (error) {
      options.notes?.(
        `could not cache the OSV index at ${indexPath}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return new MemoryOsvIndex(index);
}
