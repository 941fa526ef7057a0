import type { AssetRef } from './assessment-types.js';
import type { Element } from '../findings/finding.js';
import type { SystemModel } from '../model/system-model-schema.js';

/**
 * Traits: facts derived from the system model that applicability rules test. Every trait carries the assets it
 * concerns and the model paths that made it true, so every decision can be traced back to what the team wrote.
 */
export const TRAITS = [
  // system
  'sector.finance',
  'sector.healthcare',
  'sector.government',
  'sector.critical-infrastructure',
  'system.public-users',
  'system.partners',
  'system.internet-facing',
  'system.regulated-data',
  'system.third-party-services',
  // model
  'model.any',
  'model.llm',
  'model.not-llm',
  'model.predictive',
  'model.security-detector',
  'model.vision-or-speech',
  'model.physical-input',
  'model.api-public',
  'model.api-authenticated',
  'model.api-any',
  'model.query-access',
  'model.on-device',
  'model.no-query-access',
  'model.outputs-scores',
  'model.outputs-labels-only',
  'model.outputs-logprobs',
  'model.outputs-text',
  'model.outputs-embeddings',
  'model.rate-limited',
  'model.not-rate-limited',
  'model.renders-markup',
  'model.automated-decisions',
  'model.online-learning',
  'model.trained-here',
  'model.external-weights',
  'model.open-family',
  'model.third-party-api',
  'model.unsafe-format',
  'model.weights-distributed',
  'model.artifacts-unverified',
  'model.agent',
  'model.tools-side-effects',
  'model.tools-unapproved',
  'model.tools-data-access',
  'model.code-execution',
  'model.code-execution-host',
  'model.browsing',
  'model.email',
  'model.memory',
  'model.memory-persistent',
  'model.autonomous',
  'model.rag',
  'model.rag-untrusted',
  'model.untrusted-content',
  'model.system-prompt',
  'model.system-prompt-secrets',
  'model.system-prompt-confidential',
  'model.generates-code',
  'model.generative',
  // platform
  'platform.any',
  'platform.exposed',
  'platform.unauthenticated',
  'platform.mlops',
  'platform.notebook',
  'platform.vector-db',
  'platform.llm-gateway',
  'platform.agent-framework',
  'platform.mcp',
  'platform.mcp-third-party',
  'platform.unpinned',
  'platform.open-source',
  'platform.registry',
  'platform.package-index',
  // environment
  'environment.any',
  'environment.cloud',
  'environment.container',
  'environment.ci-cd',
  'environment.registry',
  'environment.edge',
  'environment.exposed',
  'environment.not-air-gapped',
  'environment.weak-secrets',
  'environment.weak-identity',
  'environment.workstation',
  // data
  'data.training',
  'data.training-external',
  'data.training-user',
  'data.training-unverified',
  'data.fine-tuning',
  'data.feedback',
  'data.rag-corpus',
  'data.rag-external',
  'data.sensitive',
  'data.credentials',
  'data.logs',
  'data.public-dataset',
  'data.provenance-controlled',
  // actors and flows
  'actors.public',
  'actors.employees',
  'actors.untrusted-boundary',
] as const;
export type Trait = (typeof TRAITS)[number];

export interface TraitEvidence {
  path: string;
  value: string;
  note: string;
  /** The asset this piece of evidence is about (absent for system-wide facts). */
  asset?: string;
}

export interface TraitValue {
  assets: AssetRef[];
  evidence: TraitEvidence[];
}

export type Traits = ReadonlyMap<Trait, TraitValue>;

const ELEMENT_OF_SECTION = {
  environment: 'environment',
  platform: 'platform',
  model: 'model',
  data: 'data',
} as const;

export function assetRefs(model: SystemModel): Map<string, AssetRef> {
  const refs = new Map<string, AssetRef>();
  for (const section of ['environment', 'platform', 'model', 'data'] as const) {
    const element: Element = ELEMENT_OF_SECTION[section];
    for (const asset of model[section]) {
      const kind = 'kind' in asset ? asset.kind : 'task' in asset ? asset.task : asset.role;
      refs.set(asset.id, { id: asset.id, name: asset.name ?? asset.id, element, kind });
    }
  }
  return refs;
}

const UNSAFE_FORMATS = new Set(['pickle', 'joblib', 'pytorch', 'keras']);
const SENSITIVE = new Set(['pii', 'phi', 'pci', 'credentials', 'trade-secrets']);
const SECURITY_PURPOSES = new Set([
  'fraud-detection',
  'malware-detection',
  'face-recognition',
  'content-moderation',
  'spam-filtering',
  'intrusion-detection',
]);

/** Derives every trait of a model. Pure and linear in the model size. */
export function deriveTraits(model: SystemModel): Traits {
  const traits = new Map<Trait, TraitValue>();
  const refs = assetRefs(model);
  const add = (trait: Trait, asset: string | undefined, path: string, value: unknown, note: string): void => {
    let entry = traits.get(trait);
    if (!entry) {
      entry = { assets: [], evidence: [] };
      traits.set(trait, entry);
    }
    const ref = asset === undefined ? undefined : refs.get(asset);
    if (ref && !entry.assets.some((a) => a.id === ref.id)) entry.assets.push(ref);
    const known = ref !== undefined && entry.evidence.some((e) => e.asset === ref.id);
    if (entry.evidence.length < 8 || (ref !== undefined && !known && entry.evidence.length < 64)) {
      entry.evidence.push({
        path,
        value: render(value),
        note,
        ...(ref === undefined ? {} : { asset: ref.id }),
      });
    }
  };

  const sys = model.system;
  if (
    sys.sector === 'finance' ||
    sys.sector === 'healthcare' ||
    sys.sector === 'government' ||
    sys.sector === 'critical-infrastructure'
  ) {
    add(`sector.${sys.sector}`, undefined, 'system.sector', sys.sector, `the ${sys.sector} sector`);
  }
  if (sys.dataClasses.some((c) => SENSITIVE.has(c))) {
    add(
      'system.regulated-data',
      undefined,
      'system.dataClasses',
      sys.dataClasses,
      'the system handles sensitive data',
    );
  }

  model.actors.forEach((a, i) => {
    const p = `actors[${String(i)}]`;
    if (a.kind === 'public-users' || a.kind === 'customers') {
      add('system.public-users', undefined, `${p}.kind`, a.kind, 'members of the public use the system');
      add('actors.public', undefined, `${p}.kind`, a.kind, 'untrusted people interact with the system');
    }
    if (a.kind === 'partners')
      add('system.partners', undefined, `${p}.kind`, a.kind, 'partners use the system');
    if (a.kind === 'employees')
      add('actors.employees', undefined, `${p}.kind`, a.kind, 'employees use the system');
    if (a.kind === 'third-party-services') {
      add(
        'system.third-party-services',
        undefined,
        `${p}.kind`,
        a.kind,
        'third-party services exchange data with it',
      );
    }
  });
  const actorKinds = new Map(model.actors.map((a) => [a.id, a.kind]));
  model.flows.forEach((f, i) => {
    const fromKind = actorKinds.get(f.from);
    if (
      f.crossesTrustBoundary &&
      (fromKind === 'public-users' ||
        fromKind === 'customers' ||
        fromKind === 'partners' ||
        fromKind === 'third-party-services')
    ) {
      add(
        'actors.untrusted-boundary',
        f.to,
        `flows[${String(i)}]`,
        `${f.from} -> ${f.to}`,
        'untrusted input crosses a trust boundary into this asset',
      );
    }
  });

  // ---------- environment ----------
  model.environment.forEach((e, i) => {
    const p = `environment[${String(i)}]`;
    add('environment.any', e.id, `${p}.kind`, e.kind, 'infrastructure in scope');
    if (e.kind === 'cloud-account' || e.kind === 'saas')
      add('environment.cloud', e.id, `${p}.kind`, e.kind, 'cloud or SaaS infrastructure');
    if (e.kind === 'cluster') add('environment.container', e.id, `${p}.kind`, e.kind, 'container cluster');
    if (e.kind === 'ci-cd')
      add('environment.ci-cd', e.id, `${p}.kind`, e.kind, 'CI/CD system builds or ships AI artifacts');
    if (e.kind === 'registry')
      add('environment.registry', e.id, `${p}.kind`, e.kind, 'artifact or container registry');
    if (e.kind === 'edge-device' || e.kind === 'mobile-device')
      add('environment.edge', e.id, `${p}.kind`, e.kind, 'devices outside the data centre');
    if (e.kind === 'workstation')
      add('environment.workstation', e.id, `${p}.kind`, e.kind, 'developer or user workstations');
    if (e.exposure === 'internet' || e.exposure === 'partner') {
      add(
        'environment.exposed',
        e.id,
        `${p}.exposure`,
        e.exposure,
        'reachable from outside the organisation',
      );
      if (e.exposure === 'internet')
        add('system.internet-facing', e.id, `${p}.exposure`, e.exposure, 'reachable from the internet');
    }
    if (e.exposure !== 'air-gapped')
      add('environment.not-air-gapped', e.id, `${p}.exposure`, e.exposure, 'connected to other networks');
    if (e.secrets === 'env-vars' || e.secrets === 'files' || e.secrets === 'plaintext-in-repo') {
      add(
        'environment.weak-secrets',
        e.id,
        `${p}.secrets`,
        e.secrets,
        'secrets are readable by anything running there',
      );
    }
    if (e.identity === 'shared-accounts' || e.identity === 'local-accounts' || e.identity === 'none') {
      add(
        'environment.weak-identity',
        e.id,
        `${p}.identity`,
        e.identity,
        'accounts are shared, local or absent',
      );
    }
  });

  // ---------- platform ----------
  model.platform.forEach((pl, i) => {
    const p = `platform[${String(i)}]`;
    add('platform.any', pl.id, `${p}.kind`, pl.kind, 'AI platform software in scope');
    if (pl.exposure === 'internet' || pl.exposure === 'partner') {
      add('platform.exposed', pl.id, `${p}.exposure`, pl.exposure, 'platform service reachable from outside');
      if (pl.exposure === 'internet')
        add('system.internet-facing', pl.id, `${p}.exposure`, pl.exposure, 'reachable from the internet');
    }
    if (pl.auth === 'none' || pl.auth === 'basic')
      add('platform.unauthenticated', pl.id, `${p}.auth`, pl.auth, 'weak or no authentication');
    if (
      pl.kind === 'mlflow' ||
      pl.kind === 'kubeflow' ||
      pl.kind === 'ray' ||
      pl.kind === 'model-registry' ||
      pl.kind === 'feature-store'
    ) {
      add('platform.mlops', pl.id, `${p}.kind`, pl.kind, 'MLOps service holding models, runs or features');
    }
    if (pl.kind === 'jupyter')
      add('platform.notebook', pl.id, `${p}.kind`, pl.kind, 'notebooks run arbitrary code');
    if (pl.kind === 'vector-db') add('platform.vector-db', pl.id, `${p}.kind`, pl.kind, 'vector database');
    if (pl.kind === 'llm-gateway') add('platform.llm-gateway', pl.id, `${p}.kind`, pl.kind, 'LLM gateway');
    if (pl.kind === 'agent-framework')
      add('platform.agent-framework', pl.id, `${p}.kind`, pl.kind, 'agent framework');
    if (pl.kind === 'mcp-server') {
      add('platform.mcp', pl.id, `${p}.kind`, pl.kind, 'MCP server gives the model tools');
      if (pl.source !== 'in-house')
        add(
          'platform.mcp-third-party',
          pl.id,
          `${p}.source`,
          pl.source ?? 'unspecified',
          'MCP server not written in-house',
        );
    }
    if (pl.kind === 'model-registry' || pl.kind === 'container-registry')
      add('platform.registry', pl.id, `${p}.kind`, pl.kind, 'registry of artifacts');
    if (pl.kind === 'package-index')
      add('platform.package-index', pl.id, `${p}.kind`, pl.kind, 'package index');
    if (pl.pinned !== true)
      add(
        'platform.unpinned',
        pl.id,
        `${p}.pinned`,
        pl.pinned ?? 'unspecified',
        'versions not pinned and reviewed',
      );
    if (pl.source === 'open-source' || pl.source === undefined)
      add(
        'platform.open-source',
        pl.id,
        `${p}.source`,
        pl.source ?? 'unspecified',
        'open-source software from public indexes',
      );
  });

  // ---------- data ----------
  const dataById = new Map(model.data.map((d) => [d.id, d]));
  model.data.forEach((d, i) => {
    const p = `data[${String(i)}]`;
    const external = d.source !== 'internal';
    if (d.role === 'training' || d.role === 'fine-tuning') {
      add('data.training', d.id, `${p}.role`, d.role, 'training data in scope');
      if (external)
        add(
          'data.training-external',
          d.id,
          `${p}.source`,
          d.source,
          'training data comes from outside the organisation',
        );
      if (d.source === 'user-generated')
        add('data.training-user', d.id, `${p}.source`, d.source, 'users write the training data');
      if (
        !d.provenanceControls.includes('hashing') &&
        !d.provenanceControls.includes('signing') &&
        !d.provenanceControls.includes('validation')
      ) {
        add(
          'data.training-unverified',
          d.id,
          `${p}.provenanceControls`,
          d.provenanceControls,
          'no hashing, signing or validation of training data',
        );
      } else {
        add(
          'data.provenance-controlled',
          d.id,
          `${p}.provenanceControls`,
          d.provenanceControls,
          'provenance controls on training data',
        );
      }
      if (d.role === 'fine-tuning') add('data.fine-tuning', d.id, `${p}.role`, d.role, 'fine-tuning data');
      if (d.source === 'public-hub' || d.source === 'public-web')
        add('data.public-dataset', d.id, `${p}.source`, d.source, 'public dataset');
    }
    if (d.role === 'feedback') {
      add('data.feedback', d.id, `${p}.role`, d.role, 'production feedback is collected');
      if (d.source === 'user-generated')
        add('data.training-user', d.id, `${p}.source`, d.source, 'users influence feedback data');
    }
    if (d.role === 'rag-corpus') {
      add('data.rag-corpus', d.id, `${p}.role`, d.role, 'retrieval corpus');
      if (external)
        add('data.rag-external', d.id, `${p}.source`, d.source, 'retrieval corpus written outside the team');
    }
    if (d.role === 'logs') add('data.logs', d.id, `${p}.role`, d.role, 'inference or prompt logs are kept');
    if (d.sensitivity.some((s) => SENSITIVE.has(s)))
      add('data.sensitive', d.id, `${p}.sensitivity`, d.sensitivity, 'holds sensitive data');
    if (d.sensitivity.includes('credentials'))
      add('data.credentials', d.id, `${p}.sensitivity`, d.sensitivity, 'holds credentials');
  });
  if (model.system.dataClasses.includes('credentials'))
    add(
      'data.credentials',
      undefined,
      'system.dataClasses',
      model.system.dataClasses,
      'the system handles credentials',
    );

  // ---------- model ----------
  model.model.forEach((m, i) => {
    const p = `model[${String(i)}]`;
    add('model.any', m.id, `${p}.task`, m.task, 'a model is in scope');
    const llm = m.task === 'llm';
    if (llm) add('model.llm', m.id, `${p}.task`, m.task, 'large language model');
    else add('model.not-llm', m.id, `${p}.task`, m.task, 'not a language model');
    if (m.task === 'llm' || m.task === 'generative-media')
      add('model.generative', m.id, `${p}.task`, m.task, 'generates content');
    if (
      ['classifier', 'detector', 'regression', 'vision', 'speech', 'recommender', 'embedding'].includes(
        m.task,
      )
    ) {
      add('model.predictive', m.id, `${p}.task`, m.task, 'predictive model with decision boundaries');
    }
    if (m.purpose !== undefined && SECURITY_PURPOSES.has(m.purpose)) {
      add(
        'model.security-detector',
        m.id,
        `${p}.purpose`,
        m.purpose,
        'attackers gain by getting past this model',
      );
    }
    if (m.task === 'vision' || m.task === 'speech' || m.inputs.includes('images'))
      add('model.vision-or-speech', m.id, `${p}.task`, m.task, 'perceptual model');
    if (m.inputs.some((x) => x === 'camera' || x === 'microphone' || x === 'sensors')) {
      add('model.physical-input', m.id, `${p}.inputs`, m.inputs, 'reads the physical world through sensors');
    }
    switch (m.access) {
      case 'public-api':
        add('model.api-public', m.id, `${p}.access`, m.access, 'anyone can query the model');
        break;
      case 'authenticated-api':
      case 'partner-api':
        add(
          'model.api-authenticated',
          m.id,
          `${p}.access`,
          m.access,
          'authenticated callers can query the model',
        );
        break;
      case 'on-device':
        add('model.on-device', m.id, `${p}.access`, m.access, 'the model runs on devices users hold');
        break;
      case 'internal':
      case 'none':
        break;
    }
    if (m.access === 'public-api' || m.access === 'authenticated-api' || m.access === 'partner-api') {
      add('model.api-any', m.id, `${p}.access`, m.access, 'the model is queried through an API');
    }
    if (m.access !== 'none')
      add('model.query-access', m.id, `${p}.access`, m.access, 'someone outside the team can send it inputs');
    else add('model.no-query-access', m.id, `${p}.access`, m.access, 'nobody outside the team queries it');
    if (m.outputs.includes('scores'))
      add('model.outputs-scores', m.id, `${p}.outputs`, m.outputs, 'returns confidence scores');
    if (m.outputs.includes('logprobs'))
      add('model.outputs-logprobs', m.id, `${p}.outputs`, m.outputs, 'returns token log-probabilities');
    if (m.outputs.includes('text'))
      add('model.outputs-text', m.id, `${p}.outputs`, m.outputs, 'returns generated text');
    if (m.outputs.includes('embeddings'))
      add('model.outputs-embeddings', m.id, `${p}.outputs`, m.outputs, 'returns embeddings');
    if (m.outputs.every((o) => o === 'labels' || o === 'actions'))
      add('model.outputs-labels-only', m.id, `${p}.outputs`, m.outputs, 'returns labels only, no scores');
    if (m.rateLimited === true)
      add('model.rate-limited', m.id, `${p}.rateLimited`, true, 'queries are rate limited');
    else
      add(
        'model.not-rate-limited',
        m.id,
        `${p}.rateLimited`,
        m.rateLimited ?? 'unspecified',
        'no stated rate limit',
      );
    if (m.outputRendering === 'markdown' || m.outputRendering === 'html')
      add(
        'model.renders-markup',
        m.id,
        `${p}.outputRendering`,
        m.outputRendering,
        'output is rendered as markup',
      );
    if (m.automatedDecisions)
      add(
        'model.automated-decisions',
        m.id,
        `${p}.automatedDecisions`,
        true,
        'outputs act without human review',
      );
    if (m.onlineLearning)
      add('model.online-learning', m.id, `${p}.onlineLearning`, true, 'retrained from production feedback');
    if (m.provenance === 'in-house' || m.provenance === 'fine-tuned-open-weights' || m.trainedOn.length > 0) {
      add('model.trained-here', m.id, `${p}.provenance`, m.provenance, 'the team trains or fine-tunes it');
    }
    if (
      m.provenance === 'fine-tuned-open-weights' ||
      m.provenance === 'public-hub' ||
      m.provenance === 'vendor'
    ) {
      add(
        'model.external-weights',
        m.id,
        `${p}.provenance`,
        m.provenance,
        'weights come from outside the organisation',
      );
    }
    if (m.provenance === 'fine-tuned-open-weights' || m.provenance === 'public-hub') {
      add(
        'model.open-family',
        m.id,
        `${p}.provenance`,
        m.provenance,
        'the model family and weights are public',
      );
    }
    if (m.provenance === 'third-party-api')
      add('model.third-party-api', m.id, `${p}.provenance`, m.provenance, 'a third party hosts the model');
    if (UNSAFE_FORMATS.has(m.format))
      add('model.unsafe-format', m.id, `${p}.format`, m.format, 'format can run code when loaded');
    if (m.weightsDistribution !== 'internal-only' || m.access === 'on-device') {
      add(
        'model.weights-distributed',
        m.id,
        `${p}.weightsDistribution`,
        m.access === 'on-device' ? 'on-device' : m.weightsDistribution,
        'copies of the weights leave the organisation',
      );
    }
    if (
      m.artifactsVerified !== true &&
      (m.provenance === 'fine-tuned-open-weights' ||
        m.provenance === 'public-hub' ||
        m.provenance === 'vendor')
    ) {
      add(
        'model.artifacts-unverified',
        m.id,
        `${p}.artifactsVerified`,
        m.artifactsVerified ?? 'unspecified',
        'downloaded weights not pinned and scanned',
      );
    }
    if (m.systemPrompt?.present === true) {
      add('model.system-prompt', m.id, `${p}.systemPrompt.present`, true, 'has a system prompt');
      if (m.systemPrompt.containsSecrets)
        add(
          'model.system-prompt-secrets',
          m.id,
          `${p}.systemPrompt.containsSecrets`,
          true,
          'secrets in the system prompt',
        );
      if (m.systemPrompt.confidential)
        add(
          'model.system-prompt-confidential',
          m.id,
          `${p}.systemPrompt.confidential`,
          true,
          'the prompt is confidential',
        );
    }
    if (m.inputs.includes('code') || m.purpose === 'coding')
      add('model.generates-code', m.id, `${p}.purpose`, m.purpose ?? m.inputs, 'reads or writes code');
    const untrustedInputs = m.inputs.filter((x) => x === 'email' || x === 'web' || x === 'documents');
    if (llm && untrustedInputs.length > 0)
      add('model.untrusted-content', m.id, `${p}.inputs`, untrustedInputs, 'reads content written by others');
    m.rag.forEach((r, j) => {
      add('model.rag', m.id, `${p}.rag[${String(j)}]`, r.data, 'retrieval-augmented generation');
      const corpus = dataById.get(r.data);
      if (
        r.trust === 'untrusted' ||
        (corpus !== undefined && (corpus.source === 'public-web' || corpus.source === 'user-generated'))
      ) {
        add(
          'model.rag-untrusted',
          m.id,
          `${p}.rag[${String(j)}].trust`,
          r.trust,
          'retrieves content anyone could have written',
        );
        add(
          'model.untrusted-content',
          m.id,
          `${p}.rag[${String(j)}].trust`,
          r.trust,
          'retrieved content is untrusted',
        );
      }
      if (r.store !== undefined)
        add('model.rag', r.store, `${p}.rag[${String(j)}].store`, r.store, 'index of the retrieval corpus');
    });
    const agency = m.agency;
    if (agency) {
      const ap = `${p}.agency`;
      const hasTools =
        agency.tools.length > 0 ||
        agency.mcpServers.length > 0 ||
        agency.codeExecution !== 'none' ||
        agency.browsing;
      if (hasTools)
        add('model.agent', m.id, ap, `${String(agency.tools.length)} tools`, 'the model calls tools');
      agency.tools.forEach((t, j) => {
        const tp = `${ap}.tools[${String(j)}]`;
        if (t.sideEffects)
          add(
            'model.tools-side-effects',
            m.id,
            `${tp}.sideEffects`,
            t.name,
            'a tool changes things outside the conversation',
          );
        if (t.sideEffects && t.approval === 'never')
          add(
            'model.tools-unapproved',
            m.id,
            `${tp}.approval`,
            t.name,
            'side-effecting tool runs without human approval',
          );
        if (
          t.kind === 'database' ||
          t.kind === 'file-system' ||
          t.kind === 'repository' ||
          t.kind === 'search' ||
          t.kind === 'ticketing' ||
          t.kind === 'email'
        ) {
          add('model.tools-data-access', m.id, `${tp}.kind`, t.kind, 'a tool reads organisational data');
        }
        if (t.kind === 'email' || t.kind === 'messaging') {
          add('model.email', m.id, `${tp}.kind`, t.kind, 'the model can send messages');
          add(
            'model.untrusted-content',
            m.id,
            `${tp}.kind`,
            t.kind,
            'messages carry content written by others',
          );
        }
        if (t.kind === 'browsing')
          add('model.browsing', m.id, `${tp}.kind`, t.kind, 'the model reads web pages');
        if (t.kind === 'code-execution' || t.kind === 'shell')
          add('model.code-execution', m.id, `${tp}.kind`, t.kind, 'the model runs code');
        if (t.kind === 'repository' || t.kind === 'ticketing')
          add(
            'model.untrusted-content',
            m.id,
            `${tp}.kind`,
            t.kind,
            'tool results carry content written by others',
          );
        if (t.via !== undefined) add('model.agent', t.via, `${tp}.via`, t.via, 'provides tools to the model');
      });
      if (agency.codeExecution !== 'none')
        add('model.code-execution', m.id, `${ap}.codeExecution`, agency.codeExecution, 'the model runs code');
      if (agency.codeExecution === 'host')
        add(
          'model.code-execution-host',
          m.id,
          `${ap}.codeExecution`,
          agency.codeExecution,
          'code runs on the host, not a sandbox',
        );
      if (agency.tools.some((t) => t.kind === 'shell' && t.approval !== 'always'))
        add(
          'model.code-execution-host',
          m.id,
          `${ap}.tools`,
          'shell',
          'shell commands without per-call approval',
        );
      if (agency.browsing) {
        add('model.browsing', m.id, `${ap}.browsing`, true, 'the model reads web pages');
        add('model.untrusted-content', m.id, `${ap}.browsing`, true, 'web pages are untrusted content');
      }
      if (agency.memory !== 'none')
        add('model.memory', m.id, `${ap}.memory`, agency.memory, 'the agent keeps context between turns');
      if (agency.memory === 'persistent')
        add(
          'model.memory-persistent',
          m.id,
          `${ap}.memory`,
          agency.memory,
          'memory persists across sessions',
        );
      if (agency.autonomy !== 'human-in-the-loop')
        add(
          'model.autonomous',
          m.id,
          `${ap}.autonomy`,
          agency.autonomy,
          'acts without step-by-step human review',
        );
      agency.mcpServers.forEach((s, j) => {
        add('model.agent', s, `${ap}.mcpServers[${String(j)}]`, s, 'MCP server connected to the model');
        add(
          'model.tools-data-access',
          m.id,
          `${ap}.mcpServers[${String(j)}]`,
          s,
          'MCP servers reach organisational systems',
        );
      });
    }
    if (m.inputs.includes('email'))
      add('model.email', m.id, `${p}.inputs`, m.inputs, 'the model reads email');
  });
  return traits;
}

function render(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => String(v)).join(', ') || '(none)';
  if (typeof value === 'string') return value;
  if (value === undefined) return 'unspecified';
  return JSON.stringify(value);
}

/**
 * The traits as seen from one asset: a trait that concerns assets of the same element counts only when it
 * concerns this asset (an LLM elsewhere in the system does not make a classifier an LLM); traits of other
 * elements and system-wide traits stay as they are. Evidence is narrowed the same way.
 */
export function traitsOfAsset(traits: Traits, asset: AssetRef): Traits {
  return assetViews(traits)(asset);
}

/** `traitsOfAsset` for many assets: indexes the traits' assets by element once. */
export function assetViews(traits: Traits): (asset: AssetRef) => Traits {
  const index = new Map<Trait, Map<Element, Set<string>>>();
  for (const [trait, value] of traits) {
    const byElement = new Map<Element, Set<string>>();
    for (const a of value.assets) {
      let ids = byElement.get(a.element);
      if (!ids) {
        ids = new Set();
        byElement.set(a.element, ids);
      }
      ids.add(a.id);
    }
    index.set(trait, byElement);
  }
  return (asset) => {
    const view = new Map<Trait, TraitValue>();
    for (const [trait, value] of traits) {
      const sameElementIds = index.get(trait)?.get(asset.element);
      if (sameElementIds === undefined) {
        view.set(trait, value);
        continue;
      }
      if (!sameElementIds.has(asset.id)) continue;
      view.set(trait, {
        assets: value.assets,
        evidence: value.evidence.filter(
          (e) => e.asset === undefined || e.asset === asset.id || !sameElementIds.has(e.asset),
        ),
      });
    }
    return view;
  };
}
