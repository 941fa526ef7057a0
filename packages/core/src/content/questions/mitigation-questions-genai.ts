import type { Question } from './question-schema.js';

/** Questions for the ATLAS mitigations for generative AI and AI agents. */
export const GENAI_MITIGATION_QUESTIONS: readonly Question[] = [
  {
    id: 'Q-AML.M0020-1',
    text:
      'Do input and output filters that run outside the model screen every prompt and response for ' +
      'injection and jailbreak patterns, leakage of the system prompt and sensitive data — and is the block ' +
      'rate measured on an attack test set and the false-positive rate on normal traffic?',
    element: 'model',
    persona: 'ml-engineer',
    lifecycle: 'Deployment',
    passCriteria:
      'Filters are in the request path for all traffic; the last evaluation reports block and ' +
      'false-positive rates that meet the owner-set thresholds; bypasses found are tracked.',
    evidence:
      'Guardrail configuration and its latest evaluation report on an attack set and on normal traffic.',
    techniques: [
      'AML.T0051',
      'AML.T0054',
      'AML.T0056',
      'AML.T0057',
      'AML.T0053',
      'AML.T0061',
      'AML.T0062',
      'AML.T0010',
    ],
    mitigations: ['AML.M0020'],
  },
  {
    id: 'Q-AML.M0021-1',
    text:
      'Does the system prompt state tested rules — the assistant’s role and limits, that retrieved content ' +
      'and tool output are data rather than instructions, that the prompt itself is never disclosed — and ' +
      'are those rules versioned and re-tested whenever the prompt or model changes?',
    element: 'model',
    persona: 'ml-engineer',
    lifecycle: 'ML Model Engineering',
    passCriteria:
      'The system prompt is in version control; a regression suite exercises each rule; the last prompt ' +
      'or model change has a passing run.',
    evidence: 'The versioned system prompt and the regression results of the last change.',
    techniques: ['AML.T0051', 'AML.T0054', 'AML.T0056', 'AML.T0057', 'AML.T0053', 'AML.T0061', 'AML.T0062'],
    mitigations: ['AML.M0021'],
  },
  {
    id: 'Q-AML.M0022-1',
    text:
      'When choosing or fine-tuning the foundation model, was its refusal behaviour and jailbreak ' +
      'resistance measured on a public or internal safety benchmark before adoption, and measured again ' +
      'after your own fine-tuning, which can weaken it?',
    element: 'model',
    persona: 'ml-engineer',
    lifecycle: 'ML Model Evaluation',
    passCriteria:
      'Benchmark results exist for the base model and for each fine-tuned version; a drop beyond the set ' +
      'tolerance blocked or was accepted in writing.',
    evidence: 'Safety benchmark results before and after fine-tuning.',
    techniques: ['AML.T0051', 'AML.T0054', 'AML.T0056', 'AML.T0057', 'AML.T0053', 'AML.T0061', 'AML.T0062'],
    mitigations: ['AML.M0022'],
  },
  {
    id: 'Q-AML.M0026-1',
    text:
      'Does each agent that acts with its own service identity hold only the permissions its tasks need — ' +
      'scoped OAuth grants, read-only database roles, no cloud admin — and is that permission list ' +
      'documented and reviewed whenever a tool or data source is added?',
    element: 'platform',
    persona: 'security',
    lifecycle: 'Deployment',
    passCriteria:
      'The agent identity’s effective permissions match the documented list; no wildcard or admin grants; ' +
      'the last tool addition has a review record.',
    evidence: 'Effective permission export of the agent identity and the permission review records.',
    techniques: [
      'AML.T0053',
      'AML.T0086',
      'AML.T0101',
      'AML.T0082',
      'AML.T0085',
      'AML.T0085.000',
      'AML.T0085.001',
    ],
    mitigations: ['AML.M0026'],
  },
  {
    id: 'Q-AML.M0027-1',
    text:
      'When the assistant acts for a person, does it call downstream systems with that person’s own ' +
      'delegated, narrowly scoped credentials — never one shared super-credential — so it cannot fetch ' +
      'documents, invoke integrations or read records that the person could not open directly?',
    element: 'platform',
    persona: 'security',
    lifecycle: 'Deployment',
    passCriteria:
      'Retrieval and tool calls carry the user’s identity; a test user without rights to a document cannot ' +
      'get its content through the agent.',
    evidence: 'Design of the credential flow and the result of the cross-user access test.',
    techniques: [
      'AML.T0053',
      'AML.T0086',
      'AML.T0101',
      'AML.T0082',
      'AML.T0085',
      'AML.T0085.000',
      'AML.T0085.001',
    ],
    mitigations: ['AML.M0027'],
  },
  {
    id: 'Q-AML.M0028-1',
    text:
      'Is each agent tool constrained in the tool’s own code, not in the prompt — a file tool limited to ' +
      'one directory, an HTTP tool to allow-listed domains, a SQL tool to read-only views, an email tool to ' +
      'internal recipients — with the constraints listed per tool?',
    element: 'platform',
    persona: 'ml-engineer',
    lifecycle: 'Deployment',
    passCriteria:
      'Every tool has a written constraint list enforced in code or configuration; a test call outside the ' +
      'constraint fails in the tool even when the model asks for it.',
    evidence: 'Tool configuration with constraints and the results of out-of-bounds test calls.',
    techniques: ['AML.T0053', 'AML.T0086', 'AML.T0101', 'AML.T0085', 'AML.T0085.001'],
    mitigations: ['AML.M0028'],
  },
  {
    id: 'Q-AML.M0029-1',
    text:
      'Do agent actions with side effects — sending email or messages, payments, deleting or overwriting ' +
      'data, committing or deploying code, changing permissions — wait for explicit human approval that ' +
      'shows the exact action and arguments, with approvals logged?',
    element: 'model',
    persona: 'risk-manager',
    lifecycle: 'Deployment',
    passCriteria:
      'The list of side-effecting tools is complete; each requires approval in the orchestrator; approval ' +
      'records show the action, arguments, approver and time.',
    evidence: 'Orchestrator approval policy and a sample of approval log entries.',
    techniques: ['AML.T0053', 'AML.T0086', 'AML.T0101'],
    mitigations: ['AML.M0029'],
  },
  {
    id: 'Q-AML.M0030-1',
    text:
      'Once untrusted content — a web page, inbound email, retrieved document or another tool’s output — ' +
      'has entered the agent’s context, are tools that send data out or change state disabled or gated for ' +
      'the rest of that task?',
    element: 'model',
    persona: 'ml-engineer',
    lifecycle: 'Deployment',
    passCriteria:
      'The orchestrator tracks the trust of context content; after untrusted content, listed high-risk ' +
      'tools need approval or are blocked; an indirect-injection test could not trigger them.',
    evidence: 'Orchestrator policy and the indirect-injection test results.',
    techniques: ['AML.T0053', 'AML.T0086', 'AML.T0101'],
    mitigations: ['AML.M0030'],
  },
  {
    id: 'Q-AML.M0031-1',
    text:
      'Are writes to the agent’s long-term memory and persistent chat threads checked (source recorded, ' +
      'instructions stripped, scoped to one user), visible and deletable by the user, and is recalled memory ' +
      'treated as untrusted input rather than as instructions?',
    element: 'data',
    persona: 'ml-engineer',
    lifecycle: 'Deployment',
    passCriteria:
      'Memory entries carry source and owner; a test planting an instruction in memory did not change the ' +
      'agent’s later behaviour for another user or task.',
    evidence: 'Memory store design and the planted-instruction test result.',
    techniques: ['AML.T0080', 'AML.T0080.000', 'AML.T0080.001'],
    mitigations: ['AML.M0031'],
  },
  {
    id: 'Q-AML.M0032-1',
    text:
      'Do agent components — planner, tool runners, MCP servers, code sandbox, retrieval — run in separate ' +
      'processes or containers with their own credentials and network policies, so that compromising one ' +
      'does not expose the credentials and data of all tools?',
    element: 'environment',
    persona: 'security',
    lifecycle: 'Deployment',
    passCriteria:
      'Each component has its own identity and secret scope; network policies restrict component-to-' +
      'component traffic; no component can read another’s secrets.',
    evidence: 'Deployment manifests with identities and network policies per component.',
    techniques: ['AML.T0053', 'AML.T0086', 'AML.T0098', 'AML.T0085', 'AML.T0085.000', 'AML.T0085.001'],
    mitigations: ['AML.M0032'],
  },
  {
    id: 'Q-AML.M0033-1',
    text:
      'Are the arguments the model produces for each tool call validated against a strict schema and policy ' +
      '(types, allowed values, destination allow-lists) before execution, and are tool outputs checked for ' +
      'embedded instructions before they are returned to the model?',
    element: 'model',
    persona: 'ml-engineer',
    lifecycle: 'Deployment',
    passCriteria:
      'Every tool has an argument schema enforced by the orchestrator; invalid calls are refused and ' +
      'logged; tool outputs pass an injection check.',
    evidence: 'Tool schemas, orchestrator validation code and logs of refused calls.',
    techniques: ['AML.T0053', 'AML.T0086', 'AML.T0051', 'AML.T0051.000', 'AML.T0051.001', 'AML.T0051.002'],
    mitigations: ['AML.M0033'],
  },
];
