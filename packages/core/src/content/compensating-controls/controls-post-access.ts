import type { CompensatingControl } from './control-schema.js';

/** Compensating controls for execution through impact. */
export const POST_ACCESS_CONTROLS: readonly CompensatingControl[] = [
  {
    id: 'CC-RAG-INGEST-TRUST',
    title: 'Trust tiers and screening for RAG and tool-readable content',
    element: 'data',
    persona: 'data-owner',
    control:
      'Inventory every source indexed for retrieval or readable by agent tools with who can write to it; ' +
      'assign a trust tier; screen content from tiers outsiders can write to for embedded instructions, ' +
      'hidden text and keyword stuffing; index it separately and label it in the prompt as untrusted.',
    verification:
      'The inventory exists with tiers; a planted test document was flagged or isolated at ingestion.',
    techniques: ['AML.T0070', 'AML.T0066', 'AML.T0093', 'AML.T0099'],
    basis: ['OWASP Top 10 for LLM Applications', 'CoSAI Risk Map', 'OWASP AI Exchange'],
  },
  {
    id: 'CC-RAG-TRACEABILITY',
    title: 'Trace answers to retrieved entries and purge injected ones',
    element: 'data',
    persona: 'data-owner',
    control:
      'Log, for every answer, the IDs, sources and ingest times of retrieved chunks; keep a procedure and ' +
      'tooling to delete entries by source or time window and rebuild the index; rehearse it.',
    verification: 'Retrieval logs link answers to chunks; a purge rehearsal is recorded.',
    techniques: ['AML.T0071', 'AML.T0070'],
    basis: ['CoSAI Risk Map'],
  },
  {
    id: 'CC-CITATION-VERIFY',
    title: 'Verify citations outside the model',
    element: 'model',
    persona: 'ml-engineer',
    control:
      'Before showing an answer, check in application code that each cited document was retrieved in this ' +
      'request and contains the quoted passage; drop or visibly mark citations that fail; never render ' +
      'model-generated links as trusted sources.',
    verification: 'A test answer with a fabricated citation was marked or removed.',
    techniques: ['AML.T0067', 'AML.T0067.000'],
    basis: ['OWASP Top 10 for LLM Applications'],
  },
  {
    id: 'CC-OUTPUT-RENDERING',
    title: 'Render model output without automatic outbound requests',
    element: 'platform',
    persona: 'security',
    control:
      'Render model output as text or sanitised Markdown; block or proxy remote images and link previews; ' +
      'restrict image and connect sources with a content security policy; show full target URLs before a ' +
      'user follows a link.',
    verification: 'A test response carrying an exfiltration image URL produced no outbound request.',
    techniques: ['AML.T0077'],
    basis: ['OWASP Top 10 for LLM Applications', 'OWASP AI Exchange'],
  },
  {
    id: 'CC-AGENT-CONFIG-INTEGRITY',
    title: 'Protect agent configuration as code',
    element: 'platform',
    persona: 'security',
    control:
      'Keep system prompts, tool and MCP server lists and knowledge-source settings in version control with ' +
      'review; deploy them read-only for the agent; verify a hash at agent start-up and refuse to start on ' +
      'mismatch.',
    verification: 'The runtime configuration is read-only to the agent and a tampered copy stopped start-up.',
    techniques: ['AML.T0081'],
    basis: ['OWASP Agentic Top 10'],
  },
  {
    id: 'CC-AGENT-CONFIG-DISCLOSURE',
    title: 'Limit what an agent reveals about its configuration',
    element: 'model',
    persona: 'ml-engineer',
    control:
      'Keep connection strings, internal paths and tool endpoints out of the prompt; document publicly ' +
      'which capabilities the agent has; test that requests for tools, sources, triggers and instructions ' +
      'reveal nothing beyond that documentation.',
    verification: 'A disclosure test suite in several phrasings passes for the current version.',
    techniques: ['AML.T0084', 'AML.T0084.000', 'AML.T0084.001', 'AML.T0084.002'],
    basis: ['OWASP Agentic Top 10', 'OWASP Top 10 for LLM Applications'],
  },
  {
    id: 'CC-EXEC-SINK-REVIEW',
    title: 'Remove paths from model output to execution sinks',
    element: 'platform',
    persona: 'security',
    control:
      'Run static analysis in CI for flows from user input or model output into eval, exec, subprocess, ' +
      'shell, string-built SQL and template rendering; remove, parameterise or sandbox each; document every ' +
      'remaining path with its confinement.',
    verification: 'The rule set runs in CI with no unreviewed findings.',
    techniques: ['AML.T0084.003', 'AML.T0050', 'AML.T0102'],
    basis: ['OWASP Top 10 for LLM Applications', 'OWASP Agentic Top 10'],
  },
  {
    id: 'CC-CODE-SANDBOX',
    title: 'Sandbox model-driven code execution',
    element: 'environment',
    persona: 'security',
    control:
      'Run code and commands produced by models or agents in a disposable sandbox: no host mounts, no ' +
      'cloud credentials, egress only to an allow-list, CPU, memory and time limits, a hardened container ' +
      'runtime; log each command with the prompt that produced it.',
    verification:
      'Egress, host-read and escape tests from inside the sandbox fail; command logs link to prompts.',
    techniques: ['AML.T0050', 'AML.T0102', 'AML.T0072', 'AML.T0105'],
    basis: ['OWASP Agentic Top 10', 'MITRE ATT&CK'],
  },
  {
    id: 'CC-AGENT-INVENTORY',
    title: 'Inventory agents and detect unapproved ones',
    element: 'environment',
    persona: 'security',
    control:
      'Keep an inventory of approved agents with their hosts, identities and tools; detect agent processes ' +
      'and AI service API traffic from hosts or identities not in it; block egress to AI APIs from servers ' +
      'that have no need for them.',
    verification: 'A test agent started on an unapproved host was detected.',
    techniques: ['AML.T0103', 'AML.T0108', 'AML.T0096'],
    basis: ['OWASP Agentic Top 10', 'MITRE ATT&CK'],
  },
  {
    id: 'CC-SECRETS',
    title: 'Keep AI credentials in a secrets manager',
    element: 'environment',
    persona: 'security',
    control:
      'Store model API keys, vector DB and tool credentials in a secrets manager and inject them at run ' +
      'time; scan repositories, notebook outputs, agent configuration and images for secrets; rotate any ' +
      'secret ever found in them; prevent credential dumping on ML hosts with endpoint protection.',
    verification:
      'Secret scanning reports no open findings; agents and notebooks read secrets from the manager.',
    techniques: ['AML.T0055', 'AML.T0083', 'AML.T0090'],
    basis: ['MITRE ATT&CK', 'OWASP Agentic Top 10'],
  },
  {
    id: 'CC-CHAT-HISTORY-AUDIT',
    title: 'Audit trail for chat history changes',
    element: 'data',
    persona: 'security',
    control:
      'Write every edit and deletion of chat history and agent memory, by users, administrators or the ' +
      'agent, to an append-only audit log outside their reach, retained for the investigation window.',
    verification: 'A test edit could be reconstructed from the audit log.',
    techniques: ['AML.T0092'],
    basis: ['OWASP Agentic Top 10'],
  },
  {
    id: 'CC-ARTIFACT-FAIL-CLOSED',
    title: 'Fail closed on model files that cannot be fully scanned',
    element: 'model',
    persona: 'security',
    control:
      'Treat an inconclusive scan — truncated or corrupted file, unknown opcode, malformed archive, content ' +
      'that does not match the extension — like a malicious one: block the file, never load it to "see ' +
      'what happens", and store the verdict with the artifact.',
    verification: 'Corrupted and mislabelled test files are rejected by the intake.',
    command: 'scan model',
    techniques: ['AML.T0076', 'AML.T0074', 'AML.T0112.001'],
    basis: ['CoSAI Risk Map', 'OWASP AI Exchange'],
  },
  {
    id: 'CC-HOST-HARDENING-AI',
    title: 'Harden and watch hosts running agents and loading AI artifacts',
    element: 'environment',
    persona: 'security',
    control:
      'Run local agents and model loaders as unprivileged users without access to credential stores, SSH ' +
      'keys or cloud CLI tokens; confine them to a workspace; run endpoint detection with rules for ' +
      'unexpected child processes and outbound connections from serving processes; keep the security ' +
      'tooling itself patched.',
    verification: 'Endpoint detection covers the hosts and its rules fired in a test.',
    techniques: ['AML.T0112', 'AML.T0112.000', 'AML.T0112.001', 'AML.T0097', 'AML.T0107'],
    basis: ['MITRE ATT&CK', 'OWASP Agentic Top 10'],
  },
  {
    id: 'CC-CLOUD-DISCOVERY-DETECT',
    title: 'Detect enumeration of AI services and hosts',
    element: 'environment',
    persona: 'security',
    control:
      'Enable and collect cloud audit logs for AI services (endpoints, models, training jobs, buckets, ' +
      'secrets); alert when an identity that does not usually do so lists them, or when process and GPU ' +
      'discovery commands run on ML hosts outside maintenance.',
    verification: 'The enumeration alert fired in a test with an unusual identity.',
    techniques: ['AML.T0075', 'AML.T0089'],
    basis: ['MITRE ATT&CK'],
  },
  {
    id: 'CC-DATA-REPO-ACCESS',
    title: 'Need-to-know access to repositories holding AI details',
    element: 'data',
    persona: 'data-owner',
    control:
      'Restrict wikis, ticket systems, shared drives and experiment trackers holding model details, ' +
      'datasets or credentials to the team that needs them; alert on bulk reads and downloads; keep ' +
      'weights and datasets off workstations or under data-loss controls there.',
    verification: 'Access lists match the team roster; the bulk-download alert exists and was tested.',
    techniques: ['AML.T0036', 'AML.T0037'],
    basis: ['MITRE ATT&CK', 'CoSAI Risk Map'],
  },
  {
    id: 'CC-HARM-RESPONSE',
    title: 'Harm assessment and incident playbook for the AI system',
    element: 'model',
    persona: 'risk-manager',
    control:
      'Estimate financial, reputational, societal and user harm from wrong or manipulated outputs; set an ' +
      'owner and tolerance for each; write an incident playbook to disable or roll back the model, notify ' +
      'affected users and regulators, and exercise it yearly.',
    verification: 'The assessment and playbook exist with owners; an exercise is recorded.',
    techniques: ['AML.T0048', 'AML.T0048.000', 'AML.T0048.001', 'AML.T0048.002', 'AML.T0048.003'],
    basis: ['NIST AI RMF', 'CoSAI Risk Map'],
  },
];
