import { diffCatalogs, displayName, type Catalog, type CatalogDiff } from '@atlasguard/core/atlas';
import { loadCatalogSpec, type LoadedCatalog } from '@atlasguard/io';
import type { CliContext } from '../context.js';
import { paintAtlasIds } from '../output/atlas-ids.js';
import { emit, toJson } from '../output/emit.js';
import { chosenFormat } from '../output/format.js';
import { proseWidth } from '../output/width.js';
import { wrapParagraph } from '../output/wrap.js';
import { stdoutColors } from './kb-runtime.js';

export interface KbDiffOptions {
  format?: 'text' | 'json' | undefined;
  json?: true | undefined;
}

export type KbDiffJson = Omit<CatalogDiff, 'from' | 'to'> & {
  from: { version: string; source: string; sha256: string };
  to: { version: string; source: string; sha256: string };
};

export function kbDiffJson(before: LoadedCatalog, after: LoadedCatalog): KbDiffJson {
  const diff = diffCatalogs(before.catalog, after.catalog);
  return {
    ...diff,
    from: { version: before.catalog.version, source: before.source, sha256: before.sha256 },
    to: { version: after.catalog.version, source: after.source, sha256: after.sha256 },
  };
}

const plural = (n: number, one: string, many = `${one}s`): string => `${String(n)} ${n === 1 ? one : many}`;

/** `kb diff` as text: a summary, then one section per kind of change that has any. */
export function renderKbDiff(diff: KbDiffJson, before: Catalog, after: Catalog, width: number): string {
  const s = diff.summary;
  const lines = [`ATLAS ${diff.from.version} → ${diff.to.version}`];
  lines.push(
    ...wrapParagraph(
      [
        `techniques: ${String(s.techniquesAdded)} added, ${String(s.techniquesRemoved)} removed, ${String(s.techniquesRenamed)} renamed`,
        plural(s.tacticMembershipChanges, 'tactic membership change'),
        plural(s.maturityChanges, 'maturity change'),
        `mitigation links: ${String(s.mitigationLinksAdded)} added, ${String(s.mitigationLinksRemoved)} removed`,
        `case studies: ${String(s.caseStudiesAdded)} added, ${String(s.caseStudiesRemoved)} removed`,
      ].join('; '),
      width,
      { indent: '  ' },
    ),
  );
  if (s.unchanged) {
    lines.push('', 'No changes.');
    return `${lines.join('\n')}\n`;
  }
  const section = (title: string, items: readonly string[]): void => {
    if (items.length === 0) return;
    lines.push('', `${title} (${String(items.length)})`);
    for (const item of items)
      lines.push(...wrapParagraph(item, width, { firstIndent: '  ', indent: '      ' }));
  };
  const name = (catalog: Catalog, id: string): string => displayName(catalog, id);
  section(
    'Tactics added',
    diff.tactics.added.map((t) => `+ ${t.id} ${t.name}`),
  );
  section(
    'Tactics removed',
    diff.tactics.removed.map((t) => `- ${t.id} ${t.name}`),
  );
  section(
    'Tactics renamed',
    diff.tactics.renamed.map((r) => `~ ${r.id} "${r.from}" → "${r.to}"`),
  );
  section(
    'Techniques added',
    diff.techniques.added.map(
      (t) => `+ ${t.id} ${name(after, t.id)}${t.parent ? ` (sub-technique of ${t.parent})` : ''}`,
    ),
  );
  section(
    'Techniques removed',
    diff.techniques.removed.map((t) => `- ${t.id} ${name(before, t.id)}`),
  );
  section(
    'Techniques renamed',
    diff.techniques.renamed.map((r) => `~ ${r.id} "${r.from}" → "${r.to}"`),
  );
  const tacticName = (id: string): string => after.tactic(id)?.name ?? before.tactic(id)?.name ?? id;
  section(
    'Tactic membership',
    diff.tacticMembership.map(
      (m) =>
        `~ ${m.technique} ${m.name}: ${[
          ...m.added.map((id) => `+ ${tacticName(id)} (${id})`),
          ...m.removed.map((id) => `- ${tacticName(id)} (${id})`),
        ].join(', ')}`,
    ),
  );
  section(
    'Maturity',
    diff.maturity.map((m) => `~ ${m.id} ${m.name}: ${m.from ?? 'none'} → ${m.to ?? 'none'}`),
  );
  section(
    'Mitigations added',
    diff.mitigations.added.map((m) => `+ ${m.id} ${m.name}`),
  );
  section(
    'Mitigations removed',
    diff.mitigations.removed.map((m) => `- ${m.id} ${m.name}`),
  );
  section(
    'Mitigations renamed',
    diff.mitigations.renamed.map((r) => `~ ${r.id} "${r.from}" → "${r.to}"`),
  );
  section(
    'Mitigation links added',
    diff.mitigationLinks.added.map(
      (l) => `+ ${l.mitigation} ${name(after, l.mitigation)} → ${l.technique} ${name(after, l.technique)}`,
    ),
  );
  section(
    'Mitigation links removed',
    diff.mitigationLinks.removed.map(
      (l) => `- ${l.mitigation} ${name(before, l.mitigation)} → ${l.technique} ${name(before, l.technique)}`,
    ),
  );
  section(
    'Case studies added',
    diff.caseStudies.added.map((c) => `+ ${c.id} ${c.name}${c.type ? ` (${c.type})` : ''}`),
  );
  section(
    'Case studies removed',
    diff.caseStudies.removed.map((c) => `- ${c.id} ${c.name}`),
  );
  if (diff.techniques.descriptionChanged.length > 0) {
    lines.push('', `Technique descriptions changed (${String(diff.techniques.descriptionChanged.length)})`);
    lines.push(...wrapParagraph(diff.techniques.descriptionChanged.join(' '), width, { indent: '  ' }));
  }
  return `${lines.join('\n')}\n`;
}

export async function kbDiff(
  ctx: CliContext,
  oldSpec: string,
  newSpec: string,
  options: KbDiffOptions,
): Promise<void> {
  const format = chosenFormat(options, 'text');
  const before = await loadCatalogSpec(oldSpec, { env: ctx.env, cwd: ctx.cwd });
  const after = await loadCatalogSpec(newSpec, { env: ctx.env, cwd: ctx.cwd });
  const diff = kbDiffJson(before, after);
  if (format === 'json') {
    await emit(ctx, toJson(diff), undefined);
    return;
  }
  const colors = stdoutColors(ctx);
  const text = renderKbDiff(diff, before.catalog, after.catalog, proseWidth(ctx.stdout));
  await emit(
    ctx,
    text
      .split('\n')
      .map((line) =>
        /^\s*\+ /.test(line)
          ? colors.green(line)
          : /^\s*- /.test(line)
            ? colors.red(line)
            : /^[A-Z]/.test(line)
              ? colors.bold(line)
              : paintAtlasIds(colors, line),
      )
      .join('\n'),
    undefined,
  );
}
