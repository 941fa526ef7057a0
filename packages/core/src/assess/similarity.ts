import type { Catalog } from '../atlas/catalog.js';
import type { CaseStudy } from '../atlas/catalog-types.js';
import type { SystemModel } from '../model/system-model-schema.js';
import type { CaseStudyRef } from './assessment-types.js';
import type { Traits } from './traits.js';

/**
 * A small shared vocabulary for comparing the assessed system with ATLAS case studies. System profiles come
 * from the model; case-study profiles from the techniques their procedures use and words in their name,
 * summary and target.
 */
export const PROFILE_TRAITS = [
  'llm',
  'rag',
  'agent',
  'mcp',
  'code',
  'email',
  'browsing',
  'memory',
  'public-api',
  'api',
  'on-device',
  'physical',
  'predictive',
  'security-detector',
  'vision',
  'speech',
  'open-weights',
  'hosted-llm',
  'unsafe-format',
  'mlops',
  'notebook',
  'training-data',
  'finance',
  'healthcare',
  'government',
] as const;
export type ProfileTrait = (typeof PROFILE_TRAITS)[number];

/** The system's profile: which of the shared traits it has. */
export function systemProfile(model: SystemModel, traits: Traits): ProfileTrait[] {
  const out = new Set<ProfileTrait>();
  const has = (t: Parameters<Traits['has']>[0]): boolean => traits.has(t);
  if (has('model.llm')) out.add('llm');
  if (has('model.rag')) out.add('rag');
  if (has('model.agent')) out.add('agent');
  if (has('platform.mcp')) out.add('mcp');
  if (has('model.generates-code') || has('model.code-execution')) out.add('code');
  if (has('model.email')) out.add('email');
  if (has('model.browsing')) out.add('browsing');
  if (has('model.memory')) out.add('memory');
  if (has('model.api-public')) out.add('public-api');
  if (has('model.api-any')) out.add('api');
  if (has('model.on-device')) out.add('on-device');
  if (has('model.physical-input')) out.add('physical');
  if (has('model.predictive')) out.add('predictive');
  if (has('model.security-detector')) out.add('security-detector');
  if (
    model.model.some(
      (m) => m.task === 'vision' || m.inputs.includes('images') || m.purpose === 'face-recognition',
    )
  )
    out.add('vision');
  if (model.model.some((m) => m.task === 'speech')) out.add('speech');
  if (has('model.open-family')) out.add('open-weights');
  if (model.model.some((m) => m.task === 'llm' && m.provenance === 'third-party-api')) out.add('hosted-llm');
  if (has('model.unsafe-format')) out.add('unsafe-format');
  if (has('platform.mlops')) out.add('mlops');
  if (has('platform.notebook')) out.add('notebook');
  if (has('data.training')) out.add('training-data');
  if (model.system.sector === 'finance') out.add('finance');
  if (model.system.sector === 'healthcare') out.add('healthcare');
  if (model.system.sector === 'government') out.add('government');
  return PROFILE_TRAITS.filter((t) => out.has(t));
}

const WORDS: ReadonlyArray<[RegExp, ProfileTrait]> = [
  [/\b(llm|gpt|chatgpt|chatbot|copilot|bard|gemini|claude|language model|assistant)\b/i, 'llm'],
  [/\b(rag|retrieval)\b/i, 'rag'],
  [/\bagents?\b|computer-use|openclaw|clawdbot/i, 'agent'],
  [/\bmcp\b|model context protocol/i, 'mcp'],
  [/\b(code|coding|cursor|vs code|colab|pytorch dependency)\b/i, 'code'],
  [/\be-?mail\b/i, 'email'],
  [
    /\b(malware|antivirus|antimalware|phishing|spam|dga|intrusion|kyc|identity verification|fraud)\b/i,
    'security-detector',
  ],
  [/\b(fraud|bank|financial|payment|transaction|kyc|tax)\b/i, 'finance'],
  [/\b(medical|health|hospital|clinical|patient)\b/i, 'healthcare'],
  [
    /\b(government|governmental|public sector|employment development|defense sector|tax office)\b/i,
    'government',
  ],
  [/\b(face|facial|image|camera|vision|deepfake)\b/i, 'vision'],
  [/\b(voice|speech|audio)\b/i, 'speech'],
  [/\b(camera|physical)\b/i, 'physical'],
  [/\b(hugging ?face|model hub|pre-trained|open-source model|poisongpt)\b/i, 'open-weights'],
  [/\b(pickle|malicious models?)\b/i, 'unsafe-format'],
  [/\b(mlflow|ray|kubeflow|registry|registries)\b/i, 'mlops'],
  [/\b(notebook|jupyter|colab)\b/i, 'notebook'],
  [/\b(mobile|android|ios|app)\b/i, 'on-device'],
  [/\bapi\b/i, 'api'],
];

export const TECHNIQUE_TRAITS: ReadonlyArray<[string, ProfileTrait]> = [
  ['AML.T0051', 'llm'],
  ['AML.T0054', 'llm'],
  ['AML.T0065', 'llm'],
  ['AML.T0056', 'llm'],
  ['AML.T0070', 'rag'],
  ['AML.T0066', 'rag'],
  ['AML.T0085.000', 'rag'],
  ['AML.T0082', 'rag'],
  ['AML.T0053', 'agent'],
  ['AML.T0086', 'agent'],
  ['AML.T0084', 'agent'],
  ['AML.T0110', 'mcp'],
  ['AML.T0104', 'mcp'],
  ['AML.T0080', 'memory'],
  ['AML.T0078', 'browsing'],
  ['AML.T0100', 'browsing'],
  ['AML.T0010.003', 'open-weights'],
  ['AML.T0058', 'open-weights'],
  ['AML.T0011.000', 'unsafe-format'],
  ['AML.T0018.002', 'unsafe-format'],
  ['AML.T0041', 'physical'],
  ['AML.T0040', 'api'],
  ['AML.T0024', 'api'],
  ['AML.T0015', 'predictive'],
  ['AML.T0043', 'predictive'],
  ['AML.T0020', 'training-data'],
  ['AML.T0019', 'training-data'],
  ['AML.T0004', 'on-device'],
];

/** The profile of a case study, from its procedure and its words. */
export function caseStudyProfile(study: CaseStudy): ProfileTrait[] {
  const out = new Set<ProfileTrait>();
  const text = `${study.name} ${study.summary} ${study.target ?? ''}`;
  for (const [pattern, trait] of WORDS) if (pattern.test(text)) out.add(trait);
  for (const step of study.procedure) {
    for (const [prefix, trait] of TECHNIQUE_TRAITS) {
      if (step.technique === prefix || step.technique.startsWith(`${prefix}.`)) out.add(trait);
    }
  }
  return PROFILE_TRAITS.filter((t) => out.has(t));
}

export interface RankedCaseStudy {
  study: CaseStudy;
  similarity: number;
  matched: ProfileTrait[];
  /** Procedure techniques (as used in the study) that apply to the system. */
  applicableSteps: number;
}

/**
 * How much a case study looks like the system: 60 % the share of its procedure techniques that apply here
 * (a sub-technique counts when its parent applies), 40 % the share of its profile traits the system shares.
 */
export function rankCaseStudies(
  catalog: Catalog,
  profile: readonly ProfileTrait[],
  applies: ReadonlySet<string>,
): RankedCaseStudy[] {
  const mine = new Set(profile);
  const ranked: RankedCaseStudy[] = [];
  for (const study of catalog.caseStudies) {
    const techniques = [...new Set(study.procedure.map((s) => s.technique))];
    const applicable = techniques.filter(
      (t) => applies.has(t) || applies.has(t.split('.').slice(0, 2).join('.')),
    );
    const traits = caseStudyProfile(study);
    const matched = traits.filter((t) => mine.has(t));
    const stepShare = techniques.length === 0 ? 0 : applicable.length / techniques.length;
    const traitShare = traits.length === 0 ? 0 : matched.length / traits.length;
    const similarity = Math.round((0.6 * stepShare + 0.4 * traitShare) * 100) / 100;
    ranked.push({ study, similarity, matched, applicableSteps: applicable.length });
  }
  ranked.sort(
    (a, b) =>
      b.similarity - a.similarity ||
      (a.study.type === 'incident' ? 0 : 1) - (b.study.type === 'incident' ? 0 : 1) ||
      a.study.id.localeCompare(b.study.id),
  );
  return ranked;
}

export function caseStudyRef(ranked: RankedCaseStudy): CaseStudyRef {
  const year = yearOf(ranked.study.date);
  return {
    id: ranked.study.id,
    name: ranked.study.name,
    type: ranked.study.type ?? 'unknown',
    ...(year === undefined ? {} : { year }),
    similarity: ranked.similarity,
    matched: ranked.matched,
  };
}

export function yearOf(date: string | undefined): number | undefined {
  const match = date === undefined ? null : /^(\d{4})/.exec(date);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}
