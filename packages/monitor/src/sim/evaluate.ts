import { z } from 'zod';
import type { Alert } from '../alert.js';

export const labelsSchema = z.object({
  seed: z.number(),
  benignPrincipals: z.array(z.string()).max(10_000_000),
  campaigns: z
    .array(
      z.object({
        id: z.string(),
        kind: z.string(),
        techniques: z.array(z.string()).min(1),
        principal: z.string(),
        tenant: z.string(),
        start: z.string(),
        end: z.string(),
      }),
    )
    .max(100_000),
  canaries: z.array(z.string()).default([]),
});
export type LabelsInput = z.infer<typeof labelsSchema>;

export interface KindScore {
  kind: string;
  attackers: number;
  detected: number;
  recall: number;
  /** principals alerted with this kind's techniques that are attackers / all principals so alerted */
  precision: number;
  alertedPrincipals: number;
}

export interface Evaluation {
  kinds: KindScore[];
  benignPrincipals: number;
  benignPrincipalsAlerted: number;
  falseAlerts: number;
  falseAlertsPer1000BenignPrincipals: number;
  precision: number;
  recall: number;
  falsePositives: { principal: string; ruleId: string }[];
}

/** `AML.T0051` matches `AML.T0051.000` and the other way round. */
function related(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

/** Entity-level scoring of alerts against simulator labels. */
export function evaluate(alerts: readonly Alert[], labels: LabelsInput): Evaluation {
  const attackers = new Map<string, string>();
  for (const c of labels.campaigns) attackers.set(c.principal, c.kind);
  const benign = new Set(labels.benignPrincipals);
  const byPrincipal = new Map<string, Alert[]>();
  for (const a of alerts) byPrincipal.set(a.principal, [...(byPrincipal.get(a.principal) ?? []), a]);
  const kinds: KindScore[] = [];
  const kindNames = [...new Set(labels.campaigns.map((c) => c.kind))];
  for (const kind of kindNames) {
    const campaigns = labels.campaigns.filter((c) => c.kind === kind);
    const techniques = campaigns[0]?.techniques ?? [];
    const matches = (a: Alert): boolean =>
      a.atlas.techniques.some((t) => techniques.some((k) => related(t, k)));
    let detected = 0;
    for (const c of campaigns) if ((byPrincipal.get(c.principal) ?? []).some(matches)) detected++;
    const alerted = new Set(alerts.filter(matches).map((a) => a.principal));
    let correct = 0;
    for (const p of alerted) if (attackers.has(p)) correct++;
    kinds.push({
      kind,
      attackers: campaigns.length,
      detected,
      recall: campaigns.length === 0 ? 1 : detected / campaigns.length,
      precision: alerted.size === 0 ? 1 : correct / alerted.size,
      alertedPrincipals: alerted.size,
    });
  }
  const falsePositives: { principal: string; ruleId: string }[] = [];
  const benignAlerted = new Set<string>();
  let falseAlerts = 0;
  const alertedEntities = new Set<string>();
  for (const a of alerts) {
    if (a.principal.startsWith('tenant:')) continue;
    alertedEntities.add(a.principal);
    if (!attackers.has(a.principal)) {
      falseAlerts++;
      benignAlerted.add(a.principal);
      if (falsePositives.length < 50) falsePositives.push({ principal: a.principal, ruleId: a.ruleId });
    }
  }
  let tp = 0;
  for (const p of alertedEntities) if (attackers.has(p)) tp++;
  const detectedAttackers = [...attackers.keys()].filter((p) => alertedEntities.has(p)).length;
  return {
    kinds,
    benignPrincipals: benign.size,
    benignPrincipalsAlerted: benignAlerted.size,
    falseAlerts,
    falseAlertsPer1000BenignPrincipals:
      benign.size === 0 ? 0 : Number(((falseAlerts * 1000) / benign.size).toFixed(2)),
    precision: alertedEntities.size === 0 ? 1 : tp / alertedEntities.size,
    recall: attackers.size === 0 ? 1 : detectedAttackers / attackers.size,
    falsePositives,
  };
}
