import { z } from 'zod';
import { SEVERITIES, type FailOn, type Severity } from './severity-rank.js';

export * from './severity-rank.js';

export const severitySchema = z.enum(SEVERITIES) satisfies z.ZodType<Severity>;

/** The `--fail-on` value: a severity, or `none` to never fail on findings. */
export const failOnSchema = z.enum([...SEVERITIES, 'none']) satisfies z.ZodType<FailOn>;
