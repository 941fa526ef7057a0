import type { Risk, RiskLevel, RiskStatus, Treatment } from '../api/schemas.js';
import { levelRank } from './format.js';

export interface RiskFilter {
  text: string;
  systemId: string;
  level: RiskLevel | '';
  status: RiskStatus | '';
  treatment: Treatment | 'none' | '';
  owner: string;
}

export const EMPTY_FILTER: RiskFilter = {
  text: '',
  systemId: '',
  level: '',
  status: '',
  treatment: '',
  owner: '',
};

export type RiskSortKey = 'level' | 'title' | 'system' | 'owner' | 'status' | 'expires' | 'updated';
export interface RiskSort {
  key: RiskSortKey;
  dir: 'asc' | 'desc';
}

/** Keeps the risks that match every set field (text: title, technique ID or notes, case-insensitive). */
export function filterRisks(risks: readonly Risk[], f: RiskFilter): Risk[] {
  const text = f.text.trim().toLowerCase();
  const owner = f.owner.trim().toLowerCase();
  return risks.filter(
    (r) =>
      (f.systemId === '' || r.systemId === f.systemId) &&
      (f.level === '' || r.level === f.level) &&
      (f.status === '' || r.status === f.status) &&
      (f.treatment === '' || (f.treatment === 'none' ? r.treatment === null : r.treatment === f.treatment)) &&
      (owner === '' || r.owner.toLowerCase().includes(owner)) &&
      (text === '' ||
        r.title.toLowerCase().includes(text) ||
        (r.techniqueId ?? '').toLowerCase().includes(text) ||
        r.notes.toLowerCase().includes(text)),
  );
}

/** Stable sort; ties fall back to level (worst first), then title. */
export function sortRisks(
  risks: readonly Risk[],
  sort: RiskSort,
  systemName: (id: string) => string,
): Risk[] {
  const sign = sort.dir === 'asc' ? 1 : -1;
  const key = (r: Risk): string | number => {
    switch (sort.key) {
      case 'level':
        return levelRank(r.level);
      case 'title':
        return r.title.toLowerCase();
      case 'system':
        return systemName(r.systemId).toLowerCase();
      case 'owner':
        return r.owner.toLowerCase();
      case 'status':
        return r.status;
      case 'expires':
        return r.acceptance?.expiresAt ?? '';
      case 'updated':
        return r.updatedAt;
    }
  };
  return risks
    .map((r, i) => ({ r, i, k: key(r) }))
    .sort((a, b) => {
      if (a.k < b.k) return -sign;
      if (a.k > b.k) return sign;
      const byLevel = levelRank(b.r.level) - levelRank(a.r.level);
      if (byLevel !== 0) return byLevel;
      const byTitle = a.r.title.localeCompare(b.r.title);
      return byTitle !== 0 ? byTitle : a.i - b.i;
    })
    .map((x) => x.r);
}

/** Days until an acceptance expires (negative once expired); null without an acceptance. */
export function daysToExpiry(risk: Risk, now: Date): number | null {
  if (risk.acceptance === null) return null;
  const t = new Date(risk.acceptance.expiresAt).getTime();
  return Math.floor((t - now.getTime()) / 86_400_000);
}
