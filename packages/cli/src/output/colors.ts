import pc from 'picocolors';
import type { Severity } from '@atlasguard/core';

export type Colors = ReturnType<typeof pc.createColors>;

/** Colours only on a TTY, never with --no-color or NO_COLOR. */
export function colorsFor(stream: { isTTY?: boolean }, enabled: boolean, env: NodeJS.ProcessEnv): Colors {
  const on = enabled && stream.isTTY === true && env.NO_COLOR === undefined;
  return pc.createColors(on);
}

export function paintSeverity(colors: Colors, severity: Severity, text: string = severity): string {
  switch (severity) {
    case 'critical':
      return colors.bold(colors.red(text));
    case 'high':
      return colors.red(text);
    case 'medium':
      return colors.yellow(text);
    case 'low':
      return colors.cyan(text);
    case 'info':
      return colors.dim(text);
  }
}
