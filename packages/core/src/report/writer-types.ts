import type { Catalog } from '../atlas/catalog.js';
import type { Assessment } from '../assess/assessment-types.js';

/** Renders an assessment to one output format. Pure: no I/O, deterministic for a given input. */
export type AssessmentWriter = (assessment: Assessment, catalog: Catalog) => string;

/** `assess --format` value → writer. The CLI lists the keys in its help and rejects anything else. */
export type AssessmentWriterRegistry = Readonly<Record<string, AssessmentWriter>>;
