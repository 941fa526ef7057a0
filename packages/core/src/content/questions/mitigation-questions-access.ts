import type { Question } from './question-schema.js';

/** Questions for the ATLAS mitigations that control and watch access to the running model. */
export const ACCESS_MITIGATION_QUESTIONS: readonly Question[] = [
  {
    id: 'Q-AML.M0024-1',
    founding: 'inference-anomalies',
    text:
      'Which logs and metrics detect anomalies in inference? Is every inference request logged with the ' +
      'principal, client address, model and version, input size or features, output label, scores or ' +
      'token counts, latency and errors — and do detectors on those logs alert on query-volume spikes per ' +
      'principal, systematic input sweeps, shifts in the output distribution, unusual use of logprobs or ' +
      'top-k, and bursts of tool calls?',
    element: 'platform',
    persona: 'security',
    lifecycle: 'Monitoring and Maintenance',
    passCriteria:
      'Logs carry the listed fields for 100 % of requests and are retained for at least the investigation ' +
      'window; the detectors run continuously; a replayed extraction or probing sequence produced an alert ' +
      'with the principal and time window.',
    evidence:
      'A sample of inference events in the documented JSONL shape and the alerts file from `atlasguard ' +
      'monitor EVENTS --alerts ALERTS.jsonl` for a replayed attack.',
    command: 'monitor',
    techniques: [
      'AML.T0040',
      'AML.T0047',
      'AML.T0024',
      'AML.T0024.000',
      'AML.T0024.001',
      'AML.T0024.002',
      'AML.T0005.001',
      'AML.T0051',
      'AML.T0051.000',
      'AML.T0051.001',
      'AML.T0051.002',
    ],
    mitigations: ['AML.M0024'],
  },
  {
    id: 'Q-AML.M0024-2',
    text:
      'Is every agent tool call logged with the tool name, arguments, target resource, result size and the ' +
      'conversation or task that triggered it, kept long enough to investigate, and alerted on when an ' +
      'agent reads unusually many records or writes or deletes outside its normal pattern?',
    element: 'platform',
    persona: 'security',
    lifecycle: 'Monitoring and Maintenance',
    passCriteria:
      'Tool-call logs exist for every tool, link back to the conversation, are retained for the agreed ' +
      'period; a replayed tool call to an unusual destination and a bulk-read or bulk-delete test each ' +
      'produced an alert.',
    evidence:
      'Tool-call log samples, the alert rules for bulk reads and deletions, and `atlasguard monitor` alerts ' +
      '(agent tool detectors) for a replayed tool call to an unusual destination.',
    command: 'monitor',
    techniques: ['AML.T0053', 'AML.T0086', 'AML.T0101', 'AML.T0085', 'AML.T0085.000', 'AML.T0085.001'],
    mitigations: ['AML.M0024'],
  },
  {
    id: 'Q-AML.M0004-1',
    text:
      'Are quotas enforced at the gateway of the inference API per principal and per source — requests per ' +
      'minute and per day, input and output tokens per request and per day — set below the query volume ' +
      'that model extraction or black-box attack crafting would need, with every refusal logged?',
    element: 'platform',
    persona: 'security',
    lifecycle: 'Deployment',
    passCriteria:
      'Limits are configured in the gateway (not only in client code); their values and the reasoning ' +
      'behind them are documented; a load test above the limit was throttled and logged.',
    evidence:
      'Gateway rate-limit configuration and `atlasguard monitor` alerts or gateway logs from a throttling test.',
    command: 'monitor',
    techniques: [
      'AML.T0034',
      'AML.T0034.000',
      'AML.T0034.001',
      'AML.T0029',
      'AML.T0046',
      'AML.T0013',
      'AML.T0014',
      'AML.T0024',
      'AML.T0024.000',
      'AML.T0024.001',
      'AML.T0024.002',
      'AML.T0043',
      'AML.T0043.001',
      'AML.T0043.003',
      'AML.T0005',
      'AML.T0005.001',
      'AML.T0042',
      'AML.T0062',
    ],
    mitigations: ['AML.M0004'],
  },
  {
    id: 'Q-AML.M0004-2',
    text:
      'Are agent runs bounded — a maximum number of model calls, tool calls and loop iterations, wall-clock ' +
      'time and spend per task and per user per day — so that a task that loops, recurses or fans out is ' +
      'stopped and reported instead of consuming budget?',
    element: 'platform',
    persona: 'ml-engineer',
    lifecycle: 'Deployment',
    passCriteria:
      'The orchestrator enforces the bounds; a spend alert exists per project; a test task designed to ' +
      'loop was stopped at the bound.',
    evidence: 'Agent orchestrator configuration and the log of the loop test.',
    techniques: ['AML.T0034', 'AML.T0034.001', 'AML.T0034.002'],
    mitigations: ['AML.M0004'],
  },
  {
    id: 'Q-AML.M0019-1',
    text:
      'Does every call to the model inference API authenticate an individual user or client (no shared or ' +
      'anonymous keys), with authorization deciding which models, operations and parameters each caller ' +
      'may use, and are keys revoked when their owner leaves or the client is retired?',
    element: 'platform',
    persona: 'security',
    lifecycle: 'Deployment',
    passCriteria:
      'Unauthenticated requests are rejected; each key maps to one owner; the key inventory has no keys ' +
      'without owner or older than the rotation period.',
    evidence: 'Gateway authentication configuration and the key inventory with owners and ages.',
    techniques: [
      'AML.T0040',
      'AML.T0024',
      'AML.T0034',
      'AML.T0029',
      'AML.T0046',
      'AML.T0043',
      'AML.T0043.001',
      'AML.T0005',
      'AML.T0042',
      'AML.T0063',
    ],
    mitigations: ['AML.M0019'],
  },
  {
    id: 'Q-AML.M0019-2',
    text:
      'Can untrusted users reach the LLM only through the application, which fixes the system prompt, ' +
      'model and tool set — rather than sending raw prompts, system messages or tool definitions to the ' +
      'model endpoint directly?',
    element: 'model',
    persona: 'ml-engineer',
    lifecycle: 'Deployment',
    passCriteria:
      'The model endpoint is not reachable from user networks; the application rejects client-supplied ' +
      'system messages and tool definitions.',
    evidence:
      'Network policy of the model endpoint and a request showing a client-supplied system message rejected.',
    techniques: ['AML.T0051', 'AML.T0040'],
    mitigations: ['AML.M0019'],
  },
  {
    id: 'Q-AML.M0018-1',
    text:
      'Have the people who build and run this system been trained in the last 12 months on AI-specific ' +
      'attacks on themselves — loading untrusted model files and notebooks, typosquatted packages, ' +
      'malicious links in model cards, and voice or video deepfakes asking for access or payments — with ' +
      'completion tracked?',
    element: 'environment',
    persona: 'risk-manager',
    lifecycle: 'Business and Data Understanding',
    passCriteria:
      'Training content covers the listed topics; completion is tracked per person in the team; a ' +
      'phishing or deepfake exercise was run in the last year.',
    evidence: 'Training records of the team and the results of the last exercise.',
    techniques: [
      'AML.T0011',
      'AML.T0011.000',
      'AML.T0011.001',
      'AML.T0011.003',
      'AML.T0052',
      'AML.T0052.000',
      'AML.T0052.001',
    ],
    mitigations: ['AML.M0018'],
  },
];
