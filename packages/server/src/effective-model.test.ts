import { describe, expect, it } from 'vitest';
import type { SystemModel } from '@atlasguard/core';
import type { Evidence, FindingsUpload, QuestionAnswer, Risk } from '@atlasguard/storage';
import { effectiveModel, type WorkspaceState } from './effective-model.js';

type Parts = Pick<SystemModel, 'answers' | 'mitigations' | 'decisions'>;
const NOW = '2026-06-10T12:00:00.000Z';
const base: Parts = {
  answers: [
    { question: 'Q-AML.M0014-1', answer: 'no' },
    { question: 'Q-AML.M0007-1', answer: 'partial', evidence: 'hash on arrival' },
  ],
  mitigations: [
    { id: 'AML.M0014', status: 'implemented', scope: ['scorer'], evidence: [] },
    { id: 'AML.M0016', status: 'partial', scope: [], evidence: [] },
  ],
  decisions: [
    {
      technique: 'AML.T0015',
      decision: 'transfer',
      approver: 'CFO',
      reason: 'insured',
      expires: '2027-01-01',
    },
  ],
};
const answer = (questionId: string, a: QuestionAnswer['answer']): QuestionAnswer => ({
  id: `a-${questionId}`,
  systemId: 's',
  questionId,
  answer: a,
  note: '',
  answeredBy: 'u',
  answeredAt: '2026-06-01T00:00:00.000Z',
});
const link = (questionId: string, expiresAt: string | null): Evidence => ({
  id: `e-${questionId}-${String(expiresAt)}`,
  systemId: 's',
  questionId,
  kind: 'link',
  title: 'proof',
  url: 'https://example.org/proof',
  file: null,
  expiresAt,
  createdBy: 'u',
  createdAt: '2026-06-01T00:00:00.000Z',
});
const upload = (kind: FindingsUpload['kind'], critical: number, high = 0): FindingsUpload => ({
  id: `up-${kind}-${String(critical)}`,
  systemId: 's',
  kind,
  format: 'json',
  sha256: '0'.repeat(64),
  summary: { critical, high, medium: 0, low: 0, info: 0 },
  createdBy: 'u',
  createdAt: '2026-06-05T00:00:00.000Z',
});
const ws = (over: Partial<WorkspaceState>): WorkspaceState => ({
  answers: [],
  evidence: [],
  latestUploads: [],
  risks: [],
  now: NOW,
  ...over,
});

describe('effective model', () => {
  it('lets a stored answer replace the YAML one; not-applicable removes it; unknown questions are ignored', () => {
    const e = effectiveModel(
      base,
      ws({
        answers: [
          answer('Q-AML.M0014-1', 'yes'),
          answer('Q-AML.M0007-1', 'not-applicable'),
          answer('Q-NOPE-1', 'yes'),
        ],
      }),
    );
    expect(e.model.answers.map((a) => [a.question, a.answer])).toEqual([['Q-AML.M0014-1', 'yes']]);
    expect(e.questions.get('Q-AML.M0014-1')).toMatchObject({
      counted: 'yes',
      from: 'workspace',
      verified: false,
    });
    expect(e.questions.get('Q-AML.M0007-1')).toMatchObject({
      counted: 'unanswered',
      given: 'not-applicable',
    });
    expect(e.questions.has('Q-NOPE-1')).toBe(false);
  });

  it('verifies a yes with live evidence; expired-only evidence reopens it as unknown', () => {
    const live = effectiveModel(
      base,
      ws({
        answers: [answer('Q-AML.M0014-1', 'yes')],
        evidence: [link('Q-AML.M0014-1', '2026-07-01T00:00:00.000Z')],
      }),
    );
    expect(live.questions.get('Q-AML.M0014-1')).toMatchObject({ counted: 'yes', verified: true });
    expect(live.model.answers.find((a) => a.question === 'Q-AML.M0014-1')?.evidence).toBe(
      'https://example.org/proof',
    );
    const expired = effectiveModel(
      base,
      ws({
        answers: [answer('Q-AML.M0014-1', 'yes')],
        evidence: [link('Q-AML.M0014-1', '2026-06-01T00:00:00.000Z')],
      }),
    );
    expect(expired.questions.get('Q-AML.M0014-1')).toMatchObject({ counted: 'unknown', verified: false });
    expect(expired.model.answers.find((a) => a.question === 'Q-AML.M0014-1')?.answer).toBe('unknown');
    expect(expired.notes).toEqual(['answer to Q-AML.M0014-1 counts as unknown: its evidence expired']);
    // hard negative: a 'no' answer with expired evidence stays 'no'
    const no = effectiveModel(
      base,
      ws({
        answers: [answer('Q-AML.M0014-1', 'no')],
        evidence: [link('Q-AML.M0014-1', '2026-06-01T00:00:00.000Z')],
      }),
    );
    expect(no.questions.get('Q-AML.M0014-1')?.counted).toBe('no');
  });

  it('counts a clean scan of the proving kind as evidence, and only that kind', () => {
    const clean = effectiveModel(
      base,
      ws({
        answers: [answer('Q-AML.M0014-1', 'yes')],
        evidence: [link('Q-AML.M0014-1', '2026-06-01T00:00:00.000Z')],
        latestUploads: [upload('scan-model', 0)],
      }),
    );
    expect(clean.questions.get('Q-AML.M0014-1')).toMatchObject({
      counted: 'yes',
      verified: true,
      uploads: ['up-scan-model-0'],
    });
    const otherKind = effectiveModel(
      base,
      ws({ answers: [answer('Q-AML.M0014-1', 'yes')], latestUploads: [upload('scan-deps', 0)] }),
    );
    expect(otherKind.questions.get('Q-AML.M0014-1')?.verified).toBe(false);
  });

  it('reopens the mitigations of a kind with a critical or high finding, everywhere, naming the upload', () => {
    const e = effectiveModel(
      base,
      ws({ latestUploads: [upload('scan-model', 1), upload('scan-data', 0, 2)] }),
    );
    const m14 = e.model.mitigations.filter((m) => m.id === 'AML.M0014');
    expect(m14).toEqual([
      {
        id: 'AML.M0014',
        status: 'planned',
        scope: [],
        evidence: [],
        reason: expect.stringContaining('up-scan-model-1') as string,
      },
    ]);
    expect(e.model.mitigations.find((m) => m.id === 'AML.M0011')?.status).toBe('planned');
    expect(e.model.mitigations.find((m) => m.id === 'AML.M0007')?.reason).toContain('0 critical, 2 high');
    // hard negative: a mitigation of no reopened kind keeps its statement
    expect(e.model.mitigations.find((m) => m.id === 'AML.M0016')).toEqual(base.mitigations[1]);
    expect(e.reopened.map((r) => r.mitigation).sort()).toEqual(['AML.M0007', 'AML.M0011', 'AML.M0014']);
  });

  it('turns an unexpired register acceptance into a decision replacing the YAML one; an expired one does not count', () => {
    const risk = (expiresAt: string, status: Risk['status'] = 'accepted'): Risk => ({
      id: 'r',
      systemId: 's',
      techniqueId: 'AML.T0015',
      title: 't',
      level: 'high',
      owner: '',
      treatment: 'accept',
      status,
      notes: '',
      acceptance: {
        approver: 'CRO',
        reason: 'manual review',
        acceptedAt: '2026-06-01T00:00:00.000Z',
        expiresAt,
      },
      createdAt: '2026-06-01T00:00:00.000Z',
      updatedAt: '2026-06-01T00:00:00.000Z',
    });
    const live = effectiveModel(base, ws({ risks: [risk('2026-07-01T00:00:00.000Z')] }));
    expect(live.model.decisions).toEqual([
      {
        technique: 'AML.T0015',
        decision: 'accept',
        approver: 'CRO',
        reason: 'manual review',
        expires: '2026-07-01',
      },
    ]);
    const reopened = effectiveModel(base, ws({ risks: [risk('2026-06-01T00:00:00.000Z', 'open')] }));
    expect(reopened.model.decisions).toEqual(base.decisions);
  });
});
