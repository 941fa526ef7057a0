import { z } from 'zod';

/**
 * The system model, version 1 (`atlasguard: 1`): a description of an AI system across the four elements
 * (environment, platform, model, data), its actors and flows, and the controls in place. Written by humans,
 * reviewed in pull requests; `schemas/system-model.schema.json` is generated from this file.
 */

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,79}$/, 'use lower-case letters, digits, ".", "_" or "-" (at most 80)')
  .describe('Stable identifier, unique across the model; referenced by flows, scopes and other assets.');
const text = (max: number) => z.string().max(max);
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .describe('A date as YYYY-MM-DD.');

export const SECTORS = [
  'finance',
  'healthcare',
  'government',
  'critical-infrastructure',
  'retail',
  'technology',
  'other',
] as const;
export const LEVELS_4 = ['critical', 'high', 'medium', 'low'] as const;
export const DATA_CLASSES = ['pii', 'phi', 'pci', 'credentials', 'trade-secrets', 'public'] as const;
export const EXPOSURES = ['internet', 'partner', 'internal', 'air-gapped'] as const;

export const sectorSchema = z.enum(SECTORS);
export const dataClassSchema = z.enum(DATA_CLASSES);
export const exposureSchema = z
  .enum(EXPOSURES)
  .describe('Who can reach it over the network: internet, partner networks, internal only, or air-gapped.');

const ownerSchema = z.strictObject({
  name: text(200),
  role: text(200).optional(),
  contact: text(200).optional(),
});

export const systemSchema = z
  .strictObject({
    id,
    name: text(200),
    description: text(4000).optional(),
    sector: sectorSchema,
    regulations: z.array(text(120)).max(50).default([]).describe('Regulations in scope, e.g. "PCI DSS".'),
    criticality: z
      .enum(LEVELS_4)
      .describe('Business criticality: what a failure or compromise of the system costs the organisation.'),
    dataClasses: z
      .array(dataClassSchema)
      .max(6)
      .default([])
      .describe('Classes of data the system handles overall; assets may name more specific ones.'),
    riskAppetite: z.enum(['low', 'medium', 'high']).default('medium'),
    owners: z.array(ownerSchema).max(50).default([]),
  })
  .describe('Business context of the assessed system.');

// ---------- environment ----------
export const ENVIRONMENT_KINDS = [
  'cloud-account',
  'cluster',
  'vm',
  'on-prem',
  'edge-device',
  'mobile-device',
  'saas',
  'registry',
  'ci-cd',
  'workstation',
] as const;

export const environmentAssetSchema = z.strictObject({
  id,
  name: text(200).optional(),
  kind: z.enum(ENVIRONMENT_KINDS),
  exposure: exposureSchema,
  provider: text(120).optional().describe('e.g. aws, azure, gcp, on-prem, github.'),
  identity: z
    .enum(['sso-mfa', 'sso', 'iam-roles', 'local-accounts', 'shared-accounts', 'none'])
    .optional()
    .describe('How people and workloads authenticate to it.'),
  secrets: z
    .enum(['vault', 'cloud-kms', 'env-vars', 'files', 'plaintext-in-repo', 'none'])
    .optional()
    .describe('Where the secrets used here live.'),
  gpu: z.boolean().optional(),
  notes: text(2000).optional(),
});
export type EnvironmentAsset = z.infer<typeof environmentAssetSchema>;

// ---------- platform ----------
export const PLATFORM_KINDS = [
  'training-framework',
  'mlflow',
  'kubeflow',
  'ray',
  'jupyter',
  'serving',
  'vector-db',
  'llm-gateway',
  'agent-framework',
  'mcp-server',
  'feature-store',
  'model-registry',
  'container-registry',
  'package-index',
  'data-pipeline',
  'monitoring',
  'other',
] as const;

export const platformAssetSchema = z.strictObject({
  id,
  name: text(200).optional(),
  kind: z.enum(PLATFORM_KINDS),
  product: text(120).optional().describe('Product or project, e.g. "MLflow", "KServe", "Qdrant".'),
  version: z
    .union([text(60), z.number()])
    .transform((v) => String(v))
    .optional()
    .describe('Version in use; write it quoted ("2.10") so YAML keeps trailing zeros.'),
  exposure: exposureSchema,
  auth: z
    .enum(['none', 'basic', 'token', 'oauth', 'sso', 'mtls'])
    .describe('How callers authenticate to it; `none` means anyone who can reach it can use it.'),
  runsOn: z.array(id).max(50).default([]).describe('Environment asset IDs it runs on.'),
  source: z
    .enum(['vendor', 'open-source', 'in-house', 'third-party-hosted'])
    .optional()
    .describe('Where the software comes from (for MCP servers and tools: who publishes it).'),
  pinned: z.boolean().optional().describe('Versions are pinned (lockfile, digest) and updates are reviewed.'),
  notes: text(2000).optional(),
});
export type PlatformAsset = z.infer<typeof platformAssetSchema>;

// ---------- model ----------
export const MODEL_TASKS = [
  'classifier',
  'detector',
  'regression',
  'llm',
  'embedding',
  'vision',
  'speech',
  'recommender',
  'generative-media',
  'other',
] as const;
export const MODEL_PURPOSES = [
  'fraud-detection',
  'malware-detection',
  'face-recognition',
  'content-moderation',
  'spam-filtering',
  'intrusion-detection',
  'medical-diagnosis',
  'credit-scoring',
  'assistant',
  'coding',
  'search',
  'other',
] as const;
export const PROVENANCES = [
  'in-house',
  'fine-tuned-open-weights',
  'public-hub',
  'third-party-api',
  'vendor',
] as const;
export const ARTIFACT_FORMATS = [
  'pickle',
  'joblib',
  'pytorch',
  'safetensors',
  'onnx',
  'gguf',
  'keras',
  'tensorflow-savedmodel',
  'xgboost-json',
  'pmml',
  'other',
  'none',
] as const;
export const MODEL_ACCESS = [
  'public-api',
  'authenticated-api',
  'partner-api',
  'internal',
  'on-device',
  'none',
] as const;
export const MODEL_OUTPUTS = [
  'labels',
  'scores',
  'logprobs',
  'text',
  'embeddings',
  'images',
  'audio',
  'actions',
] as const;
export const MODEL_INPUTS = [
  'api',
  'chat',
  'documents',
  'images',
  'camera',
  'microphone',
  'sensors',
  'email',
  'web',
  'code',
  'tabular',
] as const;
export const TOOL_KINDS = [
  'ticketing',
  'code-execution',
  'browsing',
  'email',
  'file-system',
  'database',
  'payments',
  'messaging',
  'shell',
  'repository',
  'search',
  'other',
] as const;

const toolSchema = z.strictObject({
  name: text(120),
  kind: z.enum(TOOL_KINDS),
  sideEffects: z
    .boolean()
    .describe('The tool changes something outside the conversation (writes, sends, pays).'),
  approval: z
    .enum(['always', 'risky-actions', 'never'])
    .default('never')
    .describe('When a human approves a call before it runs.'),
  via: id.optional().describe('Platform asset (e.g. an MCP server) that provides the tool.'),
  credentials: z
    .enum(['user-delegated', 'service-account', 'none'])
    .optional()
    .describe('Whose credentials the tool acts with.'),
});

const agencySchema = z.strictObject({
  tools: z.array(toolSchema).max(200).default([]),
  codeExecution: z.enum(['none', 'sandboxed', 'host']).default('none'),
  browsing: z.boolean().default(false),
  memory: z.enum(['none', 'session', 'persistent']).default('none'),
  autonomy: z
    .enum(['human-in-the-loop', 'human-on-the-loop', 'autonomous'])
    .default('human-in-the-loop')
    .describe('Whether a person reviews each step, watches and can stop it, or neither.'),
  mcpServers: z
    .array(id)
    .max(100)
    .default([])
    .describe('Platform asset IDs of the MCP servers it connects to.'),
});

const ragSourceSchema = z.strictObject({
  data: id.describe('Data asset ID of the corpus.'),
  store: id.optional().describe('Platform asset ID of the index (vector DB, search).'),
  trust: z
    .enum(['trusted', 'internal', 'untrusted'])
    .describe(
      'trusted = curated and reviewed; internal = written by staff; untrusted = public or user content.',
    ),
});

export const modelAssetSchema = z.strictObject({
  id,
  name: text(200).optional(),
  task: z.enum(MODEL_TASKS),
  purpose: z
    .enum(MODEL_PURPOSES)
    .optional()
    .describe('What the model decides; security detectors attract evasion.'),
  provenance: z.enum(PROVENANCES),
  baseModel: text(200).optional().describe('For fine-tuned or downloaded models: the upstream model.'),
  format: z.enum(ARTIFACT_FORMATS).default('other').describe('Serialized artifact format of the weights.'),
  artifactsVerified: z
    .boolean()
    .optional()
    .describe('Downloaded artifacts are pinned by hash or signature and scanned before loading.'),
  weightsDistribution: z
    .enum(['internal-only', 'partners', 'public'])
    .default('internal-only')
    .describe('Who receives copies of the weights.'),
  access: z.enum(MODEL_ACCESS).describe('Who can query the model and how.'),
  inputs: z.array(z.enum(MODEL_INPUTS)).max(11).default([]),
  outputs: z.array(z.enum(MODEL_OUTPUTS)).min(1).max(8).describe('What the API returns to callers.'),
  outputRendering: z
    .enum(['none', 'plain-text', 'markdown', 'html'])
    .default('none')
    .describe('How generated text is shown to people (markdown and HTML render links and images).'),
  rateLimited: z.boolean().optional(),
  automatedDecisions: z
    .boolean()
    .default(false)
    .describe('Outputs trigger actions without human review (block a card, route a patient).'),
  onlineLearning: z.boolean().default(false).describe('The model is retrained from production feedback.'),
  agency: agencySchema.optional(),
  rag: z.array(ragSourceSchema).max(100).default([]),
  systemPrompt: z
    .strictObject({
      present: z.boolean(),
      containsSecrets: z.boolean().default(false),
      confidential: z
        .boolean()
        .default(false)
        .describe('Leaking the prompt would matter (business logic, rules).'),
    })
    .optional(),
  servedBy: z.array(id).max(50).default([]).describe('Platform or environment asset IDs that serve it.'),
  trainedOn: z.array(id).max(100).default([]).describe('Data asset IDs used for training or fine-tuning.'),
  notes: text(2000).optional(),
});
export type ModelAsset = z.infer<typeof modelAssetSchema>;

// ---------- data ----------
export const DATA_ROLES = [
  'training',
  'fine-tuning',
  'evaluation',
  'rag-corpus',
  'inference-input',
  'feedback',
  'logs',
] as const;
export const DATA_SOURCES = ['internal', 'user-generated', 'public-web', 'vendor', 'public-hub'] as const;
export const PROVENANCE_CONTROLS = [
  'hashing',
  'signing',
  'versioning',
  'review',
  'access-control',
  'validation',
  'lineage',
] as const;

export const dataAssetSchema = z.strictObject({
  id,
  name: text(200).optional(),
  role: z.enum(DATA_ROLES),
  source: z.enum(DATA_SOURCES),
  sensitivity: z.array(dataClassSchema).min(1).max(6),
  provenanceControls: z.array(z.enum(PROVENANCE_CONTROLS)).max(7).default([]),
  retention: text(60).optional().describe('How long it is kept, e.g. "90d", "7y".'),
  storedIn: z.array(id).max(50).default([]).describe('Environment or platform asset IDs that store it.'),
  volume: z.enum(['small', 'medium', 'large']).optional(),
  notes: text(2000).optional(),
});
export type DataAsset = z.infer<typeof dataAssetSchema>;

// ---------- actors and flows ----------
export const ACTOR_KINDS = [
  'public-users',
  'customers',
  'employees',
  'partners',
  'third-party-services',
] as const;
export const actorSchema = z.strictObject({
  id,
  name: text(200).optional(),
  kind: z.enum(ACTOR_KINDS),
  authenticated: z.boolean().default(false),
});
export type Actor = z.infer<typeof actorSchema>;

export const flowSchema = z.strictObject({
  from: id,
  to: id,
  data: z.array(id).max(50).default([]).describe('Data asset IDs carried by the flow.'),
  crossesTrustBoundary: z.boolean().default(false),
  protocol: text(40).optional(),
  description: text(500).optional(),
});
export type Flow = z.infer<typeof flowSchema>;

// ---------- controls ----------
export const mitigationStatementSchema = z
  .strictObject({
    id: z.string().describe('ATLAS mitigation ID, e.g. AML.M0015.'),
    status: z.enum(['implemented', 'partial', 'planned', 'not-applicable']),
    scope: z.array(id).max(200).default([]).describe('Asset IDs it covers; empty = the whole system.'),
    evidence: z.array(text(500)).max(50).default([]),
    reason: text(1000).optional().describe('Required when status is not-applicable.'),
    notes: text(2000).optional(),
  })
  .refine((m) => m.status !== 'not-applicable' || (m.reason !== undefined && m.reason.trim() !== ''), {
    message: 'a not-applicable mitigation needs a reason',
    path: ['reason'],
  });
export type MitigationStatement = z.infer<typeof mitigationStatementSchema>;

export const answerSchema = z.strictObject({
  question: text(80).describe('Question ID from the AtlasGuard question bank.'),
  answer: z.enum(['yes', 'no', 'partial', 'unknown']),
  evidence: text(1000).optional(),
  date: isoDate.optional(),
  by: text(200).optional(),
});
export type Answer = z.infer<typeof answerSchema>;

export const riskDecisionStatementSchema = z.strictObject({
  technique: z.string().describe('ATLAS technique ID the decision is about (the risk ID).'),
  decision: z.enum(['accept', 'transfer', 'avoid']),
  approver: text(200),
  reason: text(2000),
  expires: isoDate,
});
export type RiskDecisionStatement = z.infer<typeof riskDecisionStatementSchema>;

export const systemModelSchema = z
  .strictObject({
    atlasguard: z.literal(1).describe('Model format version.'),
    system: systemSchema,
    environment: z.array(environmentAssetSchema).max(5000).default([]),
    platform: z.array(platformAssetSchema).max(5000).default([]),
    model: z.array(modelAssetSchema).max(5000).default([]),
    data: z.array(dataAssetSchema).max(5000).default([]),
    actors: z.array(actorSchema).max(1000).default([]),
    flows: z.array(flowSchema).max(20000).default([]),
    mitigations: z.array(mitigationStatementSchema).max(1000).default([]),
    answers: z.array(answerSchema).max(5000).default([]),
    decisions: z.array(riskDecisionStatementSchema).max(1000).default([]),
  })
  .describe('AtlasGuard system model (threat model as code). Docs: docs/system-model.md');
export type SystemModel = z.infer<typeof systemModelSchema>;
export type SystemModelInput = z.input<typeof systemModelSchema>;
