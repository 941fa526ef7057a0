import type { RunTrigger } from '@atlasguard/storage';
import type { RunSummaryOut } from './assessor.js';
import { auditOf, type ServerDeps } from './context.js';
import type { Actor } from './permissions.js';

/**
 * Re-assesses a system after a change made by `actor` and returns the new run's summary; null when there is
 * nothing to assess yet (no model, or no ATLAS data — the change itself is kept either way).
 */
export async function reassess(
  deps: ServerDeps,
  systemId: string,
  trigger: RunTrigger,
  actor: Actor,
): Promise<RunSummaryOut | null> {
  const run = await deps.assessor.run(systemId, trigger, auditOf(actor, 'run.assess'), actor.user.id);
  return run ?? null;
}
