import type { Question } from './question-schema.js';

/** Questions for the ATLAS mitigations that protect training, fine-tuning and stored data. */
export const DATA_MITIGATION_QUESTIONS: readonly Question[] = [
  {
    id: 'Q-AML.M0007-1',
    founding: 'poisoned-data',
    text:
      'How is poisoned data kept out of production? Before every training or fine-tuning run, is each new ' +
      'data batch compared by the pipeline itself against a profile of a trusted reference dataset (schema, ' +
      'label balance, feature ranges, duplicate and near-duplicate rows, outliers, rare-token or trigger-like ' +
      'patterns), and does a failed comparison stop the run before the model is trained?',
    element: 'data',
    persona: 'ml-engineer',
    lifecycle: 'Data Preparation',
    passCriteria:
      'A reference profile exists for every training and fine-tuning dataset; the pipeline step that checks ' +
      'new batches runs on every run (not by hand) and exits non-zero on failure; the last failing batch ' +
      'shows the run was stopped and who released or discarded the rows.',
    evidence:
      'The reference profile (`atlasguard data profile`), the JSON verdict of `atlasguard scan data BATCH ' +
      '--baseline PROFILE` for the latest run, and the pipeline definition showing the step gates training.',
    command: 'scan data',
    techniques: ['AML.T0020', 'AML.T0010.002', 'AML.T0018.000', 'AML.T0059'],
    mitigations: ['AML.M0007'],
  },
  {
    id: 'Q-AML.M0007-2',
    text:
      'Is feedback or online-learning data (user corrections, thumbs up/down, chargeback labels, flagged ' +
      'items) held out of training until it is de-duplicated per account, capped per user and per day, and ' +
      'checked for coordinated submissions, so that one actor or a small group cannot shift the model?',
    element: 'data',
    persona: 'data-owner',
    lifecycle: 'Monitoring and Maintenance',
    passCriteria:
      'Per-account caps and de-duplication are implemented in the feedback pipeline; a report lists the ' +
      'share of feedback each top contributor supplied per retraining; any contributor above the cap is ' +
      'excluded automatically.',
    evidence:
      'Feedback pipeline configuration with the caps, the contributor-share report of the last retraining, ' +
      'and `atlasguard scan data FEEDBACK_BATCH --baseline PROFILE` output for the last feedback batch.',
    command: 'scan data',
    techniques: ['AML.T0020', 'AML.T0059'],
    mitigations: ['AML.M0007'],
  },
  {
    id: 'Q-AML.M0025-1',
    text:
      'For every dataset used to train, fine-tune or evaluate this model, is there a recorded origin ' +
      '(source, collector, licence, collection date), the transformation steps applied, and a content hash ' +
      'per version, so that a version found to be tampered with can be traced to the models trained on it ' +
      'and removed?',
    element: 'data',
    persona: 'data-owner',
    lifecycle: 'Data Preparation',
    passCriteria:
      'Each dataset version has a lineage record with a hash; each registered model version names the ' +
      'dataset versions it was trained on; a test lookup from a dataset hash to the affected models works.',
    evidence:
      'Data cards or lineage records (e.g. DVC, MLflow dataset inputs, a data catalog) and the model ' +
      'registry entry listing dataset hashes.',
    techniques: ['AML.T0010.002', 'AML.T0020', 'AML.T0018.000', 'AML.T0019', 'AML.T0059'],
    mitigations: ['AML.M0025'],
  },
  {
    id: 'Q-AML.M0005-1',
    text:
      'Can only the training pipeline write to the training-data stores and the model registry, and only ' +
      'the serving identity read production weights — with human write access limited to named ' +
      'break-glass roles, and the access list for buckets, feature store and registry reviewed at least ' +
      'every quarter?',
    element: 'environment',
    persona: 'security',
    lifecycle: 'Data Preparation',
    passCriteria:
      'IAM policies show pipeline-only write to data and registry; no wildcard principals or public ' +
      'buckets; the last access review is under 92 days old and removed or justified every extra grant.',
    evidence:
      'Exported IAM / bucket policies for the data stores and registry, and the signed record of the last ' +
      'access review.',
    techniques: [
      'AML.T0010.002',
      'AML.T0020',
      'AML.T0018',
      'AML.T0018.000',
      'AML.T0018.001',
      'AML.T0010.003',
      'AML.T0025',
      'AML.T0048.004',
      'AML.T0043.000',
      'AML.T0007',
      'AML.T0044',
      'AML.T0035',
      'AML.T0042',
    ],
    mitigations: ['AML.M0005'],
  },
  {
    id: 'Q-AML.M0012-1',
    text:
      'Are model weights, datasets, embeddings and experiment artifacts encrypted at rest with keys held in ' +
      'a KMS or HSM whose decrypt permission is granted only to the training and serving identities, and ' +
      'is traffic between ML components (feature store, registry, serving, vector DB) encrypted with TLS?',
    element: 'environment',
    persona: 'security',
    lifecycle: 'Deployment',
    passCriteria:
      'Every storage location of weights, data and embeddings uses customer-managed keys with a restricted ' +
      'key policy; no plaintext endpoints between ML components; a key-usage log shows no unexpected callers.',
    evidence:
      'Storage encryption settings, the KMS key policy, and a TLS configuration scan of internal endpoints.',
    techniques: ['AML.T0035', 'AML.T0048.004', 'AML.T0007', 'AML.T0063'],
    mitigations: ['AML.M0012'],
  },
];
