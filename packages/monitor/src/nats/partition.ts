import { fnv1a } from '../content/simhash.js';

/** Deterministic partition of a principal (tenant + user id): each worker owns whole principals. */
export function partitionOf(tenant: string, principal: string, partitions: number): number {
  return fnv1a(`${tenant}\u0000${principal}`) % partitions;
}

export const eventSubject = (prefix: string, partition: number): string =>
  `${prefix}.events.${String(partition)}`;
export const alertSubject = (prefix: string, severity: string): string => `${prefix}.alerts.${severity}`;
