import { describe, expect, it } from 'vitest';
import { testCatalog } from '../../../../../test/catalog-fixture.js';
import { parseSystemModelText } from '../../model/parse-model.js';
import type { SystemModel } from '../../model/system-model-schema.js';
import type { Assessment } from '../assessment-types.js';
import { assessModel } from '../test-support/examples.js';

// Precision: techniques that need something the system does not have must not apply to it.

const catalog = testCatalog();

function modelOf(yaml: string): SystemModel {
  const parsed = parseSystemModelText(yaml, 'hard-negative.yaml');
  if (!parsed.ok) throw new Error(parsed.issues.map((i) => i.message).join('; '));
  return parsed.value.model;
}

const decision = (a: Assessment, id: string): string => {
  const e = a.ledger.find((x) => x.techniqueId === id);
  if (!e) throw new Error(`no ledger entry for ${id}`);
  return e.decision;
};

/** A text chatbot on a hosted LLM API: no RAG, no tools, no memory, no training, no weights. */
const HOSTED_CHATBOT = `
atlasguard: 1
system: { id: faq-bot, name: FAQ chatbot, sector: retail, criticality: medium, dataClasses: [public] }
environment:
  - { id: web, kind: cloud-account, exposure: internet, identity: sso-mfa, secrets: cloud-kms }
model:
  - id: chat
    task: llm
    provenance: third-party-api
    format: none
    access: public-api
    inputs: [chat]
    outputs: [text]
    outputRendering: plain-text
    rateLimited: true
    systemPrompt: { present: true }
actors:
  - { id: shoppers, kind: public-users }
flows:
  - { from: shoppers, to: chat, crossesTrustBoundary: true }
`;

/** An in-house tabular classifier behind an authenticated API. */
const CLASSIFIER = `
atlasguard: 1
system: { id: churn, name: Churn scoring, sector: retail, criticality: medium, dataClasses: [pii] }
environment:
  - { id: dc, kind: cluster, exposure: internal, identity: iam-roles, secrets: vault }
platform:
  - { id: registry, kind: mlflow, exposure: internal, auth: sso, source: open-source, pinned: true }
model:
  - id: churn-model
    task: classifier
    provenance: in-house
    format: onnx
    access: authenticated-api
    inputs: [tabular]
    outputs: [scores]
    trainedOn: [crm-history]
data:
  - { id: crm-history, role: training, source: internal, sensitivity: [pii], provenanceControls: [hashing] }
actors:
  - { id: staff, kind: employees }
`;

const AGENT_TOOL_RAG = [
  // agents and tools
  'AML.T0053',
  'AML.T0086',
  'AML.T0085.001',
  'AML.T0098',
  'AML.T0099',
  'AML.T0101',
  'AML.T0108',
  'AML.T0109',
  'AML.T0110',
  'AML.T0104',
  'AML.T0010.005',
  'AML.T0011.002',
  'AML.T0081',
  'AML.T0083',
  'AML.T0084',
  'AML.T0084.000',
  'AML.T0084.001',
  'AML.T0084.002',
  'AML.T0084.003',
  'AML.T0034.002',
  'AML.T0100',
  'AML.T0103',
  'AML.T0112.000',
  'AML.T0002.002',
  'AML.T0050',
  'AML.T0102',
  'AML.T0080',
  'AML.T0080.000',
  // retrieval
  'AML.T0070',
  'AML.T0071',
  'AML.T0066',
  'AML.T0064',
  'AML.T0082',
  'AML.T0085.000',
  'AML.T0067.000',
];

const TRAINING_AND_WEIGHTS = [
  'AML.T0020', // poison training data
  'AML.T0019',
  'AML.T0018',
  'AML.T0018.000',
  'AML.T0018.001',
  'AML.T0018.002',
  'AML.T0011.000',
  'AML.T0112.001',
  'AML.T0010.003',
  'AML.T0058',
  'AML.T0076',
  'AML.T0043.004',
  'AML.T0024.000',
  'AML.T0024.001',
  'AML.T0024.002', // extracting a provider's model is not the organisation's loss
  'AML.T0005', // no proxy to train: the same hosted model is available to anyone
  'AML.T0005.001',
  'AML.T0044',
  'AML.T0043.000',
  'AML.T0031',
];

const PHYSICAL = ['AML.T0041', 'AML.T0008.001', 'AML.T0008.003', 'AML.T0088', 'AML.T0010.000'];

const PROMPT_INJECTION_AND_LLM = [
  'AML.T0051',
  'AML.T0051.000',
  'AML.T0051.001',
  'AML.T0051.002',
  'AML.T0054',
  'AML.T0056',
  'AML.T0057',
  'AML.T0061',
  'AML.T0062',
  'AML.T0065',
  'AML.T0067',
  'AML.T0068',
  'AML.T0069',
  'AML.T0069.000',
  'AML.T0069.001',
  'AML.T0069.002',
  'AML.T0077',
  'AML.T0080.001',
  'AML.T0092',
  'AML.T0093',
  'AML.T0094',
  'AML.T0011.003',
  'AML.T0060',
];

describe('hard negatives: a hosted-LLM chatbot without RAG or tools', () => {
  const a = assessModel(modelOf(HOSTED_CHATBOT), catalog);

  it.each(AGENT_TOOL_RAG)('%s (agent, tool or retrieval technique) does not apply', (id) => {
    expect(decision(a, id)).toBe('not-applicable');
  });

  it.each([...TRAINING_AND_WEIGHTS, ...PHYSICAL])(
    '%s (needs training, weights or a physical sensor) does not apply',
    (id) => {
      expect(['not-applicable', 'unknown']).toContain(decision(a, id));
    },
  );

  it('prompt injection, jailbreak and system-prompt extraction do apply (true positives)', () => {
    for (const id of ['AML.T0051', 'AML.T0051.000', 'AML.T0054', 'AML.T0056', 'AML.T0029', 'AML.T0034'])
      expect(decision(a, id), id).toBe('applies');
    expect(decision(a, 'AML.T0051.001')).toBe('not-applicable');
  });

  it('the model ontology is not discoverable from free text', () => {
    expect(decision(a, 'AML.T0013')).toBe('not-applicable');
    expect(decision(a, 'AML.T0014')).toBe('applies');
  });

  it('applies to a minority of the catalog', () => {
    expect(a.coverage.applies).toBeLessThan(70);
  });
});

describe('hard negatives: an in-house classifier', () => {
  const a = assessModel(modelOf(CLASSIFIER), catalog);

  it.each(PROMPT_INJECTION_AND_LLM)('%s (LLM technique) does not apply', (id) => {
    expect(decision(a, id)).toBe('not-applicable');
  });

  it.each(AGENT_TOOL_RAG)('%s (agent, tool or retrieval technique) does not apply', (id) => {
    expect(decision(a, id)).toBe('not-applicable');
  });

  it('evasion, training-data poisoning and extraction do apply (true positives)', () => {
    for (const id of ['AML.T0015', 'AML.T0020', 'AML.T0024.002', 'AML.T0005', 'AML.T0013'])
      expect(decision(a, id), id).toBe('applies');
  });
});

describe('per-asset decisions: an internal LLM next to a public classifier', () => {
  // Globally the system has an LLM and a model with query access, but not on the same asset.
  const model = modelOf(`
atlasguard: 1
system: { id: mixed, name: Mixed, sector: finance, criticality: high, dataClasses: [pci] }
model:
  - { id: summariser, task: llm, provenance: third-party-api, format: none, access: none, outputs: [text] }
  - id: scorer
    task: classifier
    purpose: fraud-detection
    provenance: in-house
    format: onnx
    access: public-api
    outputs: [scores]
actors:
  - { id: merchants, kind: customers }
`);
  const a = assessModel(model, catalog);
  const entry = (id: string) => a.ledger.find((e) => e.techniqueId === id);

  it('direct prompt injection does not apply: no LLM takes outside input', () => {
    const e = entry('AML.T0051.000');
    expect(e?.decision).toBe('not-applicable');
    expect(e?.reason).toMatch(/no single asset/);
    const rows = new Map(e?.assetDecisions.map((r) => [r.asset, r]));
    expect(rows.get('summariser')?.decision).toBe('not-applicable');
    expect(rows.get('scorer')?.decision).toBe('not-applicable');
    expect(rows.get('scorer')?.reason).toMatch(/no language model/);
  });

  it('evasion applies to the scorer only, with its own trace and scores', () => {
    const e = entry('AML.T0015');
    expect(e?.decision).toBe('applies');
    const applies = e?.assetDecisions.filter((r) => r.decision === 'applies').map((r) => r.asset);
    expect(applies).toEqual(['scorer']);
    const row = e?.assetDecisions.find((r) => r.asset === 'scorer');
    expect(row?.trace.some((f) => f.path.startsWith('model[1]'))).toBe(true);
    expect(row?.trace.every((f) => !f.path.startsWith('model[0]'))).toBe(true);
    expect(row?.inherent?.score).toBeGreaterThan(0);
    expect(a.risks.find((r) => r.id === 'AML.T0015')?.assetRisks.map((x) => x.asset)).toEqual(['scorer']);
  });

  it('a rule that excludes provider-hosted models still applies to the organisation’s own model', () => {
    const withPublicLlm = modelOf(`
atlasguard: 1
system: { id: mixed2, name: Mixed, sector: finance, criticality: high, dataClasses: [pci] }
model:
  - { id: chat, task: llm, provenance: third-party-api, format: none, access: public-api, outputs: [text] }
  - { id: scorer, task: classifier, provenance: in-house, format: onnx, access: public-api, outputs: [scores] }
`);
    const b = assessModel(withPublicLlm, catalog);
    for (const id of ['AML.T0024.002', 'AML.T0005', 'AML.T0013']) {
      const e = b.ledger.find((x) => x.techniqueId === id);
      expect(e?.decision, id).toBe('applies');
      expect(
        e?.assets.map((x) => x.id),
        id,
      ).toEqual(['scorer']);
      expect(e?.assetDecisions.find((r) => r.asset === 'chat')?.decision, id).toBe('not-applicable');
    }
  });

  it('extraction via the inference API applies to the in-house scorer, not to the provider LLM', () => {
    const e = entry('AML.T0024.002');
    expect(e?.decision).toBe('applies');
    expect(e?.assetDecisions.filter((r) => r.decision === 'applies').map((r) => r.asset)).toEqual(['scorer']);
  });
});
