import type { Catalog } from '../atlas/catalog.js';
import { closest } from './did-you-mean.js';
import { renderPath, type ModelIssue, type ModelPath, type PositionIndex } from './parse-model.js';
import type { SystemModel } from './system-model-schema.js';

export interface CheckOptions {
  /** IDs of the question bank; answers to other IDs become warnings. */
  questionIds?: ReadonlySet<string>;
}

export interface CheckResult {
  errors: ModelIssue[];
  warnings: ModelIssue[];
}

/**
 * Checks what the schema cannot: unique asset IDs, references between assets, and ATLAS IDs
 * against the loaded catalog (with did-you-mean). Positions come from the parse.
 */
export function checkSystemModel(
  model: SystemModel,
  positions: PositionIndex,
  catalog: Catalog,
  options: CheckOptions = {},
): CheckResult {
  const errors: ModelIssue[] = [];
  const warnings: ModelIssue[] = [];
  const issue = (list: ModelIssue[], path: ModelPath, message: string, hint?: string): void => {
    list.push({ message, hint, path, position: positions.at(path) });
  };

  // Unique IDs across every element and the actors.
  const owners = new Map<string, string>();
  const sections = [
    ['environment', model.environment],
    ['platform', model.platform],
    ['model', model.model],
    ['data', model.data],
    ['actors', model.actors],
  ] as const;
  for (const [section, list] of sections) {
    list.forEach((asset, i) => {
      const previous = owners.get(asset.id);
      if (previous !== undefined) {
        issue(
          errors,
          [section, i, 'id'],
          `duplicate id "${asset.id}" (already used at ${previous})`,
          'IDs are unique across the whole model',
        );
      } else owners.set(asset.id, renderPath([section, i]));
    });
  }
  const ids = (section: 'environment' | 'platform' | 'model' | 'data' | 'actors'): Set<string> =>
    new Set(model[section].map((a) => a.id));
  const env = ids('environment');
  const platform = ids('platform');
  const models = ids('model');
  const data = ids('data');
  const actors = ids('actors');
  const all = new Set([...env, ...platform, ...models, ...data, ...actors]);

  const ref = (path: ModelPath, value: string, allowed: Set<string>, what: string): void => {
    if (allowed.has(value)) return;
    const suggestions = closest(value, allowed);
    const elsewhere = all.has(value) ? ` ("${value}" exists but is not ${what})` : '';
    issue(
      errors,
      path,
      `unknown ${what} "${value}"${elsewhere}`,
      suggestions.length > 0
        ? `did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?`
        : `declare it first, or use one of the ${what} IDs of the model`,
    );
  };
  const envOrPlatform = new Set([...env, ...platform]);

  model.platform.forEach((p, i) => {
    p.runsOn.forEach((r, j) => {
      ref(['platform', i, 'runsOn', j], r, env, 'an environment asset');
    });
  });
  model.model.forEach((m, i) => {
    m.servedBy.forEach((r, j) => {
      ref(['model', i, 'servedBy', j], r, envOrPlatform, 'an environment or platform asset');
    });
    m.trainedOn.forEach((r, j) => {
      ref(['model', i, 'trainedOn', j], r, data, 'a data asset');
    });
    m.rag.forEach((r, j) => {
      ref(['model', i, 'rag', j, 'data'], r.data, data, 'a data asset');
      if (r.store !== undefined) ref(['model', i, 'rag', j, 'store'], r.store, platform, 'a platform asset');
    });
    m.agency?.mcpServers.forEach((r, j) => {
      ref(['model', i, 'agency', 'mcpServers', j], r, platform, 'a platform asset');
    });
    m.agency?.tools.forEach((t, j) => {
      if (t.via !== undefined)
        ref(['model', i, 'agency', 'tools', j, 'via'], t.via, platform, 'a platform asset');
    });
    if (m.task !== 'llm' && (m.agency !== undefined || m.systemPrompt !== undefined)) {
      const path = m.agency !== undefined ? ['model', i, 'agency'] : ['model', i, 'systemPrompt'];
      issue(
        warnings,
        path,
        `model "${m.id}" has agency or a system prompt but its task is "${m.task}"`,
        'agents and system prompts belong to `task: llm` models',
      );
    }
  });
  model.data.forEach((d, i) => {
    d.storedIn.forEach((r, j) => {
      ref(['data', i, 'storedIn', j], r, envOrPlatform, 'an environment or platform asset');
    });
  });
  model.flows.forEach((f, i) => {
    ref(['flows', i, 'from'], f.from, all, 'an asset or actor');
    ref(['flows', i, 'to'], f.to, all, 'an asset or actor');
    f.data.forEach((r, j) => {
      ref(['flows', i, 'data', j], r, data, 'a data asset');
    });
  });

  // ATLAS IDs against the loaded catalog.
  const mitigationIds = catalog.mitigations.map((m) => m.id);
  const techniqueIds = catalog.techniques.map((t) => t.id);
  const seenMitigations = new Map<string, number>();
  model.mitigations.forEach((m, i) => {
    const path = ['mitigations', i, 'id'];
    if (catalog.mitigation(m.id) === undefined) {
      issue(
        errors,
        path,
        `unknown ATLAS mitigation "${m.id}" in ATLAS ${catalog.version}`,
        atlasHint(m.id, mitigationIds, catalog, 'mitigation'),
      );
    }
    m.scope.forEach((s, j) => {
      ref(['mitigations', i, 'scope', j], s, all, 'an asset');
    });
    const key = `${m.id}|${[...m.scope].sort().join(',')}`;
    const before = seenMitigations.get(key);
    if (before !== undefined) {
      issue(
        errors,
        path,
        `mitigation ${m.id} is stated twice for the same scope (also at mitigations[${String(before)}])`,
        'merge the two entries',
      );
    } else seenMitigations.set(key, i);
  });
  model.decisions.forEach((d, i) => {
    const path = ['decisions', i, 'technique'];
    if (catalog.technique(d.technique) === undefined) {
      issue(
        errors,
        path,
        `unknown ATLAS technique "${d.technique}" in ATLAS ${catalog.version}`,
        atlasHint(d.technique, techniqueIds, catalog, 'technique'),
      );
    }
  });
  const answered = new Map<string, number>();
  model.answers.forEach((a, i) => {
    const path = ['answers', i, 'question'];
    const before = answered.get(a.question);
    if (before !== undefined) {
      issue(
        errors,
        path,
        `question ${a.question} is answered twice (also at answers[${String(before)}])`,
        'keep one answer per question',
      );
    } else answered.set(a.question, i);
    if (options.questionIds && options.questionIds.size > 0 && !options.questionIds.has(a.question)) {
      const suggestions = closest(a.question, options.questionIds);
      issue(
        warnings,
        path,
        `unknown question "${a.question}": the answer is ignored`,
        suggestions.length > 0
          ? `did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?`
          : 'see the question bank',
      );
    }
  });
  return { errors, warnings };
}

function atlasHint(
  id: string,
  candidates: readonly string[],
  catalog: Catalog,
  kind: 'technique' | 'mitigation',
): string {
  const other = catalog.get(id);
  if (other !== undefined) {
    return `${id} is a ${other.kind} ("${other.value.name}"), not a ${kind}`;
  }
  const suggestions = closest(id, candidates).map((s) => `${s} (${catalog.get(s)?.value.name ?? ''})`);
  if (suggestions.length > 0) return `did you mean ${suggestions.join(' or ')}?`;
  return kind === 'mitigation'
    ? 'ATLAS mitigation IDs look like AML.M0015; `atlasguard kb search TEXT` finds them'
    : 'ATLAS technique IDs look like AML.T0051 or AML.T0051.001; `atlasguard kb search TEXT` finds them';
}
