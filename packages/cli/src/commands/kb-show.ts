import {
  describeObject,
  resolveLinks,
  resolveObject,
  suggestIds,
  type AtlasRef,
  type Catalog,
  type CaseStudyGroups,
  type CaseStudyMention,
  type ObjectView,
} from '@atlasguard/core/atlas';
import { AtlasGuardError, ExitCode } from '@atlasguard/core/errors';
import type { CliContext } from '../context.js';
import { paintAtlasIds } from '../output/atlas-ids.js';
import { emit, toJson } from '../output/emit.js';
import { chosenFormat } from '../output/format.js';
import { proseWidth } from '../output/width.js';
import { keyValueLines, wrapParagraph, wrapText } from '../output/wrap.js';
import { loadKbCatalog, stdoutColors } from './kb-runtime.js';

export interface KbShowOptions {
  format?: 'text' | 'json' | undefined;
  json?: true | undefined;
  width?: number | undefined;
}

/** The object named by `input`, or exit 2 with "did you mean". */
export function findObject(catalog: Catalog, input: string): ObjectView {
  const object = resolveObject(catalog, input);
  const view = object ? describeObject(catalog, object.value.id) : undefined;
  if (view) return view;
  const suggestions = suggestIds(catalog, input);
  throw new AtlasGuardError(`unknown ATLAS ID "${input}" in ATLAS ${catalog.version}`, {
    exitCode: ExitCode.Error,
    hint:
      suggestions.length > 0
        ? `did you mean ${suggestions.map((s) => `${s.id} (${s.name})`).join(', ')}? ` +
          'Find others with `atlasguard kb search TEXT`'
        : 'find IDs with `atlasguard kb search TEXT` or `atlasguard kb matrix`',
  });
}

const ref = (r: AtlasRef): string => `${r.id} ${r.name}`;

function refList(title: string, refs: readonly AtlasRef[], width: number): string[] {
  if (refs.length === 0) return [];
  return [
    '',
    `${title} (${String(refs.length)})`,
    ...refs.flatMap((r) => wrapParagraph(ref(r), width, { firstIndent: '  ', indent: '      ' })),
  ];
}

function withUse(title: string, links: ReadonlyArray<AtlasRef & { use: string }>, width: number): string[] {
  if (links.length === 0) return [];
  const lines = ['', `${title} (${String(links.length)})`];
  for (const link of links) {
    lines.push(...wrapParagraph(ref(link), width, { firstIndent: '  ', indent: '      ' }));
    if (link.use !== '') lines.push(...wrapText(resolveLinks(link.use), width, '      '));
  }
  return lines;
}

function studyLine(s: CaseStudyMention): string {
  return `${s.id} ${s.name}${s.date ? ` (${s.date})` : ''}`;
}

function description(title: string, markdown: string, width: number): string[] {
  const text = wrapText(resolveLinks(markdown), width, '  ');
  return text.length === 0 ? [] : ['', title, ...text];
}

function dates(created: string | null, modified: string | null): Array<[string, string]> {
  if (created === null && modified === null) return [];
  const parts = [
    created === null ? undefined : `created ${created}`,
    modified === null ? undefined : `modified ${modified}`,
  ];
  return [['Dates', parts.filter((p) => p !== undefined).join(', ')]];
}

const count = (n: number, one: string, many = `${one}s`): string => `${String(n)} ${n === 1 ? one : many}`;

function caseStudyLines(title: string, groups: CaseStudyGroups, width: number, none?: string): string[] {
  const { incidents, exercises, other } = groups;
  const lines = [
    '',
    `${title} (${count(incidents.length, 'incident')}, ${count(exercises.length, 'exercise')}${other.length > 0 ? `, ${String(other.length)} other` : ''})`,
  ];
  if (incidents.length + exercises.length + other.length === 0 && none !== undefined) lines.push(`  ${none}`);
  for (const [label, list] of [
    ['Incidents', incidents],
    ['Exercises', exercises],
    ['Other', other],
  ] as const) {
    if (list.length === 0) continue;
    lines.push(`  ${label}`);
    for (const s of list)
      lines.push(...wrapParagraph(studyLine(s), width, { firstIndent: '    ', indent: '        ' }));
  }
  return lines;
}

/** `kb show` as text: header facts, the description with links resolved, then related objects. */
export function renderObject(view: ObjectView, width: number): string {
  const lines = [`${view.id}  ${view.name}`];
  switch (view.kind) {
    case 'technique': {
      const facts: Array<[string, string]> = [
        ['Kind', view.parent ? 'sub-technique' : 'technique'],
        ['Maturity', view.maturity ?? 'not stated'],
        ['Tactics', view.tactics.map(ref).join(', ') || 'none'],
      ];
      if (view.parent) facts.push(['Parent', ref(view.parent)]);
      if (view.attackReference)
        facts.push([
          'ATT&CK',
          `${view.attackReference.id}${view.attackReference.url ? ` ${view.attackReference.url}` : ''}`,
        ]);
      facts.push(...dates(view.created, view.modified), ['URL', view.url]);
      lines.push(...keyValueLines(facts, width));
      lines.push(...description('Description', view.description, width));
      lines.push(...refList('Sub-techniques', view.subtechniques, width));
      lines.push(...withUse('Mitigations', view.mitigations, width));
      if (view.mitigations.length === 0)
        lines.push('', 'Mitigations (0)', '  none listed in ATLAS for this technique');
      lines.push(
        ...withUse(`Mitigations of the parent ${view.parent?.id ?? ''}`, view.parentMitigations, width),
      );
      lines.push(
        ...caseStudyLines('Case studies', view.caseStudies, width, 'none in ATLAS use this technique'),
      );
      const via = view.subtechniqueCaseStudies;
      if (via.incidents.length + via.exercises.length + via.other.length > 0)
        lines.push(...caseStudyLines('Case studies through its sub-techniques', via, width));
      break;
    }
    case 'tactic': {
      const facts: Array<[string, string]> = [
        ['Kind', 'tactic'],
        ['Shortname', view.shortname],
        ['Position', `column ${String(view.position)} of the matrix`],
      ];
      if (view.attackReference)
        facts.push([
          'ATT&CK',
          `${view.attackReference.id}${view.attackReference.url ? ` ${view.attackReference.url}` : ''}`,
        ]);
      facts.push(...dates(view.created, view.modified), ['URL', view.url]);
      lines.push(...keyValueLines(facts, width));
      lines.push(...description('Description', view.description, width));
      lines.push('', `Techniques (${String(view.techniques.length)})`);
      for (const t of view.techniques) {
        const subs =
          t.subtechniques > 0
            ? ` (+${String(t.subtechniques)} sub-technique${t.subtechniques === 1 ? '' : 's'})`
            : '';
        lines.push(...wrapParagraph(`${ref(t)}${subs}`, width, { firstIndent: '  ', indent: '      ' }));
      }
      break;
    }
    case 'mitigation': {
      const facts: Array<[string, string]> = [
        ['Kind', 'mitigation'],
        ['Category', view.category.join(', ') || 'none'],
        ['ML lifecycle', view.mlLifecycle.join(', ') || 'none'],
      ];
      if (view.attackReference)
        facts.push([
          'ATT&CK',
          `${view.attackReference.id}${view.attackReference.url ? ` ${view.attackReference.url}` : ''}`,
        ]);
      facts.push(...dates(view.created, view.modified), ['URL', view.url]);
      lines.push(...keyValueLines(facts, width));
      lines.push(...description('Description', view.description, width));
      lines.push(...withUse('Techniques', view.techniques, width));
      break;
    }
    case 'case-study': {
      const facts: Array<[string, string]> = [['Kind', `case study (${view.type ?? 'type not stated'})`]];
      if (view.date)
        facts.push([
          'Date',
          view.dateGranularity && view.dateGranularity !== 'DATE'
            ? `${view.date} (${view.dateGranularity.toLowerCase()})`
            : view.date,
        ]);
      if (view.target) facts.push(['Target', view.target]);
      if (view.actor) facts.push(['Actor', view.actor]);
      if (view.reporter) facts.push(['Reporter', view.reporter]);
      facts.push(['URL', view.url]);
      lines.push(...keyValueLines(facts, width));
      lines.push(...description('Summary', view.summary, width));
      lines.push('', `Procedure (${String(view.procedure.length)} steps)`);
      view.procedure.forEach((step, i) => {
        const n = `${String(i + 1)}.`;
        const pad = ' '.repeat(n.length + 3);
        lines.push(
          ...wrapParagraph(
            `${step.technique.name} (${step.technique.id}) — ${step.tactic.name} (${step.tactic.id})`,
            width,
            { firstIndent: `  ${n} `, indent: pad },
          ),
        );
        lines.push(...wrapText(resolveLinks(step.description), width, pad));
      });
      if (view.references.length > 0) {
        lines.push('', `References (${String(view.references.length)})`);
        for (const r of view.references) {
          const text = [r.title, r.url === undefined ? undefined : `<${r.url}>`]
            .filter((p) => p !== undefined)
            .join(' ');
          lines.push(
            ...wrapParagraph(text, width, { firstIndent: '  - ', indent: '    ', breakLongWords: false }),
          );
        }
      }
      break;
    }
  }
  return `${lines.join('\n')}\n`;
}

export async function kbShow(ctx: CliContext, id: string, options: KbShowOptions): Promise<void> {
  const format = chosenFormat(options, 'text');
  const { catalog } = await loadKbCatalog(ctx);
  const view = findObject(catalog, id);
  if (format === 'json') {
    await emit(ctx, toJson({ atlasVersion: catalog.version, ...view }), undefined);
    return;
  }
  const colors = stdoutColors(ctx);
  const text = renderObject(view, Math.max(30, options.width ?? proseWidth(ctx.stdout)));
  const painted = text
    .split('\n')
    .map((line, i) =>
      i === 0 || /^[A-Z][^ ].*\(\d|^[A-Z][a-z]+$/.test(line)
        ? colors.bold(line)
        : paintAtlasIds(colors, line),
    )
    .join('\n');
  await emit(ctx, painted, undefined);
}
