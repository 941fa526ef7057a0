import './zod-csp.js';
import { z } from 'zod';

// The shapes the browser reads from the AtlasGuard API. Every response is parsed with these at the
// boundary; fields the UI does not use are dropped, and a response that does not match is an error.

export const ROLES = ['admin', 'security', 'engineer', 'risk', 'viewer'] as const;
export const RISK_LEVELS = ['critical', 'high', 'medium', 'low'] as const;
export const RISK_STATUSES = ['open', 'mitigated', 'accepted', 'transferred', 'avoided'] as const;
export const TREATMENTS = ['mitigate', 'accept', 'transfer', 'avoid'] as const;
export const ANSWERS = ['yes', 'no', 'partial', 'unknown', 'not-applicable'] as const;
export const FINDINGS_KINDS = ['scan-model', 'scan-deps', 'scan-data', 'monitor', 'other'] as const;
export const ELEMENTS = ['environment', 'platform', 'model', 'data'] as const;
export const PERSONAS = ['all', 'security', 'engineer', 'data', 'risk'] as const;
export const MITIGATION_STATUSES = [
  'implemented',
  'partial',
  'planned',
  'not-implemented',
  'not-applicable',
  'contradicted',
] as const;

export type Role = (typeof ROLES)[number];
export type RiskLevel = (typeof RISK_LEVELS)[number];
export type RiskStatus = (typeof RISK_STATUSES)[number];
export type Treatment = (typeof TREATMENTS)[number];
export type Answer = (typeof ANSWERS)[number];
export type FindingsKind = (typeof FINDINGS_KINDS)[number];
export type Element = (typeof ELEMENTS)[number];
export type Persona = (typeof PERSONAS)[number];

const level = z.enum(RISK_LEVELS);
const isLevel = (s: string): s is RiskLevel => (RISK_LEVELS as readonly string[]).includes(s);
/** A level the server sends as a plain string (e.g. a run's residual level); anything else reads as none. */
const nullableLevel = z
  .string()
  .nullable()
  .transform((s) => (s !== null && isLevel(s) ? s : null));

export const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  disabled: z.boolean(),
});
export type User = z.infer<typeof userSchema>;
export const meSchema = z.object({ user: userSchema, via: z.enum(['session', 'token']) });
export const loginSchema = z.object({ user: userSchema });

export const systemSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  owner: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type System = z.infer<typeof systemSchema>;

export const runSummarySchema = z.object({
  id: z.string(),
  systemId: z.string(),
  modelVersion: z.number().int().nullable(),
  residualLevel: z.string().nullable(),
  residualScore: z.number().nullable().optional(),
  trigger: z.string().nullable().optional(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
});
export type RunSummary = z.infer<typeof runSummarySchema>;

export const modelVersionSchema = z.object({
  id: z.string(),
  systemId: z.string(),
  version: z.number().int(),
  sha256: z.string(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  yaml: z.string().optional(),
  run: runSummarySchema.nullable().optional(),
});
export type ModelVersion = z.infer<typeof modelVersionSchema>;

export const modelIssueSchema = z
  .object({
    message: z.string(),
    hint: z.string().nullable().optional(),
    line: z.number().int().nullable().optional(),
    col: z.number().int().nullable().optional(),
    column: z.number().int().nullable().optional(),
    path: z
      .union([z.string(), z.array(z.union([z.string(), z.number()]))])
      .nullable()
      .optional(),
  })
  .transform((i) => {
    const path = Array.isArray(i.path) ? i.path.join('.') : (i.path ?? '');
    return {
      message: i.message,
      hint: i.hint ?? null,
      line: i.line ?? null,
      col: i.col ?? i.column ?? null,
      path: path === '' ? null : path,
    };
  });
export type ModelIssue = z.output<typeof modelIssueSchema>;
export const validateResultSchema = z.object({
  ok: z.boolean(),
  issues: z.array(modelIssueSchema),
  warnings: z.array(modelIssueSchema).default([]),
});

export const riskSchema = z.object({
  id: z.string(),
  systemId: z.string(),
  techniqueId: z.string().nullable(),
  title: z.string(),
  level,
  owner: z.string(),
  treatment: z.enum(TREATMENTS).nullable(),
  status: z.enum(RISK_STATUSES),
  notes: z.string(),
  acceptance: z
    .object({ approver: z.string(), reason: z.string(), acceptedAt: z.string(), expiresAt: z.string() })
    .nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Risk = z.infer<typeof riskSchema>;

export const evidenceSchema = z.object({
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
  createdAt: z.string(),
});
export type Evidence = z.infer<typeof evidenceSchema>;

export const answerSchema = z.object({
  questionId: z.string(),
  answer: z.enum(ANSWERS),
  note: z.string(),
  answeredBy: z.string().nullable(),
  answeredAt: z.string(),
  run: runSummarySchema.nullable().optional(),
});
export type StoredAnswer = z.infer<typeof answerSchema>;

const severityCounts = z.object({
  critical: z.number(),
  high: z.number(),
  medium: z.number(),
  low: z.number(),
});
export const findingsUploadSchema = z.object({
  id: z.string(),
  systemId: z.string(),
  kind: z.enum(FINDINGS_KINDS),
  format: z.enum(['json', 'sarif']),
  sha256: z.string(),
  summary: severityCounts.extend({ info: z.number() }),
  createdAt: z.string(),
  run: runSummarySchema.nullable().optional(),
});
export type FindingsUpload = z.infer<typeof findingsUploadSchema>;

export const items = <T extends z.ZodType>(schema: T) => z.object({ items: z.array(schema) });

// ---- assessment views (server-side assessment) ----

export const portfolioSchema = z.object({
  systems: z.array(
    z.object({
      id: z.string(),
      slug: z.string(),
      name: z.string(),
      owner: z.string(),
      residualLevel: nullableLevel,
      inherentLevel: nullableLevel,
      coverage: z.number().min(0).max(1).nullable(),
      applicable: z.number().nullable(),
      gaps: z.number().nullable(),
      questions: z.object({ answered: z.number(), total: z.number() }),
      findings: severityCounts,
      lastAssessedAt: z.string().nullable(),
      trend: z.array(
        z.object({
          runId: z.string(),
          at: z.string(),
          residualLevel: nullableLevel,
          residualScore: z.number(),
        }),
      ),
    }),
  ),
  heatmap: z.object({
    tactics: z.array(z.object({ id: z.string(), name: z.string() })),
    rows: z.array(z.object({ systemId: z.string(), cells: z.record(z.string(), level.nullable()) })),
  }),
});
export type Portfolio = z.infer<typeof portfolioSchema>;
export type PortfolioSystem = Portfolio['systems'][number];

const levelScore = z.object({ level: nullableLevel, score: z.number().nullable() });
export const matrixTechniqueSchema = z.object({
  id: z.string(),
  name: z.string(),
  parent: z.string().nullable(),
  decision: z.string(),
  inherent: levelScore,
  residual: levelScore,
  coverage: z.number().min(0).max(1).nullable(),
  maturity: z.string().nullable().optional(),
});
export type MatrixTechnique = z.infer<typeof matrixTechniqueSchema>;
export const matrixSchema = z.object({
  runId: z.string(),
  tactics: z.array(
    z.object({ id: z.string(), name: z.string(), techniques: z.array(matrixTechniqueSchema) }),
  ),
});
export type Matrix = z.infer<typeof matrixSchema>;

const mitigationStatus = z.enum(MITIGATION_STATUSES);
export const ledgerEntrySchema = z.object({
  techniqueId: z.string(),
  name: z.string(),
  decision: z.string(),
  reason: z.string().optional(),
  inherent: z.object({ level, score: z.number() }).nullable().optional(),
  residual: z.object({ level, score: z.number() }).nullable().optional(),
  mitigations: z
    .array(
      z.object({
        id: z.string(),
        name: z.string(),
        status: mitigationStatus,
        reason: z.string().optional(),
        evidence: z.array(z.string()).optional(),
      }),
    )
    .default([]),
  caseStudies: z
    .array(
      z.object({
        id: z.string(),
        name: z.string(),
        type: z.string(),
        year: z.number().nullable().optional(),
        similarity: z.number().optional(),
      }),
    )
    .default([]),
  assets: z.array(z.object({ id: z.string(), name: z.string(), element: z.enum(ELEMENTS) })).default([]),
});
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;

export const questionSchema = z.object({
  id: z.string(),
  text: z.string(),
  persona: z.string(),
  why: z.string().optional(),
  techniques: z.array(z.string()).optional(),
  mitigations: z.array(z.string()).optional(),
  answer: z.string().nullable(),
  note: z.string().nullable().optional(),
  answeredBy: z.string().nullable().optional(),
  answeredAt: z.string().nullable().optional(),
  verified: z.boolean().nullable().optional(),
  evidence: z.array(evidenceSchema).default([]),
});
export type Question = z.infer<typeof questionSchema>;

export const techniqueDetailSchema = z.object({
  technique: z.object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    tactics: z.array(z.union([z.string(), z.object({ id: z.string(), name: z.string() })])),
  }),
  entry: ledgerEntrySchema.nullable(),
  questions: z.array(questionSchema),
  findings: z.array(findingsUploadSchema.partial().extend({ id: z.string() })).default([]),
});
export type TechniqueDetail = z.infer<typeof techniqueDetailSchema>;

export const checklistSchema = z.object({ questions: z.array(questionSchema) });

// The run's assessment document (`atlasguard assess --format json`): only the parts the pages show.
export const assessmentSchema = z.object({
  coverage: z
    .object({ applies: z.number(), gaps: z.number(), notApplicable: z.number(), unknown: z.number() })
    .optional(),
  elements: z
    .array(
      z.object({
        element: z.enum(ELEMENTS),
        assets: z.number(),
        applies: z.number(),
        unknown: z.number(),
        residual: severityCounts,
      }),
    )
    .default([]),
  ledger: z.array(ledgerEntrySchema).default([]),
  scenarios: z
    .array(
      z.object({
        id: z.string(),
        title: z.string(),
        narrative: z.string(),
        level,
        steps: z.array(
          z.object({
            tacticName: z.string(),
            techniqueId: z.string(),
            techniqueName: z.string(),
            residualLevel: level,
            narrative: z.string().optional(),
          }),
        ),
        breakers: z
          .array(z.object({ mitigationId: z.string(), name: z.string(), status: mitigationStatus }))
          .default([]),
      }),
    )
    .default([]),
});
export type Assessment = z.infer<typeof assessmentSchema>;
export const runSchema = runSummarySchema.extend({ result: z.unknown().optional() });

const change = <T extends z.ZodType>(t: T) => z.object({ from: t, to: t }).nullable();
const scored = z.object({ id: z.string(), level, score: z.number() });
export const diffSchema = z.object({
  from: runSummarySchema,
  to: runSummarySchema,
  risks: z.object({
    new: z.array(scored),
    resolved: z.array(scored),
    changed: z.array(
      z.object({
        id: z.string(),
        from: z.object({ level, score: z.number(), status: z.string() }),
        to: z.object({ level, score: z.number(), status: z.string() }),
      }),
    ),
  }),
  techniques: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      decision: change(z.string().nullable()),
      level: change(level.nullable()),
      score: change(z.number().nullable()),
      mitigations: z.array(
        z.object({ id: z.string(), from: z.string().nullable(), to: z.string().nullable() }),
      ),
    }),
  ),
});
export type RunDiff = z.infer<typeof diffSchema>;

// ---- administration: accounts, API tokens, audit log ----

/** Every action the server knows (its `ACTIONS`); a token lists some of them. */
export const API_ACTIONS = [
  'systems:read',
  'systems:write',
  'systems:delete',
  'models:write',
  'runs:write',
  'risks:write',
  'risks:accept',
  'answers:write',
  'evidence:write',
  'findings:write',
  'reports:read',
  'audit:read',
  'tokens:manage',
  'users:manage',
  'workspace:export',
  'workspace:import',
] as const;
export type ApiAction = (typeof API_ACTIONS)[number];

/** An account as an admin sees it in `/api/users`. */
export const accountSchema = userSchema.extend({ createdAt: z.string(), updatedAt: z.string() });
export type Account = z.infer<typeof accountSchema>;

export const apiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  userId: z.string(),
  scopes: z.object({ actions: z.array(z.string()), systems: z.array(z.string()).nullable() }),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiToken = z.infer<typeof apiTokenSchema>;
/** The answer to a token's creation: the only time its secret is ever sent. */
export const createdTokenSchema = z.object({
  token: z.string().regex(/^agt_[A-Za-z0-9_-]{16,200}$/, 'not an AtlasGuard token'),
  record: apiTokenSchema,
});

export const auditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorKind: z.enum(['user', 'token', 'system']),
  action: z.string(),
  resourceType: z.string(),
  resourceId: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;
