import { Option } from '@commander-js/extra-typings';
import type { RegisterCommand } from '../program.js';

/** `atlasguard osv sync`: download the OSV exports used by `scan deps` into the local cache. */
export const registerOsv: RegisterCommand = (program, ctx) => {
  const osv = program.command('osv').description('local OSV vulnerability data for `scan deps`');
  osv
    .command('sync')
    .description('download the PyPI and npm OSV exports into the cache (records source URL, sha256 and time)')
    .option(
      '--cache-dir <dir>',
      'cache directory (default: $ATLASGUARD_CACHE_DIR, $XDG_CACHE_HOME/atlasguard or ~/.cache/atlasguard)',
    )
    .addOption(
      new Option('--ecosystem <name...>', 'ecosystems to download')
        .choices(['PyPI', 'npm'] as const)
        .default(['PyPI', 'npm'] as const),
    )
    .option(
      '--base-url <url>',
      'where the <Ecosystem>/all.zip exports are published (default: the osv.dev export bucket; $ATLASGUARD_OSV_URL)',
    )
    .option('--max-bytes <n>', 'largest export accepted', '2147483648')
    .option('--timeout <seconds>', 'give up on one download after this long', '600')
    .action(async (flags) => {
      const { AtlasGuardError, ExitCode } = await import('@atlasguard/core');
      const deps = await import('@atlasguard/scan-deps');
      const globals = ctx.globals();
      const maxBytes = Number(flags.maxBytes);
      const timeout = Number(flags.timeout);
      if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0)
        throw new AtlasGuardError('--max-bytes must be a positive integer', { exitCode: ExitCode.Usage });
      if (!Number.isFinite(timeout) || timeout <= 0)
        throw new AtlasGuardError('--timeout must be a positive number of seconds', {
          exitCode: ExitCode.Usage,
        });
      const baseUrl = flags.baseUrl ?? (ctx.env.ATLASGUARD_OSV_URL || deps.DEFAULT_OSV_EXPORT_BASE);
      if (!/^https?:\/\//i.test(baseUrl))
        throw new AtlasGuardError(`--base-url ${baseUrl} is not an http(s) URL`, {
          exitCode: ExitCode.Usage,
        });
      const cacheDir = deps.resolveCacheDir(flags.cacheDir, ctx.env, ctx.cwd);
      const results = await deps.syncOsv({
        cacheDir,
        ecosystems: flags.ecosystem,
        baseUrl,
        fetch: (url, init) => fetch(url, init),
        now: () => new Date(),
        maxBytes,
        timeoutMs: timeout * 1000,
        notes: (m) => {
          if (!globals.quiet && ctx.stderr.isTTY === true) ctx.stderr.write(`${m}\n`);
        },
      });
      for (const r of results) {
        ctx.stdout.write(
          `${r.ecosystem}: ${String(r.entries)} records, ${String(r.bytes)} bytes, sha256 ${r.sha256}, from ${r.url} at ${r.fetchedAt}\n`,
        );
      }
      if (!globals.quiet) ctx.stderr.write(`cache: ${cacheDir}\n`);
    });
};
