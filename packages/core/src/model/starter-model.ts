import { z } from 'zod';
import {
  DATA_CLASSES,
  LEVELS_4,
  MODEL_ACCESS,
  MODEL_TASKS,
  PROVENANCES,
  SECTORS,
} from './system-model-schema.js';

/** Answers `atlasguard init` collects (flags, or prompts on a TTY). */
export const starterOptionsSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{0,79}$/, 'use lower-case letters, digits, ".", "_" or "-"')
    .default('my-ai-system'),
  name: z.string().min(1).max(200).default('My AI system'),
  sector: z.enum(SECTORS).default('other'),
  criticality: z.enum(LEVELS_4).default('medium'),
  task: z.enum(MODEL_TASKS).default('llm'),
  provenance: z.enum(PROVENANCES).default('third-party-api'),
  access: z.enum(MODEL_ACCESS).default('authenticated-api'),
  dataClasses: z.array(z.enum(DATA_CLASSES)).max(6).default(['pii']),
});
export type StarterOptions = z.infer<typeof starterOptionsSchema>;

const quote = (s: string): string => JSON.stringify(s);

/**
 * A commented starter model that validates as written: one asset per element, an actor, a flow and
 * commented-out examples of controls. Every line a team must review is marked `# TODO(review)`.
 */
export function starterModel(options: StarterOptions): string {
  const llm = options.task === 'llm';
  const external = options.provenance !== 'in-house';
  const lines = [
    '# yaml-language-server: $schema=https://raw.githubusercontent.com/atlasguard/atlasguard/main/schemas/system-model.schema.json',
    '# AtlasGuard system model — describe your AI system across the four elements (environment, platform,',
    '# model, data); `atlasguard validate` checks it and `atlasguard assess` threat-models it against MITRE ATLAS.',
    '# Reference: docs/system-model.md. Lines marked TODO(review) hold guesses you should confirm.',
    'atlasguard: 1',
    '',
    'system:',
    `  id: ${options.id}`,
    `  name: ${quote(options.name)}`,
    '  description: What the system does and for whom.   # TODO(review)',
    `  sector: ${options.sector}          # finance | healthcare | government | critical-infrastructure | retail | technology | other`,
    '  regulations: []                    # e.g. [GDPR, PCI DSS 4.0, HIPAA, EU AI Act]',
    `  criticality: ${options.criticality}         # critical | high | medium | low: what a compromise costs the business`,
    `  dataClasses: [${options.dataClasses.join(', ')}]        # pii | phi | pci | credentials | trade-secrets | public`,
    '  riskAppetite: medium               # low | medium | high',
    '  owners:',
    '    - { name: Team that owns the system, role: service owner }   # TODO(review)',
    '',
    '# Where it runs. kind: cloud-account | cluster | vm | on-prem | edge-device | mobile-device | saas | registry | ci-cd | workstation',
    '# exposure: internet | partner | internal | air-gapped',
    'environment:',
    '  - id: prod-cloud',
    '    kind: cloud-account',
    '    exposure: internal               # TODO(review)',
    '    identity: sso-mfa                # sso-mfa | sso | iam-roles | local-accounts | shared-accounts | none',
    '    secrets: vault                   # vault | cloud-kms | env-vars | files | plaintext-in-repo | none',
    '',
    '# AI tooling: mlflow | kubeflow | ray | jupyter | serving | vector-db | llm-gateway | agent-framework | mcp-server | ...',
    'platform:',
    '  - id: serving',
    '    kind: serving',
    '    product: Your serving stack      # TODO(review)',
    '    version: "1.0.0"',
    '    exposure: internal',
    '    auth: token                      # none | basic | token | oauth | sso | mtls',
    '    runsOn: [prod-cloud]',
    '    source: open-source              # vendor | open-source | in-house | third-party-hosted',
    '    pinned: true                     # versions pinned and updates reviewed (`atlasguard scan deps`)',
    '',
    'model:',
    '  - id: main-model',
    `    task: ${options.task}                    # classifier | detector | regression | llm | embedding | vision | speech | recommender | ...`,
    `    provenance: ${options.provenance}   # in-house | fine-tuned-open-weights | public-hub | third-party-api | vendor`,
    `    format: ${options.provenance === 'third-party-api' ? 'none' : 'safetensors'}                   # pickle | pytorch | safetensors | onnx | gguf | ... (none if hosted)`,
    ...(external && options.provenance !== 'third-party-api'
      ? [
          '    artifactsVerified: false         # weights pinned by hash and scanned (`atlasguard scan model`)?',
        ]
      : []),
    `    access: ${options.access}     # public-api | authenticated-api | partner-api | internal | on-device | none`,
    `    inputs: [${llm ? 'chat' : 'api'}]`,
    `    outputs: [${llm ? 'text' : 'scores'}]                  # labels | scores | logprobs | text | embeddings | images | audio | actions`,
    '    rateLimited: true                # TODO(review)',
    '    servedBy: [serving]',
    ...(options.provenance === 'in-house' || options.provenance === 'fine-tuned-open-weights'
      ? ['    trainedOn: [training-data]']
      : []),
    ...(llm
      ? [
          '    systemPrompt: { present: true, containsSecrets: false, confidential: false }',
          '    # agency:                        # uncomment if the model calls tools',
          '    #   tools:',
          '    #     - { name: create_ticket, kind: ticketing, sideEffects: true, approval: always }',
          '    #   memory: none',
          '    # rag:                           # uncomment if it retrieves documents',
          '    #   - { data: knowledge-base, trust: internal }',
        ]
      : []),
    '',
    '# role: training | fine-tuning | evaluation | rag-corpus | inference-input | feedback | logs',
    '# source: internal | user-generated | public-web | vendor | public-hub',
    'data:',
    ...(options.provenance === 'in-house' || options.provenance === 'fine-tuned-open-weights'
      ? [
          '  - id: training-data',
          `    role: ${options.provenance === 'in-house' ? 'training' : 'fine-tuning'}`,
          '    source: internal                 # TODO(review)',
          `    sensitivity: [${options.dataClasses.join(', ') || 'public'}]`,
          '    provenanceControls: [versioning] # hashing | signing | versioning | review | access-control | validation | lineage',
        ]
      : []),
    '  - id: user-inputs',
    '    role: inference-input',
    '    source: user-generated',
    `    sensitivity: [${options.dataClasses.join(', ') || 'public'}]`,
    '',
    '# kind: public-users | customers | employees | partners | third-party-services',
    'actors:',
    '  - { id: users, kind: customers, authenticated: true }   # TODO(review)',
    '',
    'flows:',
    '  - { from: users, to: main-model, data: [user-inputs], crossesTrustBoundary: true }',
    '',
    '# ATLAS mitigations in place: status implemented | partial | planned | not-applicable (with reason).',
    'mitigations: []',
    '#  - id: AML.M0004                   # Restrict Number of AI Model Queries',
    '#    status: implemented',
    '#    evidence: [link to the rate-limit configuration]',
    '',
    '# Answers to verification questions (`atlasguard assess --format md` lists the questions).',
    'answers: []',
    '#  - { question: Q-AML.M0004-1, answer: yes, evidence: "gateway quota config", date: 2026-01-31 }',
    '',
    '# Risk decisions by technique: accept | transfer | avoid, with approver, reason and expiry.',
    'decisions: []',
    '#  - { technique: AML.T0029, decision: accept, approver: CISO, reason: "...", expires: 2026-12-31 }',
    '',
  ];
  return lines.join('\n');
}
