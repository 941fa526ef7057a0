import type { Question } from './question-schema.js';

/**
 * Technique questions (no ATLAS mitigation exists) for the early tactics: reconnaissance, resource
 * development, initial access. Each verifies a compensating control.
 */
export const PRE_ACCESS_TECHNIQUE_QUESTIONS: readonly Question[] = [
  {
    id: 'Q-AML.T0001-1',
    text:
      'Does a named person follow published attacks and vulnerability write-ups on the model families, ' +
      'base models and ML frameworks this system uses, and is each relevant one reproduced against a ' +
      'staging copy of the model within a set time after publication?',
    element: 'model',
    persona: 'ml-engineer',
    lifecycle: 'Monitoring and Maintenance',
    passCriteria:
      'A watch list of model families and frameworks exists with an owner; the last relevant publication ' +
      'has a recorded test result against this model and a decision.',
    evidence: 'The watch list and the test log of the most recent relevant publication.',
    techniques: ['AML.T0001'],
    mitigations: [],
    controls: ['CC-ATTACK-RESEARCH-WATCH'],
  },
  {
    id: 'Q-AML.T0006-1',
    text:
      'Has an external scan of your public IP ranges and domains in the last 90 days confirmed that no ML ' +
      'platform service — MLflow, Ray dashboard, Jupyter, Kubeflow, TorchServe/Triton management ports, ' +
      'vector DB admin APIs, LLM gateway consoles — answers from the internet?',
    element: 'environment',
    persona: 'security',
    lifecycle: 'Deployment',
    passCriteria:
      'The scan covers all public ranges; any ML service found is either removed from the internet or ' +
      'behind authentication with a documented exception.',
    evidence: 'The attack-surface scan report and the remediation tickets for anything it found.',
    techniques: ['AML.T0006', 'AML.T0049'],
    mitigations: [],
    controls: ['CC-EXPOSURE-SCAN'],
  },
  {
    id: 'Q-AML.T0095-1',
    text:
      'Are your public code repositories, issue trackers, package pages and job adverts checked — by ' +
      'secret scanning plus a periodic manual review — for model endpoints, internal hostnames, system ' +
      'prompts, RAG source lists and names of people administering the ML platform?',
    element: 'environment',
    persona: 'security',
    lifecycle: 'Monitoring and Maintenance',
    passCriteria:
      'Secret scanning is enabled on all public repositories; the last manual review is under six months ' +
      'old and its findings were removed or accepted.',
    evidence: 'Secret-scanning configuration and the last public-footprint review with its outcome.',
    techniques: ['AML.T0095', 'AML.T0095.000', 'AML.T0087', 'AML.T0064'],
    mitigations: [],
    controls: ['CC-PUBLIC-FOOTPRINT'],
  },
  {
    id: 'Q-AML.T0016-1',
    text:
      'Has the model been attacked, on a staging copy, with the freely available adversarial toolkits that ' +
      'fit its type (for example ART or TextAttack for classifiers, garak or PyRIT for LLMs), and are the ' +
      'results recorded with the model version so that the cheapest public attack is known to fail?',
    element: 'model',
    persona: 'ml-engineer',
    lifecycle: 'ML Model Evaluation',
    passCriteria:
      'A red-team run with public tooling exists for the current model version; every successful attack ' +
      'has a tracked fix or an accepted risk.',
    evidence:
      'The red-team report naming the tools, attack settings and success rates for the current version.',
    techniques: ['AML.T0016', 'AML.T0016.000', 'AML.T0016.001', 'AML.T0017', 'AML.T0017.000'],
    mitigations: [],
  },
  {
    id: 'Q-AML.T0008-1',
    text:
      'Do the security claims made for this model ("too expensive to extract", "needs white-box access", ' +
      '"attackers cannot reproduce our data") rest on a test rather than on the attacker’s cost of compute, ' +
      'given that rented GPUs, cloud notebooks and serverless hosts make that cost small?',
    element: 'model',
    persona: 'risk-manager',
    lifecycle: 'Business and Data Understanding',
    passCriteria:
      'Each such claim in the threat model or risk register cites a test or measurement; none relies only ' +
      'on the attacker lacking hardware or infrastructure.',
    evidence: 'The threat model or risk register entries with the tests they cite.',
    techniques: ['AML.T0008', 'AML.T0008.000', 'AML.T0008.001', 'AML.T0008.004'],
    mitigations: [],
  },
  {
    id: 'Q-AML.T0008.005-1',
    text:
      'Can you spot your API keys or accounts being resold or shared through AI proxy services — keys used ' +
      'from many networks at once, traffic patterns unlike your own clients, sign-ups in bulk from ' +
      'disposable domains — and revoke them automatically?',
    element: 'platform',
    persona: 'security',
    lifecycle: 'Monitoring and Maintenance',
    passCriteria:
      'Keys are bound to expected clients or networks where possible; an alert fires on concurrent use ' +
      'from many networks; sign-up abuse controls exist for self-service accounts; revocation is tested.',
    evidence:
      'Key-binding configuration, the gateway or SIEM alert rule for one key used from many networks, and ' +
      'the record of the last revocation test.',
    techniques: ['AML.T0008.005', 'AML.T0021'],
    mitigations: [],
    controls: ['CC-API-KEY-ABUSE'],
  },
  {
    id: 'Q-AML.T0008.002-1',
    text:
      'Does someone watch for look-alikes of your organisation on model hubs, package registries, MCP ' +
      'directories and domain registrations (typosquatted names, copied model cards, cloned orgs), with a ' +
      'takedown procedure, and do staff know which hub organisations and domains are genuine?',
    element: 'environment',
    persona: 'security',
    lifecycle: 'Monitoring and Maintenance',
    passCriteria:
      'Monitoring runs at least weekly with an owner; the list of genuine namespaces is published ' +
      'internally; at least one takedown or a test of the procedure is recorded.',
    evidence: 'Monitoring configuration or service report, the internal list of genuine namespaces.',
    techniques: ['AML.T0008.002', 'AML.T0021', 'AML.T0073', 'AML.T0074', 'AML.T0079'],
    mitigations: [],
    controls: ['CC-BRAND-WATCH'],
  },
  {
    id: 'Q-AML.T0008.003-1',
    text:
      'For a vision or sensor model used in the physical world, has it been tested against printed ' +
      'adversarial patches, patterned clothing, decoys and light or laser interference at realistic ' +
      'distances and angles, with a minimum accuracy it must keep?',
    element: 'model',
    persona: 'ml-engineer',
    lifecycle: 'ML Model Evaluation',
    passCriteria:
      'A physical test protocol exists; results for the current model meet the stated minimum; failures ' +
      'have mitigations in the sensing design.',
    evidence: 'Physical robustness test report for the current model version.',
    techniques: ['AML.T0008.003'],
    mitigations: [],
    controls: ['CC-PHYSICAL-ROBUSTNESS'],
  },
  {
    id: 'Q-AML.T0016.002-1',
    text:
      'Do your fraud, abuse and phishing defences still work when attacker text, images, voice and code ' +
      'are machine-generated at scale — limits per identity and per payee rather than per message, no ' +
      'reliance on spelling mistakes or template matching to recognise an attack?',
    element: 'environment',
    persona: 'security',
    lifecycle: 'Monitoring and Maintenance',
    passCriteria:
      'Detection rules were reviewed for assumptions that generated content breaks; an exercise with ' +
      'generated lures or submissions measured detection.',
    evidence: 'The rule review and the exercise results.',
    techniques: ['AML.T0016.002'],
    mitigations: [],
    controls: ['CC-GENAI-ABUSE-READY'],
  },
  {
    id: 'Q-AML.T0060-1',
    text:
      'Before a package, URL or email address suggested by an LLM (coding assistant or agent) is ' +
      'installed or contacted, is it checked against an allow-list or the registry’s history — first ' +
      'publication date, maintainer, downloads — and does dependency review flag newly published packages?',
    element: 'platform',
    persona: 'ml-engineer',
    lifecycle: 'Deployment',
    passCriteria:
      'Agents cannot install packages outside an allow-list or proxy; CI flags packages younger than the ' +
      'set age or with no history; a test with a non-existent package name is stopped.',
    evidence:
      'Package proxy or allow-list settings and the `atlasguard scan deps` report of the last dependency change.',
    command: 'scan deps',
    techniques: ['AML.T0060'],
    mitigations: [],
    controls: ['CC-HALLUCINATED-PACKAGE-GUARD'],
  },
  {
    id: 'Q-AML.T0065-1',
    text:
      'Is the LLM application regression-tested on every prompt, model or guardrail change against a ' +
      'maintained corpus of adversarial prompts — role-play, encoded or obfuscated text, other languages, ' +
      'split or deferred instructions — with a pass threshold that blocks the release?',
    element: 'model',
    persona: 'ml-engineer',
    lifecycle: 'ML Model Evaluation',
    passCriteria:
      'The corpus is versioned and grows with new findings; the run is part of release CI; the last ' +
      'release met the threshold.',
    evidence: 'The adversarial prompt corpus, the CI job and its last results.',
    techniques: ['AML.T0065', 'AML.T0068', 'AML.T0094'],
    mitigations: [],
    controls: ['CC-PROMPT-REDTEAM'],
  },
  {
    id: 'Q-AML.T0012-1',
    text:
      'Are all human and machine identities that can reach the model, its data or the ML platform — ' +
      'including pipeline service accounts, notebook tokens and API keys — listed, protected with MFA or ' +
      'workload identity, short-lived or rotated, and alerted on when used from an unusual place?',
    element: 'environment',
    persona: 'security',
    lifecycle: 'Deployment',
    passCriteria:
      'The identity inventory is complete; no long-lived static keys without rotation; alerts on unusual ' +
      'use exist and were tested.',
    evidence: 'Identity inventory, token lifetime settings and a tested alert on anomalous token use.',
    techniques: ['AML.T0012', 'AML.T0091', 'AML.T0091.000'],
    mitigations: [],
    controls: ['CC-IDENTITY-HYGIENE'],
  },
  {
    id: 'Q-AML.T0049-1',
    text:
      'Is every internet-facing component of the AI system — API gateway, inference server, chat front ' +
      'end, any exposed MLflow, Ray or Jupyter — patched within the agreed time and covered by authenticated ' +
      'vulnerability scanning, with no unauthenticated management endpoint?',
    element: 'platform',
    persona: 'security',
    lifecycle: 'Deployment',
    passCriteria:
      'Patch times for the last critical advisories met the target; the scanner covers every public ' +
      'component; no management endpoint answers without authentication.',
    evidence:
      'Vulnerability scan reports, patch records, and the `atlasguard scan deps` report of the serving stack.',
    command: 'scan deps',
    techniques: ['AML.T0049', 'AML.T0106', 'AML.T0107'],
    mitigations: [],
    controls: ['CC-PATCH-PUBLIC-FACING'],
  },
  {
    id: 'Q-AML.T0078-1',
    text:
      'When the assistant or agent reads web pages, is fetched content handled as untrusted data — ' +
      'fetched by a browsing component without the user’s credentials, hidden text and instructions ' +
      'stripped, and unable to trigger clicks, downloads or tool calls without confirmation?',
    element: 'model',
    persona: 'ml-engineer',
    lifecycle: 'Deployment',
    passCriteria:
      'Browsing runs isolated from credentials and local files; a test page with hidden instructions did ' +
      'not cause any action.',
    evidence: 'Browsing component design and the hidden-instruction test result.',
    techniques: ['AML.T0078', 'AML.T0100', 'AML.T0112.000'],
    mitigations: [],
    controls: ['CC-WEB-CONTENT-ISOLATION'],
  },
  {
    id: 'Q-AML.T0010.000-1',
    text:
      'Are GPUs, accelerators and edge devices for this system bought through approved suppliers, with ' +
      'firmware and driver versions recorded, updated only from signed vendor packages, and checked ' +
      'against vendor advisories?',
    element: 'environment',
    persona: 'security',
    lifecycle: 'Deployment',
    passCriteria:
      'A hardware inventory lists firmware and driver versions; updates come from signed packages; open ' +
      'vendor advisories are tracked.',
    evidence: 'Hardware and firmware inventory and the advisory tracking record.',
    techniques: ['AML.T0010.000'],
    mitigations: [],
  },
  {
    id: 'Q-AML.T0104-1',
    text:
      'Before an MCP server or agent tool is connected, are its source, maintainer history, requested ' +
      'permissions and tool descriptions reviewed, its version pinned, and are updates re-reviewed (tool ' +
      'descriptions diffed) instead of being pulled automatically?',
    element: 'platform',
    persona: 'security',
    lifecycle: 'Deployment',
    passCriteria:
      'An allow-list of approved tools with pinned versions exists; the agent cannot connect to others; ' +
      'the last tool update has a review record including the description diff.',
    evidence:
      'Approved-tool list with versions, agent connection policy, the review of the last update, and ' +
      '`atlasguard scan deps` output for the lockfile that pins the tool packages.',
    command: 'scan deps',
    techniques: ['AML.T0104', 'AML.T0109', 'AML.T0110', 'AML.T0111', 'AML.T0010.005', 'AML.T0011.002'],
    mitigations: [],
    controls: ['CC-AGENT-TOOL-VETTING'],
  },
];
