/** Result of splitting one CSV/TSV record (already decoded) into fields. */
export type FieldSplit = { fields: string[] } | { error: string; column: number };

/**
 * Splits one record per RFC 4180: fields separated by `delimiter`, optionally enclosed in double quotes,
 * `""` inside quotes is a quote. `strictQuotes` reports a quote inside an unquoted field (CSV);
 * without it such a quote is literal text (TSV, where writers rarely quote).
 */
export function splitRecord(record: string, delimiter: string, strictQuotes: boolean): FieldSplit {
  const fields: string[] = [];
  const n = record.length;
  let i = 0;
  for (;;) {
    if (i < n && record[i] === '"') {
      // quoted field
      let value = '';
      let j = i + 1;
      let closed = false;
      while (j < n) {
        const q = record.indexOf('"', j);
        if (q < 0) break;
        value += record.slice(j, q);
        if (record[q + 1] === '"') {
          value += '"';
          j = q + 2;
          continue;
        }
        j = q + 1;
        closed = true;
        break;
      }
      if (!closed) return { error: 'quoted field is not closed', column: i + 1 };
      fields.push(value);
      if (j === n) return { fields };
      if (record[j] !== delimiter) {
        return {
          error: `unexpected character ${JSON.stringify(record[j])} after a closing quote`,
          column: j + 1,
        };
      }
      i = j + 1;
      if (i === n) {
        fields.push('');
        return { fields };
      }
      continue;
    }
    const d = record.indexOf(delimiter, i);
    const end = d < 0 ? n : d;
    const value = record.slice(i, end);
    if (strictQuotes) {
      const q = value.indexOf('"');
      if (q >= 0)
        return { error: 'quote inside an unquoted field (quote the whole field)', column: i + q + 1 };
    }
    fields.push(value);
    if (d < 0) return { fields };
    i = d + 1;
    if (i === n) {
      fields.push('');
      return { fields };
    }
  }
}

/** Formats fields as one CSV/TSV record, quoting where needed. */
export function formatRecord(fields: readonly string[], delimiter: string): string {
  return fields
    .map((f) =>
      f.includes('"') || f.includes(delimiter) || f.includes('\n') || f.includes('\r')
        ? `"${f.replace(/"/g, '""')}"`
        : f,
    )
    .join(delimiter);
}
