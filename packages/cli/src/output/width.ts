/** Columns of the terminal behind `stream`, or `fallback` when it is not a terminal (pipes, files, tests). */
export function terminalColumns(stream: { isTTY?: boolean }, fallback: number): number {
  const columns = (stream as { columns?: unknown }).columns;
  if (stream.isTTY === true && typeof columns === 'number' && columns > 0) return columns;
  return fallback;
}

/** Width for running text: the terminal's, capped for readability; `fallback` off a terminal. */
export function proseWidth(stream: { isTTY?: boolean }, fallback = 80, max = 100): number {
  return Math.max(40, Math.min(terminalColumns(stream, fallback), max));
}
