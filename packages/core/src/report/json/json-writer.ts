import { ASSESSMENT_SCHEMA_VERSION } from '../../assess/assessment-types.js';
import type { AssessmentWriter } from '../writer-types.js';

/**
 * `assess --format json`: the assessment as documented in docs/assess.md (versioned by `schemaVersion`,
 * shape = `assessmentSchema`; tests validate every example's output against it).
 */
export const writeJson: AssessmentWriter = (assessment) => {
  if ((assessment.schemaVersion as number) !== ASSESSMENT_SCHEMA_VERSION) {
    throw new Error(`cannot write assessment schemaVersion ${String(assessment.schemaVersion)}`);
  }
  return `${JSON.stringify(assessment, null, 2)}\n`;
};
