import type { Question } from './question-schema.js';

/**
 * Technique questions (no ATLAS mitigation exists) for the tactics after initial access: execution,
 * persistence, evasion, credential access, discovery, collection, command and control, exfiltration, impact.
 */
export const POST_ACCESS_TECHNIQUE_QUESTIONS: readonly Question[] = [
  {
    id: 'Q-AML.T0070-1',
    text:
      'For each source your RAG index or agent tools ingest, is it recorded who can write to it — and are ' +
      'documents from sources outsiders can write to (public web, inbound email, customer tickets, open ' +
      'wiki spaces, shared drives) marked untrusted, screened for embedded instructions and kept apart ' +
      'from curated content before indexing?',
    element: 'data',
    persona: 'data-owner',
    lifecycle: 'Data Preparation',
    passCriteria:
      'The source inventory lists writers and a trust tier per source; ingestion screens untrusted tiers; ' +
      'a test document with hidden instructions was flagged or isolated.',
    evidence: 'The RAG source inventory with trust tiers, the ingestion pipeline step, and the test result.',
    techniques: ['AML.T0070', 'AML.T0066', 'AML.T0093', 'AML.T0099'],
    mitigations: [],
    controls: ['CC-RAG-INGEST-TRUST'],
  },
  {
    id: 'Q-AML.T0071-1',
    text:
      'Can you show, for any answer, which indexed chunks were retrieved with their source and ingest ' +
      'time — and is there a tested procedure to find entries injected from one source or time window, ' +
      'delete them and rebuild the affected index?',
    element: 'data',
    persona: 'data-owner',
    lifecycle: 'Monitoring and Maintenance',
    passCriteria:
      'Retrieval logs link answers to chunk IDs and sources; a purge by source or time window was ' +
      'rehearsed and the index rebuilt.',
    evidence: 'A retrieval log sample and the record of the purge rehearsal.',
    techniques: ['AML.T0071', 'AML.T0070'],
    mitigations: [],
    controls: ['CC-RAG-TRACEABILITY'],
  },
  {
    id: 'Q-AML.T0067-1',
    text:
      'Does the application itself check the citations and links in generated answers — the cited ' +
      'document was retrieved in this request and contains the quoted passage — and drop or mark ' +
      'citations it cannot verify, instead of trusting what the model writes?',
    element: 'model',
    persona: 'ml-engineer',
    lifecycle: 'Deployment',
    passCriteria:
      'A verification step runs on every answer with citations; a test answer with a fabricated citation ' +
      'was marked or removed.',
    evidence: 'The citation-verification code path and the fabricated-citation test result.',
    techniques: ['AML.T0067', 'AML.T0067.000'],
    mitigations: [],
    controls: ['CC-CITATION-VERIFY'],
  },
  {
    id: 'Q-AML.T0069-1',
    text:
      'Would disclosure of the system prompt harm you — does it hold credentials, internal hostnames or ' +
      'business rules that security relies on — and are probes for delimiters, special tokens, function ' +
      'names and the prompt text itself logged and alerted on?',
    element: 'model',
    persona: 'ml-engineer',
    lifecycle: 'ML Model Evaluation',
    passCriteria:
      'A review confirmed the prompt contains nothing whose disclosure weakens security; a detector flags ' +
      'prompt-probing requests and a test probe raised an alert.',
    evidence:
      'The prompt review record and `atlasguard monitor` alerts (prompt-extraction and injection ' +
      'detectors) for test probes.',
    command: 'monitor',
    techniques: ['AML.T0069', 'AML.T0069.000', 'AML.T0069.001', 'AML.T0069.002'],
    mitigations: [],
    controls: ['CC-PROMPT-REDTEAM'],
  },
  {
    id: 'Q-AML.T0084-1',
    text:
      'If a user asks the agent to list its tools, data sources, triggers or instructions, does it reveal ' +
      'no more than what is documented publicly — tested with such requests — and are tool endpoints and ' +
      'knowledge-source locations kept out of the prompt where the model does not need them?',
    element: 'model',
    persona: 'ml-engineer',
    lifecycle: 'ML Model Evaluation',
    passCriteria:
      'A test suite asks for configuration details in several phrasings; answers reveal only documented ' +
      'capabilities; the prompt contains no connection strings or internal paths.',
    evidence: 'Configuration-disclosure test results and the reviewed prompt.',
    techniques: ['AML.T0084', 'AML.T0084.000', 'AML.T0084.001', 'AML.T0084.002'],
    mitigations: [],
    controls: ['CC-AGENT-CONFIG-DISCLOSURE'],
  },
  {
    id: 'Q-AML.T0084.003-1',
    text:
      'Has the agent’s code been reviewed, with static analysis, for paths where user input or model ' +
      'output reaches an execution sink — eval, exec, subprocess, shell, SQL built from strings, template ' +
      'rendering — and is each such path removed, parameterised or confined to a sandbox?',
    element: 'platform',
    persona: 'security',
    lifecycle: 'Deployment',
    passCriteria:
      'A static-analysis rule set for these sinks runs in CI; every remaining path is documented with its ' +
      'confinement.',
    evidence: 'The static-analysis configuration, its latest report and the list of confined paths.',
    techniques: ['AML.T0084.003', 'AML.T0050'],
    mitigations: [],
    controls: ['CC-EXEC-SINK-REVIEW'],
  },
  {
    id: 'Q-AML.T0050-1',
    text:
      'Where the model or agent can run code or shell commands, does that happen in an isolated sandbox — ' +
      'no host mounts, no cloud credentials, egress limited to an allow-list, CPU, memory and time limits — ' +
      'with every executed command logged next to the prompt that produced it?',
    element: 'environment',
    persona: 'security',
    lifecycle: 'Deployment',
    passCriteria:
      'The sandbox configuration shows the listed limits; a test command trying to open an outbound ' +
      'connection or read host files fails; command logs link to prompts.',
    evidence: 'Sandbox configuration, the escape and egress test results, and a command log sample.',
    techniques: ['AML.T0050', 'AML.T0102', 'AML.T0072', 'AML.T0105'],
    mitigations: [],
    controls: ['CC-CODE-SANDBOX'],
  },
  {
    id: 'Q-AML.T0103-1',
    text:
      'Can anyone in your environment start a new AI agent (agent framework, coding or computer-use agent) ' +
      'with its own tool permissions — and are agent processes and their outbound calls to AI service ' +
      'APIs inventoried, with alerts for agents running outside approved workloads?',
    element: 'environment',
    persona: 'security',
    lifecycle: 'Monitoring and Maintenance',
    passCriteria:
      'An inventory of approved agents exists; endpoint or network monitoring detects unapproved agent ' +
      'processes and AI API traffic from unexpected hosts; a test was detected.',
    evidence: 'Agent inventory and the detection of a test agent started on an unapproved host.',
    techniques: ['AML.T0103', 'AML.T0108', 'AML.T0096'],
    mitigations: [],
    controls: ['CC-AGENT-INVENTORY'],
  },
  {
    id: 'Q-AML.T0081-1',
    text:
      'Are agent configuration files (system prompts, tool and MCP server lists, knowledge-source ' +
      'settings) version-controlled, change-reviewed, integrity-checked when the agent starts, and ' +
      'writable only by the deployment pipeline — not by the agent, its tools or end users?',
    element: 'platform',
    persona: 'security',
    lifecycle: 'Deployment',
    passCriteria:
      'Configuration is deployed from version control; the runtime copy is read-only to the agent; a ' +
      'hash mismatch at start-up stops the agent.',
    evidence: 'The configuration repository history, file permissions at run time and the start-up check.',
    techniques: ['AML.T0081'],
    mitigations: [],
    controls: ['CC-AGENT-CONFIG-INTEGRITY'],
  },
  {
    id: 'Q-AML.T0055-1',
    text:
      'Are credentials for model APIs, vector DBs, cloud storage and agent tools kept out of notebooks, ' +
      'agent configuration, `.env` files and container images — held in a secrets manager and injected ' +
      'at run time — with secret scanning on repositories, notebooks and images?',
    element: 'environment',
    persona: 'security',
    lifecycle: 'Deployment',
    passCriteria:
      'Secret scanning covers repositories, notebook outputs and images with no open findings; agents and ' +
      'notebooks obtain secrets from the manager; secrets found earlier were rotated.',
    evidence: 'Secret-scanning reports and the secrets-manager access policy for the agents and notebooks.',
    techniques: ['AML.T0055', 'AML.T0083', 'AML.T0090'],
    mitigations: [],
    controls: ['CC-SECRETS'],
  },
  {
    id: 'Q-AML.T0092-1',
    text:
      'Is chat history kept with an audit trail — edits and deletions by users, administrators or the ' +
      'agent recorded and attributable — so that a conversation altered to hide an attack can be ' +
      'reconstructed during an investigation?',
    element: 'data',
    persona: 'security',
    lifecycle: 'Monitoring and Maintenance',
    passCriteria:
      'History changes are written to an append-only audit log outside the user’s reach; a test edit was ' +
      'reconstructable from it.',
    evidence: 'Audit log configuration and the reconstruction of a test edit.',
    techniques: ['AML.T0092'],
    mitigations: [],
    controls: ['CC-CHAT-HISTORY-AUDIT'],
  },
  {
    id: 'Q-AML.T0076-1',
    text:
      'Does model-file intake fail closed — a file the scanner cannot fully parse (truncated, corrupted, ' +
      'unknown opcode, mismatched extension, malformed archive) is rejected and never loaded, rather than ' +
      'passed because no finding was reported?',
    element: 'model',
    persona: 'security',
    lifecycle: 'ML Model Engineering',
    passCriteria:
      'Inconclusive scan verdicts block the file like malicious ones; a deliberately truncated pickle and ' +
      'a file with a misleading extension were rejected in a test.',
    evidence:
      '`atlasguard scan model` reports for the corrupted and mislabelled test files and the intake policy.',
    command: 'scan model',
    techniques: ['AML.T0076', 'AML.T0074', 'AML.T0112.001'],
    mitigations: [],
    controls: ['CC-ARTIFACT-FAIL-CLOSED'],
  },
  {
    id: 'Q-AML.T0097-1',
    text:
      'Are third-party models, agent tools and MCP servers also watched in production — process, file and ' +
      'network activity of the hosts that load them — rather than trusted after a clean run in an analysis ' +
      'sandbox, where dormant payloads can hide?',
    element: 'environment',
    persona: 'security',
    lifecycle: 'Monitoring and Maintenance',
    passCriteria:
      'Runtime monitoring (EDR or equivalent) covers serving and agent hosts; alerts exist for unexpected ' +
      'child processes and outbound connections from model-serving processes.',
    evidence: 'Runtime monitoring coverage report and the alert rules for serving processes.',
    techniques: ['AML.T0097', 'AML.T0107', 'AML.T0112'],
    mitigations: [],
    controls: ['CC-HOST-HARDENING-AI'],
  },
  {
    id: 'Q-AML.T0112-1',
    text:
      'Do hosts that run local AI agents or load AI artifacts run them as unprivileged users without ' +
      'access to browser credential stores, SSH keys or cloud CLI tokens, with endpoint detection installed ' +
      'and agent actions confined to a workspace directory?',
    element: 'environment',
    persona: 'security',
    lifecycle: 'Deployment',
    passCriteria:
      'Agent processes run under a dedicated low-privilege account; credential stores are not readable ' +
      'by it; endpoint detection is active on those hosts.',
    evidence: 'Host configuration for agent accounts and endpoint-detection coverage.',
    techniques: ['AML.T0112', 'AML.T0112.000', 'AML.T0112.001'],
    mitigations: [],
    controls: ['CC-HOST-HARDENING-AI'],
  },
  {
    id: 'Q-AML.T0075-1',
    text:
      'Are enumeration calls against your cloud AI services (listing endpoints, models, training jobs, ' +
      'buckets, secrets) and process or GPU discovery on ML hosts logged, with alerts when an identity that ' +
      'does not normally do so starts enumerating?',
    element: 'environment',
    persona: 'security',
    lifecycle: 'Monitoring and Maintenance',
    passCriteria:
      'Cloud audit logs for AI services are enabled and collected; an enumeration alert exists and fired ' +
      'in a test with an unusual identity.',
    evidence: 'Audit log configuration and the enumeration alert from the test.',
    techniques: ['AML.T0075', 'AML.T0089'],
    mitigations: [],
    controls: ['CC-CLOUD-DISCOVERY-DETECT'],
  },
  {
    id: 'Q-AML.T0036-1',
    text:
      'Are wikis, ticket systems, shared drives and experiment trackers (MLflow, Weights & Biases) that ' +
      'hold model details, datasets or credentials restricted on a need-to-know basis, and are bulk reads ' +
      'or downloads from them — and copies of weights or data onto workstations — detected?',
    element: 'data',
    persona: 'data-owner',
    lifecycle: 'Monitoring and Maintenance',
    passCriteria:
      'Access groups for these repositories match the team list; a bulk-download alert exists; ML ' +
      'workstations are covered by data-loss controls.',
    evidence: 'Access lists of the repositories and the bulk-download alert configuration.',
    techniques: ['AML.T0036', 'AML.T0037'],
    mitigations: [],
    controls: ['CC-DATA-REPO-ACCESS'],
  },
  {
    id: 'Q-AML.T0077-1',
    text:
      'Does the client that renders model output refuse to fetch external resources on its own — images, ' +
      'link previews, Markdown links to domains that are not allow-listed — so that data the model puts ' +
      'into a URL cannot leave without the user clicking?',
    element: 'platform',
    persona: 'security',
    lifecycle: 'Deployment',
    passCriteria:
      'The renderer blocks or proxies remote images and previews; a content security policy limits ' +
      'image and connect sources; a test response with an exfiltration image URL made no request.',
    evidence: 'Renderer configuration, the content security policy and the test result.',
    techniques: ['AML.T0077'],
    mitigations: [],
    controls: ['CC-OUTPUT-RENDERING'],
  },
  {
    id: 'Q-AML.T0048-1',
    text:
      'Has the business estimated the financial, reputational, societal and user harm if this model gives ' +
      'wrong or manipulated outputs (approved fraud, unsafe advice, discriminatory decisions), set an owner ' +
      'and a tolerance for each, and written an incident playbook that names the AI system?',
    element: 'model',
    persona: 'risk-manager',
    lifecycle: 'Business and Data Understanding',
    passCriteria:
      'A harm assessment exists per harm type with an owner and tolerance; the incident playbook covers ' +
      'disabling or rolling back the model and informing affected users; it was exercised once.',
    evidence: 'The harm assessment, the playbook and the record of the exercise.',
    techniques: ['AML.T0048', 'AML.T0048.000', 'AML.T0048.001', 'AML.T0048.002', 'AML.T0048.003'],
    mitigations: [],
    controls: ['CC-HARM-RESPONSE'],
  },
];
