// Guards the bank against lazy questions that only restate an ATLAS name ("Is prompt injection mitigated?").

const STOP_WORDS = new Set(
  (
    'a an and are as at be by can do does for from has have how if in into is it its of on or our so ' +
    'such than that the their them then there these this to was were what when where which who will ' +
    'with without you your any all each every not no yes been being against'
  ).split(' '),
);

/** Lower-cased content words (stop words and one-letter tokens removed). */
export function contentWords(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 1 && !STOP_WORDS.has(w));
}

/** Share (0..1) of the text's content words that also occur in the given names. */
export function nameOverlap(text: string, names: readonly string[]): number {
  const words = contentWords(text);
  if (words.length === 0) return 1;
  const nameWords = new Set(names.flatMap((n) => contentWords(n)));
  return words.filter((w) => nameWords.has(w)).length / words.length;
}

export const MIN_CONTENT_WORDS = 15;
export const MAX_NAME_OVERLAP = 0.3;

/**
 * Why a question text is not specific enough, or undefined when it is: it must be long enough to say
 * what is checked, and most of its words must come from somewhere other than the names it covers.
 */
export function specificityProblem(text: string, names: readonly string[]): string | undefined {
  const words = contentWords(text);
  if (words.length < MIN_CONTENT_WORDS)
    return `only ${String(words.length)} content words; say what is checked, where and how`;
  const overlap = nameOverlap(text, names);
  if (overlap > MAX_NAME_OVERLAP)
    return `${String(Math.round(overlap * 100))} % of its words restate the ATLAS names it covers`;
  return undefined;
}
