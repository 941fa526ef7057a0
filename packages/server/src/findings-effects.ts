import { QUESTIONS, type EvidenceCommand } from '@atlasguard/core';
import type { FindingsKind, FindingsUpload } from '@atlasguard/storage';

/**
 * What an uploaded scan result means for a system's assessment. A clean upload (no critical or high finding)
 * is evidence for the verification questions whose proof that command produces; an upload with a critical or
 * high finding reopens the listed mitigations until a later clean upload of the same kind.
 */
export interface FindingsEffect {
  kind: Exclude<FindingsKind, 'other'>;
  /** The AtlasGuard command whose output this kind is; the question bank names it per question. */
  command: EvidenceCommand;
  /** ATLAS mitigations a critical or high finding of this kind shows not to be working. */
  reopens: readonly string[];
  /** Why, in one sentence (shown in docs and in the reason of a reopened mitigation). */
  why: string;
}

export const FINDINGS_EFFECTS: readonly FindingsEffect[] = [
  {
    kind: 'scan-model',
    command: 'scan model',
    reopens: ['AML.M0014', 'AML.M0011'],
    why: 'a model artifact with a critical or high finding was not verified before use, and loading it may run code',
  },
  {
    kind: 'scan-deps',
    command: 'scan deps',
    reopens: ['AML.M0016'],
    why: 'a critical or high vulnerability in a dependency shows that scanning did not keep it out',
  },
  {
    kind: 'scan-data',
    command: 'scan data',
    reopens: ['AML.M0007'],
    why: 'a critical or high data finding shows that the training data was not sanitized',
  },
  {
    kind: 'monitor',
    command: 'monitor',
    reopens: ['AML.M0004'],
    why: 'a critical or high inference alert shows that query volume reached the model unchecked',
  },
];

export const effectOf = (kind: FindingsKind): FindingsEffect | undefined =>
  FINDINGS_EFFECTS.find((e) => e.kind === kind);

/** Question IDs a clean upload of this kind is evidence for. */
export function questionsEvidencedBy(kind: FindingsKind): string[] {
  const effect = effectOf(kind);
  if (effect === undefined) return [];
  return QUESTIONS.filter((q) => q.command === effect.command).map((q) => q.id);
}

/** Clean: no critical and no high finding. */
export const isClean = (upload: Pick<FindingsUpload, 'summary'>): boolean =>
  upload.summary.critical === 0 && upload.summary.high === 0;
