import type { CompensatingControl } from './control-schema.js';

/** Compensating controls for reconnaissance, resource development and initial access. */
export const PRE_ACCESS_CONTROLS: readonly CompensatingControl[] = [
  {
    id: 'CC-PUBLIC-FOOTPRINT',
    title: 'Keep the AI system’s public footprint small',
    element: 'environment',
    persona: 'security',
    control:
      'Enable secret scanning on every public repository and package; review public repositories, issue ' +
      'trackers, job adverts and documentation twice a year for model endpoints, internal host names, ' +
      'system prompts, RAG source lists and the identities of ML platform administrators; remove what is ' +
      'not needed and keep administrator contact details off public pages.',
    verification:
      'Secret scanning is on for all public repositories; the latest footprint review is under six months ' +
      'old and each finding is closed or accepted.',
    techniques: ['AML.T0095', 'AML.T0095.000', 'AML.T0087', 'AML.T0064'],
    basis: ['MITRE ATT&CK', 'OWASP AI Exchange'],
  },
  {
    id: 'CC-EXPOSURE-SCAN',
    title: 'Scan the external attack surface for ML services',
    element: 'environment',
    persona: 'security',
    control:
      'Run an external scan of all public IP ranges and domains at least monthly with fingerprints for ML ' +
      'services (MLflow, Ray, Jupyter, Kubeflow, TorchServe and Triton management ports, vector DB admin ' +
      'APIs, LLM gateway consoles); anything found is removed from the internet or put behind ' +
      'authentication with a recorded exception.',
    verification:
      'Scan reports for the last three months exist and every ML service found has a closed ticket.',
    techniques: ['AML.T0006', 'AML.T0049'],
    basis: ['MITRE ATT&CK', 'CoSAI Risk Map'],
  },
  {
    id: 'CC-ATTACK-RESEARCH-WATCH',
    title: 'Watch published attacks on the model families in use',
    element: 'model',
    persona: 'ml-engineer',
    control:
      'Keep a watch list of the model families, base models and ML frameworks the system uses; assign an ' +
      'owner who reviews new papers, advisories and exploit write-ups for them, and reproduce each ' +
      'relevant attack against a staging copy within a set time, recording the result and decision.',
    verification: 'The watch list names an owner; the most recent relevant publication has a test record.',
    techniques: ['AML.T0001'],
    basis: ['NIST AI 100-2', 'OWASP AI Exchange'],
  },
  {
    id: 'CC-API-KEY-ABUSE',
    title: 'Detect resold, shared and bulk-created API access',
    element: 'platform',
    persona: 'security',
    control:
      'Bind API keys to expected client identities or networks where possible; alert on one key used ' +
      'concurrently from many networks or with traffic unlike the owner’s clients; throttle and review ' +
      'self-service sign-ups from disposable domains or in bursts; revoke abused keys automatically.',
    verification:
      'The alert rules exist and fired on a replayed key-sharing pattern; sign-up throttling is configured; ' +
      'revocation was exercised.',
    techniques: ['AML.T0008.005', 'AML.T0021'],
    basis: ['CoSAI Risk Map', 'OWASP Top 10 for LLM Applications'],
  },
  {
    id: 'CC-BRAND-WATCH',
    title: 'Watch hubs, registries and domains for look-alikes',
    element: 'environment',
    persona: 'security',
    control:
      'Monitor model hubs, package registries, MCP directories and new domain registrations for names ' +
      'imitating the organisation, its models and packages; publish internally the list of genuine ' +
      'namespaces; keep a takedown procedure with the hubs and registrars.',
    verification:
      'Monitoring runs at least weekly with an owner; the genuine-namespace list is published internally.',
    techniques: ['AML.T0008.002', 'AML.T0021', 'AML.T0073', 'AML.T0074', 'AML.T0079'],
    basis: ['MITRE ATT&CK'],
  },
  {
    id: 'CC-PHYSICAL-ROBUSTNESS',
    title: 'Test physical-world models against physical attacks',
    element: 'model',
    persona: 'ml-engineer',
    control:
      'For models fed by cameras or other sensors, test each release against printed adversarial patches, ' +
      'patterned clothing, decoys and light or laser interference at realistic distances and angles, with ' +
      'a minimum accuracy the release must keep; design the sensing path so one spoofed sensor cannot ' +
      'decide alone.',
    verification: 'A physical test report exists for the current release and meets the stated minimum.',
    techniques: ['AML.T0008.003'],
    basis: ['NIST AI 100-2'],
  },
  {
    id: 'CC-GENAI-ABUSE-READY',
    title: 'Assume attacker content is machine-generated at scale',
    element: 'environment',
    persona: 'security',
    control:
      'Review fraud, abuse and phishing detections for assumptions that generated content breaks (spelling ' +
      'mistakes, templates, per-message limits); move limits to identities, payees and channels; exercise ' +
      'the defences with generated lures and submissions.',
    verification: 'The review is recorded and an exercise with generated content measured detection rates.',
    techniques: ['AML.T0016.002'],
    basis: ['OWASP AI Exchange'],
  },
  {
    id: 'CC-HALLUCINATED-PACKAGE-GUARD',
    title: 'Guard against hallucinated package and link names',
    element: 'platform',
    persona: 'ml-engineer',
    control:
      'Route package installs of developers, CI and agents through a proxy or allow-list; flag packages ' +
      'younger than a set age, with no maintainer history or no downloads; never let an agent install a ' +
      'package or contact an address the model suggested without that check.',
    verification:
      'A test install of a non-existent or brand-new package name is stopped; dependency review reports ' +
      'new packages on every lockfile change.',
    command: 'scan deps',
    techniques: ['AML.T0060'],
    basis: ['OWASP Top 10 for LLM Applications', 'OWASP AI Exchange'],
  },
  {
    id: 'CC-PROMPT-REDTEAM',
    title: 'Continuous adversarial prompt testing and probe detection',
    element: 'model',
    persona: 'ml-engineer',
    control:
      'Maintain a versioned corpus of adversarial prompts (role-play, encodings, other languages, split and ' +
      'deferred instructions, delimiter and special-token probes, prompt-extraction requests) and run it in ' +
      'release CI with a blocking threshold; detect the same probe patterns in production logs.',
    verification:
      'The CI job ran on the last release and met the threshold; a production probe raised an alert.',
    command: 'monitor',
    techniques: [
      'AML.T0065',
      'AML.T0068',
      'AML.T0094',
      'AML.T0069',
      'AML.T0069.000',
      'AML.T0069.001',
      'AML.T0069.002',
    ],
    basis: ['OWASP Top 10 for LLM Applications', 'OWASP AI Exchange'],
  },
  {
    id: 'CC-IDENTITY-HYGIENE',
    title: 'Inventory, harden and watch identities that reach the AI system',
    element: 'environment',
    persona: 'security',
    control:
      'List every human and machine identity with access to the model, its data or the ML platform; ' +
      'require MFA or workload identity; prefer short-lived tokens and rotate the rest; alert on use from ' +
      'unusual networks, devices or at unusual volume.',
    verification:
      'The inventory is complete; no static key exceeds the rotation period; an anomaly alert was tested.',
    techniques: ['AML.T0012', 'AML.T0091', 'AML.T0091.000'],
    basis: ['MITRE ATT&CK', 'CoSAI Risk Map'],
  },
  {
    id: 'CC-PATCH-PUBLIC-FACING',
    title: 'Patch and scan internet-facing AI components',
    element: 'platform',
    persona: 'security',
    control:
      'Cover every internet-facing component of the AI system with authenticated vulnerability scanning ' +
      'and a patch deadline by severity; keep management endpoints off the internet; check dependency ' +
      'updates of the serving stack for known vulnerabilities before release.',
    verification:
      'Patch times for recent critical advisories met the deadline; the scanner covers every component.',
    command: 'scan deps',
    techniques: ['AML.T0049', 'AML.T0106', 'AML.T0107'],
    basis: ['MITRE ATT&CK'],
  },
  {
    id: 'CC-WEB-CONTENT-ISOLATION',
    title: 'Treat web content read by agents as hostile',
    element: 'model',
    persona: 'ml-engineer',
    control:
      'Fetch web content in a browsing component without user credentials or local file access; strip ' +
      'hidden text and instruction-like content; require confirmation before clicks, downloads, copying ' +
      'code or tool calls that follow from a page.',
    verification: 'A test page with hidden instructions and deceptive buttons caused no action.',
    techniques: ['AML.T0078', 'AML.T0100', 'AML.T0112.000'],
    basis: ['OWASP Agentic Top 10', 'OWASP AI Exchange'],
  },
  {
    id: 'CC-AGENT-TOOL-VETTING',
    title: 'Vet, pin and re-review agent tools and MCP servers',
    element: 'platform',
    persona: 'security',
    control:
      'Connect agents only to tools on an approved list with pinned versions; review source, maintainer ' +
      'history, requested permissions and tool descriptions before approval; diff tool descriptions and ' +
      'code on every update and re-approve instead of auto-updating; discount popularity signals.',
    verification:
      'The agent refuses unapproved tools; the last tool update has a review with the description diff.',
    command: 'scan deps',
    techniques: ['AML.T0104', 'AML.T0109', 'AML.T0110', 'AML.T0111'],
    basis: ['OWASP Agentic Top 10', 'CoSAI Risk Map'],
  },
];
