import { InvalidArgumentError, Option } from '@commander-js/extra-typings';
import { AtlasGuardError, ExitCode } from '@atlasguard/core/errors';

// `--format F` and its shorthand `--json`, shared by every command that reports.

/** `--format <format>` limited to `formats`; the default is applied by `chosenFormat`, not commander. */
export function formatOption<const F extends string>(formats: readonly F[], defaultFormat: F) {
  return new Option(
    '--format <format>',
    `output format: ${formats.join(', ')} (default: ${defaultFormat})`,
  ).choices(formats);
}

/** `--json`: shorthand for `--format json`. */
export function jsonOption() {
  return new Option('--json', 'shorthand for --format json');
}

/** The format asked for: `--json`, else `--format`, else the default. `--json` with another format is a usage error. */
export function chosenFormat<F extends string>(
  options: { format?: F | undefined; json?: boolean | undefined },
  defaultFormat: F,
): F | 'json' {
  if (options.json === true) {
    if (options.format !== undefined && options.format !== 'json') {
      throw new AtlasGuardError(`--json conflicts with --format ${options.format}`, {
        exitCode: ExitCode.Usage,
        hint: 'give one of them',
      });
    }
    return 'json';
  }
  return options.format ?? defaultFormat;
}

/** Commander argument parser for a positive integer option such as `--limit` or `--width`. */
export function positiveInteger(max = 100_000): (value: string) => number {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max) {
      throw new InvalidArgumentError(`expected a whole number from 1 to ${String(max)}`);
    }
    return n;
  };
}
