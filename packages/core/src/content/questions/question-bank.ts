import { ACCESS_MITIGATION_QUESTIONS } from './mitigation-questions-access.js';
import { DATA_MITIGATION_QUESTIONS } from './mitigation-questions-data.js';
import { GENAI_MITIGATION_QUESTIONS } from './mitigation-questions-genai.js';
import { MODEL_MITIGATION_QUESTIONS } from './mitigation-questions-model.js';
import { SUPPLY_CHAIN_MITIGATION_QUESTIONS } from './mitigation-questions-supply-chain.js';
import type { Question } from './question-schema.js';
import { POST_ACCESS_TECHNIQUE_QUESTIONS } from './technique-questions-post-access.js';
import { PRE_ACCESS_TECHNIQUE_QUESTIONS } from './technique-questions-pre-access.js';

/** Every verification question, per-mitigation groups first, then per-technique groups. */
export const QUESTIONS: readonly Question[] = [
  ...DATA_MITIGATION_QUESTIONS,
  ...SUPPLY_CHAIN_MITIGATION_QUESTIONS,
  ...MODEL_MITIGATION_QUESTIONS,
  ...ACCESS_MITIGATION_QUESTIONS,
  ...GENAI_MITIGATION_QUESTIONS,
  ...PRE_ACCESS_TECHNIQUE_QUESTIONS,
  ...POST_ACCESS_TECHNIQUE_QUESTIONS,
];
