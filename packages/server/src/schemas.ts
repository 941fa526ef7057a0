import { z } from '@hono/zod-openapi';
import { ANSWERS, FINDINGS_KINDS, RISK_LEVELS, RISK_STATUSES, ROLES, TREATMENTS } from '@atlasguard/storage';
import { ACTIONS } from './permissions.js';
import { PASSWORD_MAX, PASSWORD_MIN } from './passwords.js';

const isoDate = z.iso.datetime({ offset: false });
const label = z.string().trim().min(1).max(200);
const longText = z.string().max(20_000);

export const idParam = z.object({ id: z.string().min(1).max(64) });
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).optional(),
  offset: z.coerce.number().int().min(0).max(1_000_000).optional(),
});

export const errorSchema = z
  .object({
    error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
  })
  .openapi('Error');

export const publicUserSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    disabled: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('User');

export const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .regex(/^[^\s@]+@[^\s@]+$/, 'not an email address');
export const password = z.string().min(PASSWORD_MIN).max(PASSWORD_MAX);

export const loginBody = z.strictObject({
  email: z.string().max(254),
  password: z.string().max(PASSWORD_MAX),
});
export const setupBody = z.strictObject({ token: z.string().min(1).max(200), email, name: label, password });
export const createUserBody = z.strictObject({ email, name: label, role: z.enum(ROLES), password });
export const updateUserBody = z.strictObject({
  name: label.optional(),
  role: z.enum(ROLES).optional(),
  disabled: z.boolean().optional(),
  password: password.optional(),
});
export const changePasswordBody = z.strictObject({
  currentPassword: z.string().max(PASSWORD_MAX),
  newPassword: password,
});

export const systemSchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    owner: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('System');
export const slug = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes');
export const createSystemBody = z.strictObject({
  slug,
  name: label,
  description: longText.default(''),
  owner: z.string().max(200).default(''),
});
export const updateSystemBody = z.strictObject({
  name: label.optional(),
  description: longText.optional(),
  owner: z.string().max(200).optional(),
});

export const modelBody = z.strictObject({
  yaml: z
    .string()
    .min(1)
    .max(8 * 1024 * 1024),
});
export const modelVersionSchema = z
  .object({
    id: z.string(),
    systemId: z.string(),
    version: z.number().int(),
    sha256: z.string(),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    yaml: z.string().optional(),
  })
  .openapi('ModelVersion');

export const runBody = z.strictObject({
  modelVersion: z.number().int().min(1).nullable().default(null),
  /** The JSON written by `atlasguard assess --format json`. */
  result: z.unknown(),
});

export const runSummarySchema = z
  .object({
    id: z.string(),
    systemId: z.string(),
    modelVersion: z.number().int().nullable(),
    trigger: z.string().nullable().openapi({
      description:
        'model | answer | evidence | findings | manual | expiry, or upload (posted from elsewhere)',
    }),
    residualLevel: z.string().nullable(),
    residualScore: z.number().nullable(),
    inherentLevel: z.enum(RISK_LEVELS).nullable(),
    coverage: z.number().nullable(),
    applicable: z.number().int().nullable(),
    gaps: z.number().int().nullable(),
    questions: z.object({ answered: z.number().int(), total: z.number().int() }).nullable(),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('RunSummary');
export const runSchema = runSummarySchema
  .extend({ result: z.unknown().openapi({ description: 'The assessment (assess --format json)' }) })
  .openapi('AssessmentRun');

const techniqueId = z.string().regex(/^AML\.T\d{4}(\.\d{3})?$/, 'an ATLAS technique ID like AML.T0051');
const treatmentNotAccept = z.enum(TREATMENTS).exclude(['accept']);
export const createRiskBody = z.strictObject({
  techniqueId: techniqueId.nullable().default(null),
  title: label,
  level: z.enum(RISK_LEVELS),
  owner: z.string().max(200).default(''),
  treatment: treatmentNotAccept.nullable().default(null),
  notes: longText.default(''),
});
export const updateRiskBody = z.strictObject({
  title: label.optional(),
  level: z.enum(RISK_LEVELS).optional(),
  owner: z.string().max(200).optional(),
  notes: longText.optional(),
  treatment: treatmentNotAccept.nullable().optional(),
});
export const acceptRiskBody = z.strictObject({
  approver: label,
  reason: longText.min(1),
  expiresAt: isoDate,
});
export const riskQuery = pageQuery.extend({
  status: z.enum(RISK_STATUSES).optional(),
  level: z.enum(RISK_LEVELS).optional(),
  owner: z.string().max(200).optional(),
});
export const riskSchema = z
  .object({
    id: z.string(),
    systemId: z.string(),
    techniqueId: z.string().nullable(),
    title: z.string(),
    level: z.enum(RISK_LEVELS),
    owner: z.string(),
    treatment: z.enum(TREATMENTS).nullable(),
    status: z.enum(RISK_STATUSES),
    notes: z.string(),
    acceptance: z
      .object({ approver: z.string(), reason: z.string(), acceptedAt: z.string(), expiresAt: z.string() })
      .nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Risk');

export const questionParam = z.object({
  id: z.string().min(1).max(64),
  questionId: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9._-]+$/),
});
export const answerBody = z.strictObject({ answer: z.enum(ANSWERS), note: longText.default('') });
export const answerSchema = z
  .object({
    id: z.string(),
    systemId: z.string(),
    questionId: z.string(),
    answer: z.enum(ANSWERS),
    note: z.string(),
    answeredBy: z.string().nullable(),
    answeredAt: z.string(),
  })
  .openapi('QuestionAnswer');

export const linkEvidenceBody = z.strictObject({
  title: label,
  url: z.url({ protocol: /^https?$/ }).max(2000),
  questionId: z.string().max(64).nullable().default(null),
  expiresAt: isoDate.nullable().default(null),
});
export const fileEvidenceQuery = z.object({
  title: label,
  fileName: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[^/\\\0]+$/, 'a file name without path separators'),
  questionId: z.string().max(64).optional(),
  expiresAt: isoDate.optional(),
});
export const evidenceSchema = z
  .object({
    id: z.string(),
    systemId: z.string(),
    questionId: z.string().nullable(),
    kind: z.enum(['file', 'link']),
    title: z.string(),
    url: z.string().nullable(),
    file: z
      .object({ name: z.string(), mediaType: z.string(), size: z.number(), sha256: z.string() })
      .nullable(),
    expiresAt: z.string().nullable(),
    expired: z.boolean(),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('Evidence');

export const findingsBody = z.strictObject({
  kind: z.enum(FINDINGS_KINDS),
  format: z.enum(['json', 'sarif']),
  document: z.unknown(),
});
export const findingsUploadSchema = z
  .object({
    id: z.string(),
    systemId: z.string(),
    kind: z.enum(FINDINGS_KINDS),
    format: z.enum(['json', 'sarif']),
    sha256: z.string(),
    summary: z.object({
      critical: z.number(),
      high: z.number(),
      medium: z.number(),
      low: z.number(),
      info: z.number(),
    }),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('FindingsUpload');

export const createTokenBody = z.strictObject({
  name: label,
  actions: z.array(z.enum(ACTIONS)).min(1).max(ACTIONS.length),
  systems: z.array(z.string().min(1).max(64)).min(1).max(1000).nullable().default(null),
  expiresAt: isoDate.nullable().default(null),
});
export const tokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    userId: z.string(),
    scopes: z.object({ actions: z.array(z.string()), systems: z.array(z.string()).nullable() }),
    createdAt: z.string(),
    expiresAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi('ApiToken');

export const auditSchema = z
  .object({
    id: z.string(),
    at: z.string(),
    actorId: z.string().nullable(),
    actorKind: z.enum(['user', 'token', 'system']),
    action: z.string(),
    resourceType: z.string(),
    resourceId: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()),
  })
  .openapi('AuditEntry');

export const importQuery = z.object({ replace: z.enum(['true', 'false']).optional() });

export const items = <T extends z.ZodType>(schema: T) => z.object({ items: z.array(schema) });
