import { assessmentSchema } from '../../assess/assessment-types.js';
import type { AssessmentWriter } from '../writer-types.js';

/**
 * `assess --format json`: the assessment as documented in docs/assess.md (versioned by `schemaVersion`).
 * Validated against its schema before it is written, so consumers never see a malformed document.
 */
export const writeJson: AssessmentWriter = (assessment) => {
  const checked = assessmentSchema.parse(assessment);
  return `${JSON.stringify(checked, null, 2)}\n`;
};
