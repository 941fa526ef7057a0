import type { Question } from './question-schema.js';

/** Questions for the ATLAS mitigations that harden the model, its outputs and its release. */
export const MODEL_MITIGATION_QUESTIONS: readonly Question[] = [
  {
    id: 'Q-AML.M0000-1',
    text:
      'Before a paper, blog post, conference talk, job advert or public repository describes this system, ' +
      'does someone check that it does not reveal the model architecture, training data sources, ' +
      'feature list, thresholds or the base model used in production?',
    element: 'model',
    persona: 'risk-manager',
    lifecycle: 'Business and Data Understanding',
    passCriteria:
      'A documented publication review exists and names a reviewer; the last three public items about the ' +
      'system went through it; sensitive details found in older material were removed or accepted in writing.',
    evidence: 'The publication review procedure and its records for recent publications.',
    techniques: [
      'AML.T0000',
      'AML.T0000.000',
      'AML.T0000.001',
      'AML.T0000.002',
      'AML.T0003',
      'AML.T0004',
      'AML.T0002',
      'AML.T0005',
      'AML.T0005.000',
      'AML.T0005.002',
    ],
    mitigations: ['AML.M0000'],
  },
  {
    id: 'Q-AML.M0000-2',
    text:
      'Are agent configuration files — MCP server lists, tool manifests, prompt files, IDE agent settings ' +
      'and `.env` files they reference — excluded from public repositories, packages and container images, ' +
      'and does a pre-publish check fail when one is included?',
    element: 'platform',
    persona: 'security',
    lifecycle: 'Business and Data Understanding',
    passCriteria:
      'Ignore rules and a pre-publish or CI check cover agent configuration paths; a search of public ' +
      'repositories and published images of the organisation finds no agent configuration with tool ' +
      'endpoints or credentials.',
    evidence:
      'The CI or pre-publish check and the result of the last search of public repositories and images.',
    techniques: ['AML.T0002', 'AML.T0002.002'],
    mitigations: ['AML.M0000'],
  },
  {
    id: 'Q-AML.M0001-1',
    text:
      'Are the production weights, training and evaluation datasets and feature definitions of this model ' +
      'kept off public hubs and out of papers — or, where something is released, is it a deliberately ' +
      'different artifact (smaller, distilled or differently trained) with a recorded decision about what an ' +
      'attacker could learn from it?',
    element: 'model',
    persona: 'risk-manager',
    lifecycle: 'Business and Data Understanding',
    passCriteria:
      'An inventory of released artifacts exists; none is the production model or its training data, or ' +
      'a signed risk decision covers the exception.',
    evidence: 'Inventory of public model and dataset releases with the corresponding release decisions.',
    techniques: ['AML.T0002.000', 'AML.T0002.001', 'AML.T0020', 'AML.T0005', 'AML.T0005.000', 'AML.T0035'],
    mitigations: ['AML.M0001'],
  },
  {
    id: 'Q-AML.M0002-1',
    text:
      'Does the inference API return only what callers need — the decision or top label, or scores rounded ' +
      'to a coarse precision — and never full probability vectors, logprobs, embeddings or headers naming ' +
      'the model family and version, checked by inspecting a real production response?',
    element: 'model',
    persona: 'ml-engineer',
    lifecycle: 'Deployment',
    passCriteria:
      'A captured production response contains no raw scores beyond the documented precision, no logprobs ' +
      'or top-k alternatives unless a named consumer needs them, and no model identifiers.',
    evidence: 'The API contract (OpenAPI or equivalent) and a redacted captured response from production.',
    techniques: [
      'AML.T0013',
      'AML.T0014',
      'AML.T0063',
      'AML.T0024.000',
      'AML.T0024.001',
      'AML.T0024.002',
      'AML.T0043',
      'AML.T0043.001',
      'AML.T0005',
      'AML.T0005.001',
      'AML.T0042',
    ],
    mitigations: ['AML.M0002'],
  },
  {
    id: 'Q-AML.M0003-1',
    text:
      'Was the model trained or fine-tuned with a robustness method suited to its input type (adversarial ' +
      'training, randomized smoothing, data augmentation against perturbations) and does its evaluation ' +
      'report robust accuracy under a stated attack budget next to clean accuracy?',
    element: 'model',
    persona: 'ml-engineer',
    lifecycle: 'ML Model Engineering',
    passCriteria:
      'The evaluation report names the attack(s), the perturbation budget and robust accuracy; robust ' +
      'accuracy meets the threshold the model owner set for this use case.',
    evidence: 'Model card or evaluation report with robust-accuracy results for the current version.',
    techniques: [
      'AML.T0015',
      'AML.T0031',
      'AML.T0043',
      'AML.T0043.000',
      'AML.T0043.001',
      'AML.T0043.002',
      'AML.T0043.003',
      'AML.T0043.004',
    ],
    mitigations: ['AML.M0003'],
  },
  {
    id: 'Q-AML.M0006-1',
    text:
      'For high-stakes decisions, is the prediction made by more than one independently trained model ' +
      '(different architecture, features or training data), with disagreements routed to review, and did ' +
      'evaluation show the combination lowers the success rate of transferred adversarial examples?',
    element: 'model',
    persona: 'ml-engineer',
    lifecycle: 'ML Model Engineering',
    passCriteria:
      'At least two diverse models vote on the decisions in scope; the disagreement rate is monitored; a ' +
      'transfer-attack test shows lower success against the ensemble than against the single model.',
    evidence: 'Serving configuration of the ensemble and the transfer-attack evaluation results.',
    techniques: [
      'AML.T0015',
      'AML.T0031',
      'AML.T0014',
      'AML.T0010.001',
      'AML.T0010.003',
      'AML.T0043',
      'AML.T0043.000',
      'AML.T0043.001',
      'AML.T0043.002',
      'AML.T0043.003',
      'AML.T0043.004',
    ],
    mitigations: ['AML.M0006'],
  },
  {
    id: 'Q-AML.M0008-1',
    text:
      'Before a model version is promoted, is it evaluated on a held-out test set that training code cannot ' +
      'read, and probed for backdoor triggers and unexpected behaviour on rare inputs, with promotion ' +
      'blocked when results regress beyond a set tolerance from the previous version?',
    element: 'model',
    persona: 'ml-engineer',
    lifecycle: 'ML Model Evaluation',
    passCriteria:
      'The promotion step is automated and enforces the tolerance; the test set is access-separated from ' +
      'training; the last promotion record shows the comparison and backdoor-probe results.',
    evidence:
      'Registry promotion records with evaluation metrics per version, and the access policy of the test set.',
    techniques: [
      'AML.T0010.003',
      'AML.T0018',
      'AML.T0018.000',
      'AML.T0018.001',
      'AML.T0020',
      'AML.T0043',
      'AML.T0043.004',
    ],
    mitigations: ['AML.M0008'],
  },
  {
    id: 'Q-AML.M0008-2',
    text:
      'Is a generative model tested before release for regurgitating training or fine-tuning data — ' +
      'canary strings planted in the data, extraction prompts for personal data and secrets — and is ' +
      'release blocked when any canary or record is reproduced?',
    element: 'model',
    persona: 'ml-engineer',
    lifecycle: 'ML Model Evaluation',
    passCriteria:
      'Canaries or known records are part of the evaluation; the last run reproduced none; the test is ' +
      'repeated after each fine-tuning.',
    evidence: 'The memorization test suite and its result for the released version.',
    techniques: ['AML.T0057'],
    mitigations: ['AML.M0008'],
  },
  {
    id: 'Q-AML.M0009-1',
    text:
      'Where the model acts on physical-world input (camera, microphone, lidar, biometric sensor), is the ' +
      'decision corroborated by a second independent sensor or modality — depth with RGB, liveness with ' +
      'face match — before it takes effect?',
    element: 'model',
    persona: 'ml-engineer',
    lifecycle: 'ML Model Engineering',
    passCriteria:
      'The design shows the second signal and how conflicts are resolved; a test with a spoofed single ' +
      'modality (printed photo, replayed audio, adversarial patch) is rejected.',
    evidence: 'System design of the sensing path and the spoofing test report.',
    techniques: ['AML.T0041', 'AML.T0015', 'AML.T0088'],
    mitigations: ['AML.M0009'],
  },
  {
    id: 'Q-AML.M0010-1',
    text:
      'Are inputs transformed before inference to strip adversarial perturbations — re-encoding or ' +
      'resizing images, resampling audio, Unicode normalization and removal of invisible characters in ' +
      'text, clipping numeric features to valid ranges — and was the accuracy cost of doing so measured?',
    element: 'model',
    persona: 'ml-engineer',
    lifecycle: 'Deployment',
    passCriteria:
      'The preprocessing runs in the serving path for every request; its effect on clean accuracy and on a ' +
      'set of adversarial examples is recorded.',
    evidence: 'Serving preprocessing code and the evaluation of clean versus adversarial accuracy with it.',
    techniques: [
      'AML.T0015',
      'AML.T0031',
      'AML.T0043',
      'AML.T0043.000',
      'AML.T0043.001',
      'AML.T0043.002',
      'AML.T0043.003',
      'AML.T0043.004',
    ],
    mitigations: ['AML.M0010'],
  },
  {
    id: 'Q-AML.M0015-1',
    text:
      'Is there a detector beside the model that flags inputs typical of attacks — out-of-distribution ' +
      'inputs, bursts of near-duplicate queries that differ by small perturbations, unusually high ' +
      'confidence flips — with alerts routed to an on-call owner?',
    element: 'model',
    persona: 'security',
    lifecycle: 'Monitoring and Maintenance',
    passCriteria:
      'The detector runs on production traffic; its alert rules are documented; a replay of a known ' +
      'adversarial sequence raised an alert that reached the owner.',
    evidence:
      '`atlasguard monitor` alert output (or the equivalent detector) for a replayed attack sequence.',
    command: 'monitor',
    techniques: [
      'AML.T0015',
      'AML.T0029',
      'AML.T0031',
      'AML.T0043',
      'AML.T0043.000',
      'AML.T0043.001',
      'AML.T0043.002',
      'AML.T0043.003',
      'AML.T0043.004',
    ],
    mitigations: ['AML.M0015'],
  },
  {
    id: 'Q-AML.M0017-1',
    text:
      'Is the model reachable only through a server-side API — or, when it must run on a device or at a ' +
      'customer site, is the weight file encrypted, bound to the device and excluded from app bundles and ' +
      'backups that users can unpack?',
    element: 'model',
    persona: 'security',
    lifecycle: 'Deployment',
    passCriteria:
      'No client package contains plain weights; for on-device models, unpacking the shipped app does not ' +
      'yield a loadable model file.',
    evidence: 'Distribution design and the result of unpacking the shipped client or edge package.',
    techniques: ['AML.T0044', 'AML.T0043.000', 'AML.T0010.003', 'AML.T0048.004', 'AML.T0035', 'AML.T0063'],
    mitigations: ['AML.M0017'],
  },
  {
    id: 'Q-AML.M0034-1',
    text:
      'Where voice, video or images prove who someone is — call-centre voice checks, KYC selfies, video ' +
      'calls approving payments — is the media checked by a liveness or deepfake detector, and do ' +
      'high-value requests need confirmation on a second, pre-registered channel?',
    element: 'data',
    persona: 'security',
    lifecycle: 'Deployment',
    passCriteria:
      'The detector runs on every identity-bearing media input in scope; requests above the set value ' +
      'need out-of-band confirmation; a test with synthetic media was caught.',
    evidence:
      'Process description for high-value approvals and the detector test report with synthetic samples.',
    techniques: ['AML.T0088', 'AML.T0052', 'AML.T0052.000', 'AML.T0052.001', 'AML.T0015'],
    mitigations: ['AML.M0034'],
  },
];
