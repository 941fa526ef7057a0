import { z } from 'zod';
import type { UserAllowList } from './user-allow-list.js';

const entrySchema = z
  .object({
    global: z.string().regex(/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)+$/, 'a dotted name such as mypkg.models.Net'),
    sha256: z.array(z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase sha256 hex digest')).min(1),
    reason: z.string().min(1),
  })
  .strict();

/** The allow-list file's shape, checked by `loadUserAllowList` (loaded on demand: it brings zod). */
export const userAllowListSchema = z
  .object({
    version: z.literal(1),
    entries: z.array(entrySchema),
  })
  .strict() satisfies z.ZodType<UserAllowList>;
