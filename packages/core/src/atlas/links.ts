const LINK =
  /\[([^\]]*)\]\(\/(techniques|tactics|mitigations|studies)\/(AML\.[A-Z]{1,2}\d{4}(?:\.\d{3})?)\)/g;

/** ATLAS IDs referenced by site-relative Markdown links such as `[Name](/techniques/AML.T0017.000)`. */
export function linkedIds(markdown: string): string[] {
  const ids = new Set<string>();
  for (const match of markdown.matchAll(LINK)) {
    const id = match[3];
    if (id !== undefined) ids.add(id);
  }
  return [...ids];
}

/**
 * Rewrites ATLAS links for display: `[Name](/techniques/AML.T0005)` becomes `Name (AML.T0005)`.
 * Other Markdown links keep their text and lose the URL unless `keepUrls` is set.
 */
export function resolveLinks(markdown: string, keepUrls = false): string {
  const withIds = markdown.replace(
    LINK,
    (_all, name: string, _kind: string, id: string) => `${name} (${id})`,
  );
  if (keepUrls) return withIds;
  return withIds.replace(/\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g, '$1 <$2>');
}

/** Lower-case hyphenated Navigator shortname of a tactic name: "AI Model Access" → "ai-model-access". */
export function tacticShortname(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Page of an ATLAS object on the ATLAS site, from the shape of its ID. */
export function atlasUrl(id: string): string {
  const kind = id.startsWith('AML.TA')
    ? 'tactics'
    : id.startsWith('AML.CS')
      ? 'studies'
      : id.startsWith('AML.M')
        ? 'mitigations'
        : 'techniques';
  return `https://atlas.mitre.org/${kind}/${id}`;
}

/** Plain text of a description for indexing and snippets: links become their text, emphasis marks go. */
export function plainText(markdown: string): string {
  return markdown
    .replace(LINK, (_all, name: string) => name)
    .replace(/\[([^\]]+)\]\([^)\s]*\)/g, '$1')
    .replace(/(\*\*|__|`)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
