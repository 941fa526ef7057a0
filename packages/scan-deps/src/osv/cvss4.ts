// CVSS v4.0 scoring by the specification's MacroVector method (FIRST CVSS v4.0 specification, section 8):
// the vector's equivalence classes EQ1..EQ6 select a MacroVector whose expert-assigned score comes from the
// specification's lookup table; the score is then lowered by the mean, over the EQs that have a lower
// MacroVector, of (score gap to that lower MacroVector) × (the vector's severity distance from the
// highest-severity vector of its MacroVector ÷ the MacroVector's depth). Threat and environmental
// metrics are honoured when present (E defaults to Attacked, CR/IR/AR to High, modified metrics replace
// base ones), so a base-only vector yields the CVSS-B score.

/** MacroVector (EQ1 EQ2 EQ3 EQ4 EQ5 EQ6) → score, from the specification's lookup table. */
// prettier-ignore
const MACRO_SCORES: Readonly<Record<string, number>> = {
  '000000': 10, '000001': 9.9, '000010': 9.8, '000011': 9.5, '000020': 9.5, '000021': 9.2,
  '000100': 10, '000101': 9.6, '000110': 9.3, '000111': 8.7, '000120': 9.1, '000121': 8.1,
  '000200': 9.3, '000201': 9, '000210': 8.9, '000211': 8, '000220': 8.1, '000221': 6.8,
  '001000': 9.8, '001001': 9.5, '001010': 9.5, '001011': 9.2, '001020': 9, '001021': 8.4,
  '001100': 9.3, '001101': 9.2, '001110': 8.9, '001111': 8.1, '001120': 8.1, '001121': 6.5,
  '001200': 8.8, '001201': 8, '001210': 7.8, '001211': 7, '001220': 6.9, '001221': 4.8,
  '002001': 9.2, '002011': 8.2, '002021': 7.2, '002101': 7.9, '002111': 6.9, '002121': 5,
  '002201': 6.9, '002211': 5.5, '002221': 2.7,
  '010000': 9.9, '010001': 9.7, '010010': 9.5, '010011': 9.2, '010020': 9.2, '010021': 8.5,
  '010100': 9.5, '010101': 9.1, '010110': 9, '010111': 8.3, '010120': 8.4, '010121': 7.1,
  '010200': 9.2, '010201': 8.1, '010210': 8.2, '010211': 7.1, '010220': 7.2, '010221': 5.3,
  '011000': 9.5, '011001': 9.3, '011010': 9.2, '011011': 8.5, '011020': 8.5, '011021': 7.3,
  '011100': 9.2, '011101': 8.2, '011110': 8, '011111': 7.2, '011120': 7, '011121': 5.9,
  '011200': 8.4, '011201': 7, '011210': 7.1, '011211': 5.2, '011220': 5, '011221': 3,
  '012001': 8.6, '012011': 7.5, '012021': 5.2, '012101': 7.1, '012111': 5.2, '012121': 2.9,
  '012201': 6.3, '012211': 2.9, '012221': 1.7,
  '100000': 9.8, '100001': 9.5, '100010': 9.4, '100011': 8.7, '100020': 9.1, '100021': 8.1,
  '100100': 9.4, '100101': 8.9, '100110': 8.6, '100111': 7.4, '100120': 7.7, '100121': 6.4,
  '100200': 8.7, '100201': 7.5, '100210': 7.4, '100211': 6.3, '100220': 6.3, '100221': 4.9,
  '101000': 9.4, '101001': 8.9, '101010': 8.8, '101011': 7.7, '101020': 7.6, '101021': 6.7,
  '101100': 8.6, '101101': 7.6, '101110': 7.4, '101111': 5.8, '101120': 5.9, '101121': 5,
  '101200': 7.2, '101201': 5.7, '101210': 5.7, '101211': 5.2, '101220': 5.2, '101221': 2.5,
  '102001': 8.3, '102011': 7, '102021': 5.4, '102101': 6.5, '102111': 5.8, '102121': 2.6,
  '102201': 5.3, '102211': 2.1, '102221': 1.3,
  '110000': 9.5, '110001': 9, '110010': 8.8, '110011': 7.6, '110020': 7.6, '110021': 7,
  '110100': 9, '110101': 7.7, '110110': 7.5, '110111': 6.2, '110120': 6.1, '110121': 5.3,
  '110200': 7.7, '110201': 6.6, '110210': 6.8, '110211': 5.9, '110220': 5.2, '110221': 3,
  '111000': 8.9, '111001': 7.8, '111010': 7.6, '111011': 6.7, '111020': 6.2, '111021': 5.8,
  '111100': 7.4, '111101': 5.9, '111110': 5.7, '111111': 5.7, '111120': 4.7, '111121': 2.3,
  '111200': 6.1, '111201': 5.2, '111210': 5.7, '111211': 2.9, '111220': 2.4, '111221': 1.6,
  '112001': 7.1, '112011': 5.9, '112021': 3, '112101': 5.8, '112111': 2.6, '112121': 1.5,
  '112201': 2.3, '112211': 1.3, '112221': 0.6,
  '200000': 9.3, '200001': 8.7, '200010': 8.6, '200011': 7.2, '200020': 7.5, '200021': 5.8,
  '200100': 8.6, '200101': 7.4, '200110': 7.4, '200111': 6.1, '200120': 5.6, '200121': 3.4,
  '200200': 7, '200201': 5.4, '200210': 5.2, '200211': 4, '200220': 4, '200221': 2.2,
  '201000': 8.5, '201001': 7.5, '201010': 7.4, '201011': 5.5, '201020': 6.2, '201021': 5.1,
  '201100': 7.2, '201101': 5.7, '201110': 5.5, '201111': 4.1, '201120': 4.6, '201121': 1.9,
  '201200': 5.3, '201201': 3.6, '201210': 3.4, '201211': 1.9, '201220': 1.9, '201221': 0.8,
  '202001': 6.4, '202011': 5.1, '202021': 2, '202101': 4.7, '202111': 2.1, '202121': 1.1,
  '202201': 2.4, '202211': 0.9, '202221': 0.4,
  '210000': 8.8, '210001': 7.5, '210010': 7.3, '210011': 5.3, '210020': 6, '210021': 5,
  '210100': 7.3, '210101': 5.5, '210110': 5.9, '210111': 4, '210120': 4.1, '210121': 2,
  '210200': 5.4, '210201': 4.3, '210210': 4.5, '210211': 2.2, '210220': 2, '210221': 1.1,
  '211000': 7.5, '211001': 5.5, '211010': 5.8, '211011': 4.5, '211020': 4, '211021': 2.1,
  '211100': 6.1, '211101': 5.1, '211110': 4.8, '211111': 1.8, '211120': 2, '211121': 0.9,
  '211200': 4.6, '211201': 1.8, '211210': 1.7, '211211': 0.7, '211220': 0.8, '211221': 0.2,
  '212001': 5.3, '212011': 2.4, '212021': 1.4, '212101': 2.4, '212111': 1.2, '212121': 0.5,
  '212201': 1, '212211': 0.3, '212221': 0.1,
};

/** Metrics in specification order with their allowed values; the first 11 (base) are mandatory. */
const METRICS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['AV', ['N', 'A', 'L', 'P']],
  ['AC', ['L', 'H']],
  ['AT', ['N', 'P']],
  ['PR', ['N', 'L', 'H']],
  ['UI', ['N', 'P', 'A']],
  ['VC', ['H', 'L', 'N']],
  ['VI', ['H', 'L', 'N']],
  ['VA', ['H', 'L', 'N']],
  ['SC', ['H', 'L', 'N']],
  ['SI', ['H', 'L', 'N']],
  ['SA', ['H', 'L', 'N']],
  ['E', ['X', 'A', 'P', 'U']],
  ['CR', ['X', 'H', 'M', 'L']],
  ['IR', ['X', 'H', 'M', 'L']],
  ['AR', ['X', 'H', 'M', 'L']],
  ['MAV', ['X', 'N', 'A', 'L', 'P']],
  ['MAC', ['X', 'L', 'H']],
  ['MAT', ['X', 'N', 'P']],
  ['MPR', ['X', 'N', 'L', 'H']],
  ['MUI', ['X', 'N', 'P', 'A']],
  ['MVC', ['X', 'H', 'L', 'N']],
  ['MVI', ['X', 'H', 'L', 'N']],
  ['MVA', ['X', 'H', 'L', 'N']],
  ['MSC', ['X', 'H', 'L', 'N']],
  ['MSI', ['X', 'S', 'H', 'L', 'N']],
  ['MSA', ['X', 'S', 'H', 'L', 'N']],
  ['S', ['X', 'N', 'P']],
  ['AU', ['X', 'N', 'Y']],
  ['R', ['X', 'A', 'U', 'I']],
  ['V', ['X', 'D', 'C']],
  ['RE', ['X', 'L', 'M', 'H']],
  ['U', ['X', 'Clear', 'Green', 'Amber', 'Red']],
];
const BASE_COUNT = 11;

/**
 * Severity level of each metric value (0 = most severe, in steps of 0.1 as the specification counts them;
 * the arithmetic below follows the specification's reference calculation so that scores round alike).
 */
const LEVELS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  AV: { N: 0.0, A: 0.1, L: 0.2, P: 0.3 },
  PR: { N: 0.0, L: 0.1, H: 0.2 },
  UI: { N: 0.0, P: 0.1, A: 0.2 },
  AC: { L: 0.0, H: 0.1 },
  AT: { N: 0.0, P: 0.1 },
  VC: { H: 0.0, L: 0.1, N: 0.2 },
  VI: { H: 0.0, L: 0.1, N: 0.2 },
  VA: { H: 0.0, L: 0.1, N: 0.2 },
  SC: { H: 0.1, L: 0.2, N: 0.3 },
  SI: { S: 0.0, H: 0.1, L: 0.2, N: 0.3 },
  SA: { S: 0.0, H: 0.1, L: 0.2, N: 0.3 },
  CR: { H: 0.0, M: 0.1, L: 0.2 },
  IR: { H: 0.0, M: 0.1, L: 0.2 },
  AR: { H: 0.0, M: 0.1, L: 0.2 },
};
const STEP = 0.1;

/** Highest-severity vectors of each EQ level (EQ3 split by EQ6), from the specification. */
const EQ1_MAX: Record<number, string[]> = {
  0: ['AV:N/PR:N/UI:N'],
  1: ['AV:A/PR:N/UI:N', 'AV:N/PR:L/UI:N', 'AV:N/PR:N/UI:P'],
  2: ['AV:P/PR:N/UI:N', 'AV:A/PR:L/UI:P'],
};
const EQ2_MAX: Record<number, string[]> = { 0: ['AC:L/AT:N'], 1: ['AC:H/AT:N', 'AC:L/AT:P'] };
const EQ3EQ6_MAX: Record<string, string[]> = {
  '00': ['VC:H/VI:H/VA:H/CR:H/IR:H/AR:H'],
  '01': ['VC:H/VI:H/VA:L/CR:M/IR:M/AR:H', 'VC:H/VI:H/VA:H/CR:M/IR:M/AR:M'],
  '10': ['VC:L/VI:H/VA:H/CR:H/IR:H/AR:H', 'VC:H/VI:L/VA:H/CR:H/IR:H/AR:H'],
  '11': [
    'VC:L/VI:H/VA:L/CR:H/IR:M/AR:H',
    'VC:L/VI:H/VA:H/CR:H/IR:M/AR:M',
    'VC:H/VI:L/VA:H/CR:M/IR:H/AR:M',
    'VC:H/VI:L/VA:L/CR:M/IR:H/AR:H',
    'VC:L/VI:L/VA:H/CR:H/IR:H/AR:M',
  ],
  '21': ['VC:L/VI:L/VA:L/CR:H/IR:H/AR:H'],
};
const EQ4_MAX: Record<number, string[]> = {
  0: ['SC:H/SI:S/SA:S'],
  1: ['SC:H/SI:H/SA:H'],
  2: ['SC:L/SI:L/SA:L'],
};

/** Depth of each MacroVector level (its largest severity distance + 1), from the specification. */
const EQ1_DEPTH = [1, 4, 5];
const EQ2_DEPTH = [1, 2];
const EQ3EQ6_DEPTH: Record<string, number> = { '00': 7, '01': 6, '10': 8, '11': 8, '21': 10 };
const EQ4_DEPTH = [6, 5, 4];

export type Cvss4Result = { score: number } | { error: string };

function parseVector(vector: string): Map<string, string> | string {
  if (vector.length > 512) return 'vector is too long';
  const parts = vector.trim().split('/');
  if (parts.shift() !== 'CVSS:4.0') return 'not a CVSS:4.0 vector (expected the prefix "CVSS:4.0/")';
  const values = new Map<string, string>();
  let next = 0;
  for (const part of parts) {
    const colon = part.indexOf(':');
    const key = colon === -1 ? part : part.slice(0, colon);
    const value = colon === -1 ? '' : part.slice(colon + 1);
    const at = METRICS.findIndex(([name]) => name === key);
    if (at === -1) return `unknown metric "${key}"`;
    if (values.has(key)) return `metric ${key} appears twice`;
    if (at < next) return `metric ${key} is out of order`;
    const missing = METRICS.slice(next, Math.min(at, BASE_COUNT)).map(([name]) => name);
    if (missing.length > 0) return `missing base metric(s) ${missing.join(', ')}`;
    const allowed = METRICS[at]?.[1] ?? [];
    if (!allowed.includes(value))
      return `${key}:${value} is not a valid value (allowed: ${allowed.join(', ')})`;
    values.set(key, value);
    next = at + 1;
  }
  const missing = METRICS.slice(next, BASE_COUNT).map(([name]) => name);
  if (missing.length > 0) return `missing base metric(s) ${missing.join(', ')}`;
  return values;
}

/** The value a metric takes for scoring: modified metrics override, X means the worst case / the base value. */
function effective(values: ReadonlyMap<string, string>, metric: string): string {
  const modified = values.get(`M${metric}`);
  if (modified !== undefined && modified !== 'X') return modified;
  const value = values.get(metric) ?? 'X';
  if (value === 'X') {
    if (metric === 'E') return 'A';
    if (metric === 'CR' || metric === 'IR' || metric === 'AR') return 'H';
  }
  return value;
}

const parsedMax = new Map<string, ReadonlyMap<string, string>>();
function parseMax(text: string): ReadonlyMap<string, string> {
  let parsed = parsedMax.get(text);
  if (parsed === undefined) {
    parsed = new Map(text.split('/').map((p) => p.split(':') as [string, string]));
    parsedMax.set(text, parsed);
  }
  return parsed;
}

/**
 * CVSS v4.0 score of a vector (`CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N[/...]`).
 * Malformed vectors (unknown or repeated metrics, wrong order, missing base metrics, bad values) give an
 * error message instead of a score: they are never scored as "low".
 */
export function cvss4Score(vector: string): Cvss4Result {
  const values = parseVector(vector);
  if (typeof values === 'string') return { error: values };
  const m = (metric: string): string => effective(values, metric);
  if (['VC', 'VI', 'VA', 'SC', 'SI', 'SA'].every((k) => m(k) === 'N')) return { score: 0 };

  const av = m('AV');
  const pr = m('PR');
  const ui = m('UI');
  const eq1 =
    av === 'N' && pr === 'N' && ui === 'N'
      ? 0
      : (av === 'N' || pr === 'N' || ui === 'N') && av !== 'P'
        ? 1
        : 2;
  const eq2 = m('AC') === 'L' && m('AT') === 'N' ? 0 : 1;
  const vc = m('VC');
  const vi = m('VI');
  const va = m('VA');
  const eq3 = vc === 'H' && vi === 'H' ? 0 : vc === 'H' || vi === 'H' || va === 'H' ? 1 : 2;
  const eq4 =
    m('SI') === 'S' || m('SA') === 'S' ? 0 : m('SC') === 'H' || m('SI') === 'H' || m('SA') === 'H' ? 1 : 2;
  const e = m('E');
  const eq5 = e === 'A' ? 0 : e === 'P' ? 1 : 2;
  const eq6 =
    (m('CR') === 'H' && vc === 'H') || (m('IR') === 'H' && vi === 'H') || (m('AR') === 'H' && va === 'H')
      ? 0
      : 1;

  const macro = (a: number, b: number, c: number, d: number, f: number, g: number): number | undefined =>
    MACRO_SCORES[`${String(a)}${String(b)}${String(c)}${String(d)}${String(f)}${String(g)}`];
  const value = macro(eq1, eq2, eq3, eq4, eq5, eq6);
  if (value === undefined) return { error: 'no MacroVector for this combination of metrics' };

  // The next lower MacroVector of each EQ (EQ3 and EQ6 move together); undefined when there is none.
  const lowerEq1 = macro(eq1 + 1, eq2, eq3, eq4, eq5, eq6);
  const lowerEq2 = macro(eq1, eq2 + 1, eq3, eq4, eq5, eq6);
  let lowerEq3Eq6: number | undefined;
  if (eq3 === 0 && eq6 === 0) {
    const left = macro(eq1, eq2, eq3, eq4, eq5, eq6 + 1);
    const right = macro(eq1, eq2, eq3 + 1, eq4, eq5, eq6);
    // Both exist for every EQ3=0 MacroVector; the higher one is the nearest step down.
    lowerEq3Eq6 = left === undefined || right === undefined ? undefined : Math.max(left, right);
  } else if (eq3 === 1 && eq6 === 0) {
    lowerEq3Eq6 = macro(eq1, eq2, eq3, eq4, eq5, eq6 + 1);
  } else if (eq3 === 2) {
    lowerEq3Eq6 = undefined;
  } else {
    lowerEq3Eq6 = macro(eq1, eq2, eq3 + 1, eq4, eq5, eq6);
  }
  const lowerEq4 = macro(eq1, eq2, eq3, eq4 + 1, eq5, eq6);
  const lowerEq5 = macro(eq1, eq2, eq3, eq4, eq5 + 1, eq6);

  // The first highest-severity vector of the MacroVector that is at least as severe as this one.
  const eq36 = `${String(eq3)}${String(eq6)}`;
  let distances: Map<string, number> | undefined;
  search: for (const a of EQ1_MAX[eq1] ?? [])
    for (const b of EQ2_MAX[eq2] ?? [])
      for (const c of EQ3EQ6_MAX[eq36] ?? [])
        for (const d of EQ4_MAX[eq4] ?? []) {
          const max = parseMax(`${a}/${b}/${c}/${d}`);
          const found = new Map<string, number>();
          for (const [metric, levels] of Object.entries(LEVELS)) {
            const own = levels[m(metric)];
            const top = levels[max.get(metric) ?? ''];
            if (own === undefined || top === undefined) return { error: `cannot rate metric ${metric}` };
            found.set(metric, own - top);
          }
          if ([...found.values()].every((dist) => dist >= 0)) {
            distances = found;
            break search;
          }
        }
  if (distances === undefined) return { error: 'no highest-severity vector dominates this vector' };
  const d = (k: string): number => distances.get(k) ?? 0;

  const parts: Array<[number | undefined, number, number]> = [
    [lowerEq1, d('AV') + d('PR') + d('UI'), (EQ1_DEPTH[eq1] ?? 1) * STEP],
    [lowerEq2, d('AC') + d('AT'), (EQ2_DEPTH[eq2] ?? 1) * STEP],
    [
      lowerEq3Eq6,
      d('VC') + d('VI') + d('VA') + d('CR') + d('IR') + d('AR'),
      (EQ3EQ6_DEPTH[eq36] ?? 1) * STEP,
    ],
    [lowerEq4, d('SC') + d('SI') + d('SA'), (EQ4_DEPTH[eq4] ?? 1) * STEP],
    // EQ5 has no severity distance inside a MacroVector: it counts towards the mean with 0.
    [lowerEq5, 0, 1],
  ];
  let existing = 0;
  let sum = 0;
  for (const [lower, distance, depth] of parts) {
    if (lower === undefined) continue;
    existing++;
    // The gap to the lower MacroVector, times the share of the MacroVector's depth this vector is below its top.
    sum += (value - lower) * (distance / depth);
  }
  const mean = existing === 0 ? 0 : sum / existing;
  const raw = Math.min(10, Math.max(0, value - mean));
  return { score: Math.round(raw * 10) / 10 };
}
