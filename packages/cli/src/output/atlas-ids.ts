import type { Colors } from './colors.js';

const ATLAS_ID = /\bAML\.(?:TA|T|M|CS)\d{4}(?:\.\d{3})?\b/g;

/** Colours every ATLAS ID in an already laid-out line (IDs contain no spaces, so wrapping never splits them). */
export function paintAtlasIds(colors: Colors, line: string): string {
  return line.replace(ATLAS_ID, (id) => colors.cyan(id));
}
