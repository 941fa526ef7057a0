import { describe, expect, it } from 'vitest';
import { MITIGATION_STATUSES as CORE_MITIGATION_STATUSES } from '@atlasguard/core';
import * as storage from '@atlasguard/storage';
import { ROLE_ACTIONS } from '../../../server/src/permissions.js';
import { roleCan, UI_ACTIONS } from '../lib/roles.js';
import {
  ANSWERS,
  FINDINGS_KINDS,
  MITIGATION_STATUSES,
  matrixSchema,
  modelIssueSchema,
  portfolioSchema,
  RISK_LEVELS,
  RISK_STATUSES,
  ROLES,
  TREATMENTS,
} from './schemas.js';

describe('client schemas', () => {
  it('use the same enumerations as the server', () => {
    expect(ROLES).toEqual(storage.ROLES);
    expect(RISK_LEVELS).toEqual(storage.RISK_LEVELS);
    expect(RISK_STATUSES).toEqual(storage.RISK_STATUSES);
    expect(TREATMENTS).toEqual(storage.TREATMENTS);
    expect(ANSWERS).toEqual(storage.ANSWERS);
    expect(FINDINGS_KINDS).toEqual(storage.FINDINGS_KINDS);
    expect(MITIGATION_STATUSES).toEqual(CORE_MITIGATION_STATUSES);
  });

  it("hide exactly the controls the server's role table refuses", () => {
    for (const role of ROLES) {
      for (const action of UI_ACTIONS) {
        expect(roleCan(role, action), `${role} ${action}`).toBe(ROLE_ACTIONS[role].has(action));
      }
    }
  });

  it('normalise model issues from either column spelling, dropping empty paths', () => {
    expect(modelIssueSchema.parse({ message: 'm', line: 3, column: 5, path: '' })).toEqual({
      message: 'm',
      hint: null,
      line: 3,
      col: 5,
      path: null,
    });
    expect(modelIssueSchema.parse({ message: 'm', line: 3, col: 2, path: ['a', 0] })).toMatchObject({
      col: 2,
      path: 'a.0',
    });
  });

  it('refuse out-of-range values and unknown levels in assessment views', () => {
    const system = {
      id: 's',
      slug: 's',
      name: 'S',
      owner: '',
      residualLevel: 'high',
      inherentLevel: 'critical',
      coverage: 0.5,
      applicable: 3,
      gaps: 1,
      questions: { answered: 1, total: 4 },
      findings: { critical: 0, high: 0, medium: 0, low: 0 },
      lastAssessedAt: null,
      trend: [],
    };
    const heatmap = { tactics: [], rows: [] };
    expect(portfolioSchema.safeParse({ systems: [system], heatmap }).success).toBe(true);
    expect(portfolioSchema.safeParse({ systems: [{ ...system, coverage: 1.5 }], heatmap }).success).toBe(
      false,
    );
    // A run's level arrives as a plain string: an unknown one reads as "not assessed", never as a level.
    const odd = portfolioSchema.parse({ systems: [{ ...system, residualLevel: 'severe' }], heatmap });
    expect(odd.systems[0]?.residualLevel).toBeNull();
    const badCell = {
      tactics: [{ id: 'AML.TA0000', name: 'x' }],
      rows: [{ systemId: 's', cells: { 'AML.TA0000': 'severe' } }],
    };
    expect(portfolioSchema.safeParse({ systems: [system], heatmap: badCell }).success).toBe(false);
    expect(matrixSchema.safeParse({ runId: 'r', tactics: [] }).success).toBe(true);
    expect(matrixSchema.safeParse({ runId: null, tactics: [] }).success).toBe(false);
    expect(matrixSchema.safeParse({ tactics: [] }).success).toBe(false);
  });
});
