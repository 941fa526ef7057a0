import { seededRandom } from '../stats/rng.js';

// Generators for tests and benchmarks: deterministic synthetic datasets with known poisoned rows.

export function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export interface TabularRow {
  id: string;
  f1: number;
  f2: number;
  f3: number;
  color: string;
  label: string;
}

/** Two well-separated classes in three numeric features plus one categorical column. */
export function tabularRows(n: number, seed: number, idPrefix = 'r'): TabularRow[] {
  const random = seededRandom(seed);
  const colors = ['red', 'green', 'blue'];
  const rows: TabularRow[] = [];
  for (let i = 0; i < n; i++) {
    const positive = random() < 0.4;
    const c = positive ? 3 : 0;
    rows.push({
      id: `${idPrefix}${String(i)}`,
      f1: round(c + gaussian(random)),
      f2: round(c + gaussian(random)),
      f3: round(-c + gaussian(random)),
      color: colors[Math.floor(random() * 3)] ?? 'red',
      label: positive ? 'fraud' : 'ok',
    });
  }
  return rows;
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

export function toCsv(rows: readonly object[], columns: readonly string[]): string {
  const cell = (v: unknown): string => {
    const s = v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${columns.join(',')}\n${rows.map((r) => columns.map((c) => cell((r as Record<string, unknown>)[c])).join(',')).join('\n')}\n`;
}

export function toJsonl(rows: readonly unknown[]): string {
  return `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;
}

const WORDS =
  'the a of to and in is it you that he was for on are with as his they be at one have this from or had by word but what some we can out other were all there when up use your how said an each she which do their time if will way about many then them write would like so these her long make thing see him two has look more day could go come did number sound no most people my over know water than call first who may down side been now find any new work part take get place made live where after back little only round man year came show every good me give our under name very through just form sentence great think say help low line differ turn cause much mean before move right boy old too same tell does set three want air well also play small end put home read hand port large spell add even land here must big high such follow act why ask men change went light kind off need house picture try us again animal point mother world near build self earth father'.split(
    ' ',
  );

/** Documents of 30–80 words drawn from a small vocabulary, with topic words per label. */
export function textDocs(
  n: number,
  seed: number,
  idPrefix = 'd',
): Array<{ id: string; text: string; label: string }> {
  const random = seededRandom(seed);
  const topics: Record<string, string[]> = {
    positive: ['great', 'love', 'excellent', 'wonderful', 'happy', 'enjoy'],
    negative: ['bad', 'awful', 'terrible', 'boring', 'hate', 'poor'],
  };
  const out: Array<{ id: string; text: string; label: string }> = [];
  for (let i = 0; i < n; i++) {
    const label = random() < 0.5 ? 'positive' : 'negative';
    const len = 30 + Math.floor(random() * 50);
    const words: string[] = [];
    for (let k = 0; k < len; k++) {
      const topic = topics[label] ?? [];
      words.push(
        random() < 0.15
          ? (topic[Math.floor(random() * topic.length)] ?? '')
          : (WORDS[Math.floor(random() * WORDS.length)] ?? ''),
      );
    }
    out.push({ id: `${idPrefix}${String(i)}`, text: words.join(' '), label });
  }
  return out;
}

/** Precision and recall of flagged rows against the rows known to be poisoned. */
export function precisionRecall(
  flagged: ReadonlySet<number>,
  poisoned: ReadonlySet<number>,
): { precision: number; recall: number } {
  let hit = 0;
  for (const r of flagged) if (poisoned.has(r)) hit++;
  return {
    precision: flagged.size > 0 ? hit / flagged.size : 0,
    recall: poisoned.size > 0 ? hit / poisoned.size : 1,
  };
}

/** A class as a mixture of Gaussian modes (centres in feature space) with a share of the rows. */
export interface ClassSpec {
  label: string;
  share: number;
  modes: ReadonlyArray<readonly number[]>;
  sd?: number;
}

/** Rows `{id, x0..x(d-1), label}` drawn from the class mixtures (for multimodal and imbalanced cases). */
export function mixtureRows(
  n: number,
  seed: number,
  classes: readonly ClassSpec[],
  idPrefix = 'm',
): Array<Record<string, number | string>> {
  const random = seededRandom(seed);
  const total = classes.reduce((s, c) => s + c.share, 0);
  const rows: Array<Record<string, number | string>> = [];
  for (let i = 0; i < n; i++) {
    let pick = random() * total;
    let spec = classes[classes.length - 1];
    for (const c of classes) {
      pick -= c.share;
      if (pick <= 0) {
        spec = c;
        break;
      }
    }
    if (!spec) break;
    const mode = spec.modes[Math.floor(random() * spec.modes.length)] ?? [];
    const row: Record<string, number | string> = { id: `${idPrefix}${String(i)}` };
    mode.forEach((c, j) => {
      row[`x${String(j)}`] = round(c + (spec.sd ?? 1) * gaussian(random));
    });
    row.label = spec.label;
    rows.push(row);
  }
  return rows;
}

/** Flips the label of a seeded random `count` rows to another label; returns their indices. */
export function flipLabels(
  rows: Array<Record<string, unknown>>,
  count: number,
  seed: number,
  labels: readonly string[],
): Set<number> {
  const random = seededRandom(seed);
  const flipped = new Set<number>();
  while (flipped.size < Math.min(count, rows.length)) {
    const i = Math.floor(random() * rows.length);
    const row = rows[i];
    if (!row || flipped.has(i)) continue;
    const others = labels.filter((l) => l !== row.label);
    row.label = others[Math.floor(random() * others.length)] ?? row.label;
    flipped.add(i);
  }
  return flipped;
}
