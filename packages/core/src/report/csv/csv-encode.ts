// RFC 4180 encoding with spreadsheet formula-injection neutralisation (OWASP CSV injection guidance).

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV field. Text that a spreadsheet would run as a formula (starting with = + - @, tab or CR) is
 * prefixed with `'` so it is shown as text; fields with quotes, commas or line breaks are quoted.
 * Numbers are written as they are.
 */
export function csvField(value: string | number): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, terminated by CRLF as RFC 4180 asks. */
export function csvRecord(fields: ReadonlyArray<string | number>): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}
