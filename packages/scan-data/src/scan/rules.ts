import type { Finding, Severity } from '@atlasguard/core';

/** A kind of finding this scanner reports: title, default severity, ATLAS mapping and what to do. */
export interface DataRule {
  id: string;
  title: string;
  severity: Severity;
  techniques: readonly string[];
  mitigations: readonly string[];
  remediation: string;
}

const PROVENANCE = ['AML.M0025', 'AML.M0014'] as const;
const SANITIZE = ['AML.M0007'] as const;

function rule(
  id: string,
  title: string,
  severity: Severity,
  techniques: readonly string[],
  mitigations: readonly string[],
  remediation: string,
): DataRule {
  return { id, title, severity, techniques, mitigations, remediation };
}

export const RULES = {
  fileDigest: rule(
    'data.integrity.file-digest',
    'Batch file differs from its manifest',
    'high',
    ['AML.T0059', 'AML.T0010.002'],
    PROVENANCE,
    'Obtain the batch again from the trusted source and compare hashes before use.',
  ),
  recordChanged: rule(
    'data.integrity.record-changed',
    'Record changed since the manifest was made',
    'high',
    ['AML.T0059', 'AML.T0020'],
    PROVENANCE,
    'Restore the record from the version the manifest describes; find out who changed it.',
  ),
  recordInjected: rule(
    'data.integrity.record-injected',
    'Record not in the manifest (injected)',
    'high',
    ['AML.T0020', 'AML.T0010.002'],
    PROVENANCE,
    'Drop records the producer did not list, or have the producer issue a new signed manifest.',
  ),
  recordRemoved: rule(
    'data.integrity.record-removed',
    'Manifest record missing from the batch',
    'medium',
    ['AML.T0059'],
    PROVENANCE,
    'Check why records went missing between publication and use.',
  ),
  duplicateId: rule(
    'data.integrity.duplicate-id',
    'Record id appears more than once',
    'high',
    ['AML.T0059', 'AML.T0020'],
    PROVENANCE,
    'Ids must be unique; keep the version the manifest lists.',
  ),
  signatureInvalid: rule(
    'data.integrity.signature-invalid',
    'Manifest signature does not verify',
    'critical',
    ['AML.T0010.002', 'AML.T0019'],
    ['AML.M0014'],
    'Do not use the batch; get the manifest and signature from the producer again and check the key.',
  ),
  signatureUnverified: rule(
    'data.integrity.signature-unverified',
    'Manifest signature could not be verified',
    'medium',
    ['AML.T0010.002'],
    ['AML.M0014'],
    'Pass the producer public key with --public-key, or the Sigstore trusted root with --trusted-root for a Sigstore bundle.',
  ),
  malformedRow: rule(
    'data.row.malformed',
    'Row could not be read',
    'medium',
    ['AML.T0059'],
    SANITIZE,
    'Fix the row at the source; parsers that disagree about a row are a way to smuggle data past checks.',
  ),
  roleFieldMissing: rule(
    'data.schema.role-field-missing',
    'Row lacks a text, label, id or embedding field',
    'low',
    ['AML.T0059'],
    SANITIZE,
    'Every row should carry the fields the pipeline relies on.',
  ),
  columnMissing: rule(
    'data.schema.column-missing',
    'Column of the baseline is missing',
    'high',
    ['AML.T0059'],
    SANITIZE,
    'Restore the column or update the baseline after review.',
  ),
  columnAdded: rule(
    'data.schema.column-added',
    'Column not in the baseline',
    'medium',
    ['AML.T0059'],
    SANITIZE,
    'Review the new column before training on it, then refresh the baseline.',
  ),
  typeChanged: rule(
    'data.schema.type-changed',
    'Column type changed',
    'high',
    ['AML.T0059'],
    SANITIZE,
    'Find out why the column type changed; mixed types often mean injected or shifted rows.',
  ),
  labelShift: rule(
    'data.drift.label-shift',
    'Label distribution shifted',
    'high',
    ['AML.T0020'],
    SANITIZE,
    'Compare label counts with the source; label flipping shows up as a shift in class priors.',
  ),
  newLabel: rule(
    'data.drift.new-label',
    'Label not seen in the baseline',
    'high',
    ['AML.T0020'],
    SANITIZE,
    'Check whether the new class is intended.',
  ),
  featureDrift: rule(
    'data.drift.feature',
    'Column distribution drifted',
    'medium',
    ['AML.T0020', 'AML.T0059'],
    SANITIZE,
    'Look at the drifted column; drift may be seasonal, a pipeline bug, or poisoning.',
  ),
  datasetDrift: rule(
    'data.drift.dataset',
    'Most columns drifted',
    'high',
    ['AML.T0020', 'AML.T0059'],
    SANITIZE,
    'The batch does not look like the baseline; review it before use.',
  ),
  labelConflict: rule(
    'data.duplicate.label-conflict',
    'Duplicate with a different label (label flipping)',
    'high',
    ['AML.T0020'],
    SANITIZE,
    'Quarantine the row; keep the label that agrees with the trusted baseline.',
  ),
  flooding: rule(
    'data.duplicate.flooding',
    'Near-duplicate flooding',
    'medium',
    ['AML.T0020', 'AML.T0070'],
    SANITIZE,
    'Keep one copy of the cluster and check its source; floods of near-identical documents steer training and retrieval.',
  ),
  splitLeakage: rule(
    'data.duplicate.split-leakage',
    'Held-out row duplicates a training row (leakage)',
    'medium',
    ['AML.T0059'],
    SANITIZE,
    'Remove the row from the held-out split (or from training); leaked rows inflate evaluation results and can hide the effect of poisoning.',
  ),
  trigger: rule(
    'data.trigger.token',
    'Possible backdoor trigger term',
    'high',
    ['AML.T0043.004', 'AML.T0020'],
    SANITIZE,
    'Quarantine rows with the term and check where they came from.',
  ),
  labelDisagreement: rule(
    'data.label.disagrees-with-features',
    'Label disagrees with the features',
    'medium',
    ['AML.T0020'],
    SANITIZE,
    'Relabel or drop the row after review; it sits among rows of another class.',
  ),
  outlier: rule(
    'data.outlier.per-label',
    'Outlier for its label',
    'low',
    ['AML.T0020'],
    SANITIZE,
    'Review the row; outliers within a class are where poisoned samples often sit.',
  ),
  hiddenInstruction: rule(
    'data.rag.hidden-instructions',
    'Instructions hidden in a document',
    'high',
    ['AML.T0070', 'AML.T0051.001'],
    SANITIZE,
    'Remove the document from the corpus and check its source.',
  ),
  invisibleText: rule(
    'data.rag.invisible-characters',
    'Invisible or direction-changing characters',
    'medium',
    ['AML.T0070', 'AML.T0051.001'],
    SANITIZE,
    'Strip invisible characters before indexing and review what they hide.',
  ),
  cssHiddenText: rule(
    'data.rag.css-hidden-text',
    'Text hidden from readers by HTML styling',
    'medium',
    ['AML.T0070', 'AML.T0051.001'],
    SANITIZE,
    'Index only the text a reader sees (render or strip hidden elements) and review what was hidden and who added it.',
  ),
  exfiltrationUrl: rule(
    'data.rag.exfiltration-url',
    'Image link that could leak data',
    'high',
    ['AML.T0070', 'AML.T0051.001'],
    SANITIZE,
    'Remove the link; a model rendering it sends data to the link owner.',
  ),
  spectralOutlier: rule(
    'data.embedding.spectral-outlier',
    'Embedding outlier along the main direction of its class',
    'medium',
    ['AML.T0020', 'AML.T0043.004'],
    SANITIZE,
    'Review the row; poisoned samples of one class often share one direction in embedding space.',
  ),
  embeddingLabelDisagrees: rule(
    'data.embedding.label-disagrees',
    'Label disagrees with its nearest neighbours in embedding space',
    'medium',
    ['AML.T0020'],
    SANITIZE,
    'Relabel or drop the row after review; its nearest trusted neighbours carry another label.',
  ),
  embeddingCluster: rule(
    'data.embedding.cluster',
    'Cluster of a class that the baseline does not have',
    'medium',
    ['AML.T0020', 'AML.T0043.004'],
    SANITIZE,
    'Review the cluster together: backdoored samples of one class form their own tight group in embedding space.',
  ),
  embeddingInvalid: rule(
    'data.embedding.invalid',
    'Embedding missing or of the wrong shape',
    'low',
    ['AML.T0059'],
    SANITIZE,
    'Recompute the embedding with the same model as the baseline.',
  ),
  newSource: rule(
    'data.provenance.new-source',
    'Rows from a source not seen in the baseline',
    'medium',
    ['AML.T0010.002', 'AML.T0020'],
    ['AML.M0025'],
    'Check who the new source is and whether it is allowed before using its rows.',
  ),
  sourceShareGrowth: rule(
    'data.provenance.source-share-growth',
    'One source sends a much larger share of the rows than before',
    'medium',
    ['AML.T0020', 'AML.T0010.002'],
    ['AML.M0025'],
    'Find out why this source grew; poisoning by volume floods a dataset from one feed. Cap its share or review its rows before use.',
  ),
  truncated: rule(
    'data.findings.truncated',
    'More findings of one kind than reported',
    'info',
    ['AML.T0020'],
    SANITIZE,
    'See the check counts; use --quarantine to get every affected row.',
  ),
} as const satisfies Record<string, DataRule>;

export type RuleKey = keyof typeof RULES;

export function makeFinding(
  r: DataRule,
  message: string,
  extra: {
    row?: number;
    line?: number;
    path?: string;
    evidence?: string;
    confidence?: number;
    severity?: Severity;
    pointer?: string;
  } = {},
): Finding {
  const location: NonNullable<Finding['location']> = {};
  if (extra.path !== undefined) location.path = extra.path;
  if (extra.row !== undefined) location.row = extra.row;
  if (extra.line !== undefined && extra.line > 0) location.line = extra.line;
  if (extra.pointer !== undefined) location.pointer = extra.pointer;
  return {
    ruleId: r.id,
    title: r.title,
    severity: extra.severity ?? r.severity,
    ...(extra.confidence !== undefined ? { confidence: extra.confidence } : {}),
    element: 'data',
    atlas: { techniques: [...r.techniques], mitigations: [...r.mitigations] },
    ...(Object.keys(location).length > 0 ? { location } : {}),
    message,
    ...(extra.evidence !== undefined ? { evidence: extra.evidence } : {}),
    remediation: r.remediation,
  };
}
