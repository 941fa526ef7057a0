import type {
  Assessment,
  LedgerEntry,
  MitigationStatus,
  Risk,
  RiskLevel,
  RiskScore,
} from '../../../assess/assessment-types.js';
import type { Catalog } from '../../../atlas/catalog.js';
import type { Technique } from '../../../atlas/catalog-types.js';
import {
  compensatingControlsFor,
  hasNoAtlasMitigation,
} from '../../../content/compensating-controls/index.js';
import { questionsForTechnique } from '../../../content/questions/index.js';

// A hand-built assessment of a citizen-facing LLM assistant, used by the writers' golden tests until the
// engine exists. Strings deliberately carry markup, quotes, separators and formula prefixes: the system
// model is untrusted input and every writer must neutralise them.

const APPLIES: Record<string, string[]> = {
  'AML.T0051': ['assistant-llm'],
  'AML.T0051.000': ['assistant-llm'],
  'AML.T0051.001': ['assistant-llm', 'rag-corpus'],
  'AML.T0054': ['assistant-llm'],
  'AML.T0056': ['assistant-llm'],
  'AML.T0057': ['assistant-llm'],
  'AML.T0070': ['rag-corpus'],
  'AML.T0071': ['rag-corpus'],
  'AML.T0040': ['llm-gateway'],
  'AML.T0047': ['llm-gateway'],
  'AML.T0024': ['llm-gateway'],
  'AML.T0029': ['llm-gateway'],
  'AML.T0034': ['llm-gateway'],
  'AML.T0053': ['assistant-llm', 'ticket-tool'],
  'AML.T0086': ['ticket-tool'],
  'AML.T0077': ['chat-ui'],
  'AML.T0049': ['chat-ui'],
  'AML.T0065': ['assistant-llm'],
  'AML.T0093': ['rag-corpus'],
};
const UNKNOWN: Record<string, string> = {
  'AML.T0010.003': 'Q-AML.M0014-1',
  'AML.T0020': 'Q-AML.M0007-1',
  'AML.T0055': 'Q-AML.T0055-1',
};
const IMPLEMENTED: Record<string, MitigationStatus> = {
  'AML.M0019': 'implemented',
  'AML.M0024': 'implemented',
  'AML.M0020': 'partial',
  'AML.M0004': 'planned',
};
const ANSWERS: Record<string, 'yes' | 'no' | 'partial'> = {
  'Q-AML.M0024-1': 'yes',
  'Q-AML.M0019-1': 'yes',
  'Q-AML.M0020-1': 'partial',
  'Q-AML.T0070-1': 'no',
};

const ASSETS = [
  { id: 'gov-cloud', name: 'Gov cloud account', element: 'environment', kind: 'cloud-account' },
  { id: 'llm-gateway', name: 'LLM gateway, "public" tier', element: 'platform', kind: 'llm-gateway' },
  { id: 'ticket-tool', name: 'Ticketing tool', element: 'platform', kind: 'agent-tool' },
  { id: 'chat-ui', name: 'Chat UI <img src=x onerror=alert(1)>', element: 'platform', kind: 'web-app' },
  { id: 'assistant-llm', name: 'Assistant LLM', element: 'model', kind: 'llm' },
  { id: 'rag-corpus', name: '=HYPERLINK("http://evil.example","docs")', element: 'data', kind: 'rag-corpus' },
] as const;

function level(score: number): RiskLevel {
  if (score >= 20) return 'critical';
  if (score >= 12) return 'high';
  if (score >= 6) return 'medium';
  return 'low';
}

function brief(s: RiskScore): Pick<RiskScore, 'likelihood' | 'impact' | 'score' | 'level'> {
  return { likelihood: s.likelihood, impact: s.impact, score: s.score, level: s.level };
}

function score(likelihood: number, impact: number, reduction: number): RiskScore {
  const s = likelihood * impact;
  return {
    likelihood,
    impact,
    score: s,
    level: level(s),
    likelihoodRaw: likelihood / 5,
    impactRaw: impact / 5,
    factors: [
      {
        factor: 'maturity',
        dimension: 'likelihood',
        input: String(likelihood),
        value: likelihood / 5,
        weight: 1,
        points: likelihood / 5,
        explanation: 'ATLAS maturity of the technique',
      },
      ...(reduction > 0
        ? [
            {
              factor: 'mitigations',
              dimension: 'reduction' as const,
              input: `${String(reduction)} in place`,
              value: Math.min(1, reduction / 3),
              weight: 1,
              points: -Math.min(1, reduction / 3),
              explanation: 'Implemented mitigations lower the likelihood',
            },
          ]
        : []),
    ],
  };
}

function entryOf(catalog: Catalog, t: Technique): LedgerEntry {
  const applies = APPLIES[t.id];
  const deciding = UNKNOWN[t.id];
  const decision = applies ? 'applies' : deciding ? 'unknown' : 'not-applicable';
  const assets = ASSETS.filter((a) => applies?.includes(a.id)).map((a) => ({ ...a }));
  const mitigations = catalog.mitigationsOf(t.id).map(({ mitigation, use }) => ({
    id: mitigation.id,
    name: mitigation.name,
    use,
    status: IMPLEMENTED[mitigation.id] ?? ('not-implemented' as const),
    source: IMPLEMENTED[mitigation.id] ? ('model' as const) : ('none' as const),
    scope: [],
    evidence: IMPLEMENTED[mitigation.id] === 'implemented' ? ['runbooks/gateway.md#limits'] : [],
  }));
  const inPlace = mitigations.filter((m) => m.status === 'implemented').length;
  const likelihood = t.maturity === 'realized' ? 4 : t.maturity === 'demonstrated' ? 3 : 2;
  const impact = applies ? (t.tactics.includes('AML.TA0010') ? 5 : 4) : 3;
  const scored = decision !== 'not-applicable';
  const gap = hasNoAtlasMitigation(catalog, t);
  return {
    techniqueId: t.id,
    name: t.name,
    tactics: t.tactics,
    ...(t.parent !== undefined ? { parent: t.parent } : {}),
    maturity: t.maturity ?? 'unknown',
    decision,
    reason: applies
      ? `Applies to ${assets.map((a) => a.name).join(', ')}: public users reach it | via "chat"`
      : deciding
        ? 'Unknown: the model does not say where the artifacts come from'
        : 'Not applicable: no asset of the kind this technique targets',
    ...(deciding ? { decidingQuestion: deciding } : {}),
    rules: scored ? [`R-${t.id}`] : [],
    trace: applies
      ? [
          {
            ruleId: `R-${t.id}`,
            path: 'model[assistant-llm].access',
            value: 'public-api',
            effect: 'applies',
            note: 'internet users',
          },
        ]
      : [],
    assets,
    elements: [...new Set(assets.map((a) => a.element))],
    ...(scored
      ? {
          inherent: score(likelihood, impact, 0),
          residual: score(Math.max(1, likelihood - inPlace), impact, inPlace),
        }
      : {}),
    mitigations: scored ? mitigations : [],
    gap,
    compensatingControls:
      scored && gap ? compensatingControlsFor(t.id).map((c) => ({ id: c.id, title: c.title })) : [],
    questions: scored
      ? questionsForTechnique(t.id).map((q) => ({
          id: q.id,
          answer: ANSWERS[q.id] ?? 'unanswered',
          via: q.mitigations.length > 0 ? ('mitigation' as const) : ('technique' as const),
        }))
      : [],
    caseStudies: scored
      ? catalog
          .caseStudiesOf(t.id)
          .slice(0, 2)
          .map((c, i) => ({
            id: c.id,
            name: c.name,
            type: c.type ?? 'unknown',
            ...(c.date !== undefined ? { year: Number(c.date.slice(0, 4)) } : {}),
            similarity: i === 0 ? 0.8 : 0.4,
            matched: i === 0 ? ['llm', 'public-api'] : ['llm'],
          }))
      : [],
    assetDecisions: scored
      ? assets.map((a, i) => ({
          asset: a.id,
          element: a.element,
          decision:
            applies && i === 0 ? ('applies' as const) : applies ? ('not-applicable' as const) : decision,
          reason:
            applies && i === 0
              ? `Applies to ${a.name}: public users reach it`
              : applies
                ? `Not applicable to ${a.name}: <not reachable> & "internal"`
                : 'Unknown: the model does not say where the artifacts come from',
          rules: [`R-${t.id}`],
          trace: [],
          ...(applies && i > 0
            ? {}
            : {
                inherent: brief(score(likelihood, impact, 0)),
                residual: brief(score(Math.max(1, likelihood - inPlace), impact, inPlace)),
              }),
          mitigations: mitigations.map((m) => ({ id: m.id, status: m.status, source: m.source })),
        }))
      : [],
    ...(t.id === 'AML.T0034'
      ? {
          treatment: {
            treatment: 'accept' as const,
            approver: 'CISO',
            reason: 'Spend cap at the provider, reviewed monthly',
            expires: '2027-01-31',
            active: true,
          },
        }
      : {}),
  };
}

/** A complete, schema-valid assessment over every technique of the given catalog. */
export function fixtureAssessment(catalog: Catalog): Assessment {
  const ledger = catalog.techniques.map((t) => entryOf(catalog, t));
  const scored = ledger.filter((e) => e.decision !== 'not-applicable');
  const ranked = [...scored].sort(
    (a, b) =>
      (b.residual?.score ?? 0) - (a.residual?.score ?? 0) || a.techniqueId.localeCompare(b.techniqueId),
  );
  const risks: Risk[] = ranked.map((e, i) => ({
    id: e.techniqueId,
    rank: i + 1,
    techniqueId: e.techniqueId,
    name: e.name,
    tactics: e.tactics,
    decision: e.decision === 'unknown' ? 'unknown' : 'applies',
    elements: e.elements,
    assets: e.assets.map((a) => a.id),
    inherent: { score: e.inherent?.score ?? 0, level: e.inherent?.level ?? 'low' },
    residual: { score: e.residual?.score ?? 0, level: e.residual?.level ?? 'low' },
    status: e.treatment
      ? 'accepted'
      : e.mitigations.some((m) => m.status === 'implemented')
        ? 'mitigated'
        : 'open',
    mitigationsInPlace: e.mitigations
      .filter((m) => m.status === 'implemented' || m.status === 'partial')
      .map((m) => m.id),
    mitigationsMissing: e.mitigations.filter((m) => m.status !== 'implemented').map((m) => m.id),
    realWorld: {
      incidents: catalog.technique(e.techniqueId)?.caseStudies.incidents.length ?? 0,
      exercises: catalog.technique(e.techniqueId)?.caseStudies.exercises.length ?? 0,
    },
    assetRisks: e.assetDecisions
      .filter((d) => d.decision === 'applies')
      .map((d) => ({
        asset: d.asset,
        inherent: { score: d.inherent?.score ?? 1, level: d.inherent?.level ?? 'low' },
        residual: { score: d.residual?.score ?? 1, level: d.residual?.level ?? 'low' },
      })),
  }));
  const count = (lvl: RiskLevel, element?: string) =>
    risks.filter(
      (r) => r.residual.level === lvl && (element === undefined || r.elements.includes(element as never)),
    ).length;
  const questionIds = [...new Set(scored.flatMap((e) => e.questions.map((q) => q.id)))];
  return {
    schemaVersion: 1,
    tool: { name: 'atlasguard', version: '0.1.0' },
    atlas: { version: catalog.version, techniques: catalog.techniques.length },
    assessedOn: '2026-11-25',
    source: 'examples/citizen assistant.atlasguard.yaml',
    policy: { name: 'default', thresholds: [6, 12, 20] },
    system: {
      id: 'citizen-assistant',
      name: 'Citizen <script>alert("pwned")</script> Assistant',
      description: 'Answers questions about public services & forms; files tickets',
      sector: 'government',
      criticality: 'high',
      riskAppetite: 'low',
      regulations: ['EU AI Act', 'GDPR'],
      dataClasses: ['pii'],
      owners: [{ name: 'Ada "Ops" Lovelace', role: 'service owner' }],
      assets: ASSETS.map((a, i) => ({ ...a, location: { line: 12 + i * 6, column: 9 } })),
      actors: [{ id: 'citizens', name: 'Citizens', kind: 'public-users' }],
      flows: 5,
      traits: ['llm', 'rag', 'public-api', 'agent-tools', 'government'],
    },
    coverage: {
      techniques: ledger.length,
      applies: ledger.filter((e) => e.decision === 'applies').length,
      notApplicable: ledger.filter((e) => e.decision === 'not-applicable').length,
      unknown: ledger.filter((e) => e.decision === 'unknown').length,
      unknownToRules: [],
      decided: ledger.filter((e) => e.decision !== 'unknown').length / ledger.length,
      mitigated: 0.35,
      gaps: scored.filter((e) => e.gap).length,
      questions: { attached: questionIds.length, answered: Object.keys(ANSWERS).length, passed: 2 },
    },
    elements: (['environment', 'platform', 'model', 'data'] as const).map((element) => ({
      element,
      assets: ASSETS.filter((a) => a.element === element).length,
      applies: scored.filter((e) => e.decision === 'applies' && e.elements.includes(element)).length,
      unknown: 0,
      residual: {
        critical: count('critical', element),
        high: count('high', element),
        medium: count('medium', element),
        low: count('low', element),
      },
    })),
    ledger,
    risks,
    scenarios: [
      {
        id: 'S-1',
        title: 'Poisoned page makes the assistant file & leak tickets',
        narrative:
          'An attacker plants instructions in a public page that the RAG index ingests; a citizen question retrieves it.',
        seed: {
          caseStudyId: catalog.caseStudies[0]?.id ?? 'AML.CS0000',
          name: catalog.caseStudies[0]?.name ?? '',
          similarity: 0.72,
        },
        steps: [
          {
            tacticId: 'AML.TA0006',
            tacticName: 'Persistence',
            techniqueId: 'AML.T0070',
            techniqueName: 'RAG Poisoning',
            assets: ['rag-corpus'],
            residualLevel: 'high',
            narrative: 'Plant a page with hidden <b>instructions</b>',
          },
          {
            tacticId: 'AML.TA0005',
            tacticName: 'Execution',
            techniqueId: 'AML.T0051.001',
            techniqueName: 'Indirect',
            assets: ['assistant-llm'],
            residualLevel: 'high',
            narrative: 'The retrieved page overrides the system prompt',
          },
          {
            tacticId: 'AML.TA0010',
            tacticName: 'Exfiltration',
            techniqueId: 'AML.T0086',
            techniqueName: 'Exfiltration via AI Agent Tool Invocation',
            assets: ['ticket-tool'],
            narrative: 'The ticket tool sends conversation data to the attacker',
          },
        ],
        breakers: [
          {
            mitigationId: 'AML.M0030',
            name: 'Restrict AI Agent Tool Invocation on Untrusted Data',
            status: 'not-implemented',
            breaks: ['AML.T0086'],
          },
          {
            mitigationId: 'AML.M0024',
            name: 'AI Telemetry Logging',
            status: 'implemented',
            breaks: ['AML.T0051.001', 'AML.T0086'],
          },
        ],
        level: 'high',
      },
    ],
    questions: questionIds.map((id) => ({
      id,
      answer: ANSWERS[id] ?? 'unanswered',
      ...(ANSWERS[id] === 'yes' ? { evidence: 'evidence/monitor-alerts.jsonl', date: '2026-11-01' } : {}),
      techniques: scored.filter((e) => e.questions.some((q) => q.id === id)).map((e) => e.techniqueId),
      mitigations: [],
    })),
    warnings: ['Technique AML.T0010.003: provenance of the base model not stated'],
    gate: {
      failOn: 'high',
      failed: true,
      blocking: risks
        .filter(
          (r) => r.status === 'open' && (r.residual.level === 'high' || r.residual.level === 'critical'),
        )
        .map((r) => r.id),
      excused: ['AML.T0034'],
    },
  };
}
