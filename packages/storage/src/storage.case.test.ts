import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { exportWorkspace, importWorkspace } from './workspace-export.js';
import type { Storage } from './storage.js';
import { StorageError } from './storage-error.js';

/** A workspace under test plus a settable clock; `dispose` drops everything it created. */
export interface StorageFixture {
  storage: Storage;
  clock: { now: Date };
  /** A second, empty workspace of the same dialect (for import). */
  openEmpty(): Promise<Storage>;
  dispose(): Promise<void>;
}

const HASH = (c: string): string => c.repeat(64).slice(0, 64);

/**
 * The storage contract: every implementation (SQLite, PostgreSQL) runs these same cases.
 * Imported by sqlite.test.ts and postgres.test.ts; not run on its own.
 */
export function runStorageContract(name: string, open: () => Promise<StorageFixture>): void {
  describe(`storage contract: ${name}`, () => {
    let fx: StorageFixture;
    let s: Storage;
    beforeAll(async () => {
      fx = await open();
      s = fx.storage;
    });
    afterAll(async () => {
      await fx.dispose();
    });

    it('creates users with normalized unique emails and counts them', async () => {
      const u = await s.createUser({
        email: ' Ada@Example.org ',
        name: 'Ada',
        role: 'admin',
        passwordHash: 'h1',
      });
      expect(u.email).toBe('ada@example.org');
      expect(u.disabled).toBe(false);
      expect((await s.getUserByEmail('ADA@example.org'))?.id).toBe(u.id);
      await expect(
        s.createUser({ email: 'ada@example.org', name: 'Dup', role: 'viewer', passwordHash: 'h2' }),
      ).rejects.toSatisfy((e: unknown) => e instanceof StorageError && e.code === 'conflict');
      expect(await s.countUsers()).toBe(1);
    });

    it('keeps only session hashes and ends sessions on role change', async () => {
      const u = await s.createUser({
        email: 'bob@example.org',
        name: 'Bob',
        role: 'engineer',
        passwordHash: 'h',
      });
      const expires = new Date(fx.clock.now.getTime() + 3600_000).toISOString();
      const sess = await s.createSession({ tokenHash: HASH('a'), userId: u.id, expiresAt: expires });
      expect(sess.id).toBe(HASH('a'));
      expect((await s.getSession(HASH('a')))?.userId).toBe(u.id);
      // rotation: the new session replaces the old one in one transaction
      await s.createSession({ tokenHash: HASH('b'), userId: u.id, expiresAt: expires, replace: HASH('a') });
      expect(await s.getSession(HASH('a'))).toBeUndefined();
      await s.updateUser(u.id, { role: 'risk' });
      expect(await s.getSession(HASH('b'))).toBeUndefined();
      expect((await s.getUser(u.id))?.role).toBe('risk');
    });

    it('deletes stale sessions by absolute and idle expiry', async () => {
      const u = await s.createUser({
        email: 'carol@example.org',
        name: 'C',
        role: 'viewer',
        passwordHash: 'h',
      });
      const t0 = fx.clock.now.getTime();
      await s.createSession({
        tokenHash: HASH('c'),
        userId: u.id,
        expiresAt: new Date(t0 + 1000).toISOString(),
      });
      await s.createSession({
        tokenHash: HASH('d'),
        userId: u.id,
        expiresAt: new Date(t0 + 9e6).toISOString(),
      });
      fx.clock.now = new Date(t0 + 2000);
      const n = await s.deleteStaleSessions(new Date(t0 - 1).toISOString());
      expect(n).toBe(1);
      expect(await s.getSession(HASH('c'))).toBeUndefined();
      expect(await s.getSession(HASH('d'))).toBeDefined();
      expect(await s.deleteStaleSessions(new Date(t0 + 2001).toISOString())).toBe(1);
      fx.clock.now = new Date(t0);
    });

    it('stores hashed, scoped API tokens and revokes them once', async () => {
      const admin = await s.getUserByEmail('ada@example.org');
      const t = await s.createApiToken({
        name: 'ci',
        tokenHash: HASH('e'),
        userId: admin!.id,
        scopes: { actions: ['findings:write'], systems: ['sys-1'] },
        expiresAt: null,
      });
      const back = await s.getApiTokenByHash(HASH('e'));
      expect(back?.scopes).toEqual({ actions: ['findings:write'], systems: ['sys-1'] });
      await s.revokeApiToken(t.id);
      expect((await s.getApiTokenByHash(HASH('e')))?.revokedAt).not.toBeNull();
      await expect(s.revokeApiToken(t.id)).rejects.toBeInstanceOf(StorageError);
    });

    it('takes a setting exactly once', async () => {
      await s.setSetting('setup', 'x');
      await s.setSetting('setup', 'y');
      expect(await s.getSetting('setup')).toBe('y');
      expect(await s.takeSetting('setup', 'x')).toBe(false);
      expect(await s.takeSetting('setup', 'y')).toBe(true);
      expect(await s.takeSetting('setup', 'y')).toBe(false);
    });

    it('does system CRUD, model versions, runs, and cascades on delete', async () => {
      const sys = await s.createSystem(
        { slug: 'fraud', name: 'Fraud scorer', description: 'd', owner: 'team-a' },
        { actorId: null, actorKind: 'system', action: 'system.create' },
      );
      await expect(
        s.createSystem({ slug: 'fraud', name: 'x', description: '', owner: '' }),
      ).rejects.toSatisfy((e: unknown) => e instanceof StorageError && e.code === 'conflict');
      const v1 = await s.addModelVersion(sys.id, 'version: 1\n', null);
      const v2 = await s.addModelVersion(sys.id, 'version: 1\nname: b\n', null);
      expect([v1.version, v2.version]).toEqual([1, 2]);
      expect((await s.getModelVersion(sys.id))?.yaml).toBe('version: 1\nname: b\n');
      expect((await s.getModelVersion(sys.id, 1))?.sha256).toBe(v1.sha256);
      expect((await s.listModelVersions(sys.id)).map((v) => v.version)).toEqual([2, 1]);
      const run = await s.addRun({
        systemId: sys.id,
        modelVersion: 2,
        result: { schemaVersion: 1, nested: { a: [1, 2, 3] }, flag: true },
        residualLevel: 'high',
        createdBy: null,
      });
      expect((await s.getRun(run.id))?.result).toEqual({
        schemaVersion: 1,
        nested: { a: [1, 2, 3] },
        flag: true,
      });
      expect((await s.listRuns(sys.id))[0]?.residualLevel).toBe('high');
      const up = await s.updateSystem(sys.id, { owner: 'team-b' });
      expect(up.owner).toBe('team-b');
      expect((await s.getSystemBySlug('fraud'))?.owner).toBe('team-b');
      const audit = await s.listAudit();
      expect(audit.some((a) => a.action === 'system.create' && a.resourceId === sys.id)).toBe(true);

      const tmp = await s.createSystem({ slug: 'tmp', name: 't', description: '', owner: '' });
      await s.addModelVersion(tmp.id, 'x: 1\n', null);
      await s.upsertAnswer({ systemId: tmp.id, questionId: 'Q1', answer: 'yes', note: '', answeredBy: null });
      await s.deleteSystem(tmp.id);
      expect(await s.getSystem(tmp.id)).toBeUndefined();
      expect(await s.getModelVersion(tmp.id)).toBeUndefined();
      expect(await s.listAnswers(tmp.id)).toEqual([]);
      await expect(s.deleteSystem(tmp.id)).rejects.toSatisfy(
        (e: unknown) => e instanceof StorageError && e.code === 'not-found',
      );
      await expect(s.addModelVersion('no-such-system', 'x', null)).rejects.toBeInstanceOf(StorageError);
    });

    it('paginates systems in slug order', async () => {
      for (let i = 0; i < 5; i++) {
        await s.createSystem({ slug: `p-${String(i)}`, name: `P${String(i)}`, description: '', owner: '' });
      }
      const all = (await s.listSystems({ limit: 100 })).map((x) => x.slug);
      expect(all).toEqual([...all].sort());
      const page = await s.listSystems({ limit: 2, offset: 1 });
      expect(page.map((x) => x.slug)).toEqual(all.slice(1, 3));
      expect(await s.countSystems()).toBeGreaterThanOrEqual(6);
    });

    it('keeps a risk register with treatments and expiring acceptances', async () => {
      const sys = (await s.getSystemBySlug('fraud'))!;
      const r = await s.createRisk({
        systemId: sys.id,
        techniqueId: 'AML.T0051',
        title: 'Prompt injection',
        level: 'high',
        owner: 'ada',
        treatment: null,
        notes: '',
      });
      expect(r.status).toBe('open');
      const m = await s.updateRisk(r.id, { treatment: 'mitigate' });
      expect(m.status).toBe('mitigated');
      const t0 = fx.clock.now.getTime();
      await expect(
        s.acceptRisk(r.id, { approver: 'cfo', reason: 'r', expiresAt: new Date(t0 - 1).toISOString() }),
      ).rejects.toSatisfy((e: unknown) => e instanceof StorageError && e.code === 'invalid');
      const a = await s.acceptRisk(r.id, {
        approver: 'cfo',
        reason: 'budget',
        expiresAt: new Date(t0 + 60_000).toISOString(),
      });
      expect(a.status).toBe('accepted');
      expect(a.treatment).toBe('accept');
      expect(a.acceptance?.approver).toBe('cfo');
      expect(await s.reopenExpiredAcceptances()).toEqual([]);
      fx.clock.now = new Date(t0 + 60_000);
      expect(await s.reopenExpiredAcceptances()).toEqual([r.id]);
      const reopened = await s.getRisk(r.id);
      expect(reopened?.status).toBe('open');
      expect(reopened?.treatment).toBeNull();
      expect(reopened?.acceptance?.approver).toBe('cfo');
      fx.clock.now = new Date(t0);
      expect((await s.listRisks({ systemId: sys.id, status: 'open' })).map((x) => x.id)).toContain(r.id);
      expect(await s.listRisks({ systemId: sys.id, status: 'accepted' })).toEqual([]);
      const audit = await s.listAudit({ limit: 500 });
      expect(audit.some((e) => e.action === 'risk.acceptance-expired' && e.resourceId === r.id)).toBe(true);
    });

    it('upserts one answer per question', async () => {
      const sys = (await s.getSystemBySlug('fraud'))!;
      const a1 = await s.upsertAnswer({
        systemId: sys.id,
        questionId: 'Q-M0015-1',
        answer: 'no',
        note: 'n',
        answeredBy: null,
      });
      const a2 = await s.upsertAnswer({
        systemId: sys.id,
        questionId: 'Q-M0015-1',
        answer: 'yes',
        note: 'done',
        answeredBy: null,
      });
      expect(a2.id).toBe(a1.id);
      const all = await s.listAnswers(sys.id);
      expect(all.filter((a) => a.questionId === 'Q-M0015-1')).toHaveLength(1);
      expect(all.find((a) => a.questionId === 'Q-M0015-1')?.answer).toBe('yes');
    });

    it('stores evidence files by hash with links and expiry', async () => {
      const sys = (await s.getSystemBySlug('fraud'))!;
      const bytes = new Uint8Array([0, 1, 2, 255, 254, 0, 10]);
      const f1 = await s.addEvidence({
        systemId: sys.id,
        questionId: 'Q-M0015-1',
        title: 'scan',
        expiresAt: '2030-01-01T00:00:00.000Z',
        createdBy: null,
        kind: 'file',
        fileName: 'scan.bin',
        mediaType: 'application/octet-stream',
        data: bytes,
      });
      const f2 = await s.addEvidence({
        systemId: sys.id,
        questionId: null,
        title: 'same bytes',
        expiresAt: null,
        createdBy: null,
        kind: 'file',
        fileName: 'copy.bin',
        mediaType: 'application/octet-stream',
        data: bytes,
      });
      expect(f1.file?.sha256).toBe(f2.file?.sha256);
      expect(f1.file?.size).toBe(7);
      const link = await s.addEvidence({
        systemId: sys.id,
        questionId: null,
        title: 'runbook',
        expiresAt: null,
        createdBy: null,
        kind: 'link',
        url: 'https://wiki.example.org/runbook',
      });
      expect(link.file).toBeNull();
      expect(Array.from((await s.getBlob(f1.file!.sha256))!)).toEqual(Array.from(bytes));
      await s.deleteEvidence(f1.id);
      expect(await s.getBlob(f1.file!.sha256)).toBeDefined();
      await s.deleteEvidence(f2.id);
      expect(await s.getBlob(f1.file!.sha256)).toBeUndefined();
      expect((await s.listEvidence(sys.id)).map((e) => e.id)).toEqual([link.id]);
    });

    it('lists systems whose evidence expires in a window', async () => {
      const sys = await s.createSystem({ slug: 'expiring', name: 'E', description: '', owner: '' });
      await s.addEvidence({
        systemId: sys.id,
        kind: 'link',
        url: 'https://example.org/a',
        title: 'a',
        questionId: 'Q-AML.M0014-1',
        expiresAt: '2026-07-01T00:00:00.000Z',
        createdBy: null,
      });
      expect(
        await s.systemsWithEvidenceExpiring('2026-06-30T00:00:00.000Z', '2026-07-01T00:00:00.000Z'),
      ).toContain(sys.id);
      expect(
        await s.systemsWithEvidenceExpiring('2026-07-01T00:00:00.000Z', '2026-08-01T00:00:00.000Z'),
      ).not.toContain(sys.id);
      expect(
        await s.systemsWithEvidenceExpiring('2026-06-01T00:00:00.000Z', '2026-06-30T23:59:59.000Z'),
      ).not.toContain(sys.id);
    });

    it('stores findings uploads with their summary and payload', async () => {
      const sys = (await s.getSystemBySlug('fraud'))!;
      const payload = JSON.stringify({ findings: [{ severity: 'critical' }] });
      const up = await s.addFindingsUpload({
        systemId: sys.id,
        kind: 'scan-model',
        format: 'json',
        payload,
        summary: { critical: 1, high: 0, medium: 0, low: 0, info: 0 },
        createdBy: null,
      });
      expect((await s.listFindingsUploads(sys.id))[0]?.summary.critical).toBe(1);
      expect((await s.getFindingsPayload(up.id))?.payload).toBe(payload);
    });

    it('records server-side runs in order and syncs the risk register by technique', async () => {
      const sys = await s.createSystem({ slug: 'sync', name: 'Sync', description: '', owner: '' });
      const audit = { actorId: null, actorKind: 'system' as const, action: 'run.assess' };
      const manual = await s.createRisk({
        systemId: sys.id,
        techniqueId: null,
        title: 'Manual risk',
        level: 'low',
        owner: 'olga',
        treatment: null,
        notes: '',
      });
      const first = await s.recordAssessment(
        {
          run: {
            systemId: sys.id,
            modelVersion: 1,
            result: { n: 1 },
            residualLevel: 'high',
            createdBy: null,
            trigger: 'model',
            summary: { residualScore: 20 },
          },
          risks: [
            { techniqueId: 'AML.T0010', title: 'Supply chain', level: 'high' },
            { techniqueId: 'AML.T0051', title: 'Prompt injection', level: 'medium' },
          ],
          closeNote: 'no longer applies',
        },
        audit,
      );
      expect(first.sync).toEqual({
        created: ['AML.T0010', 'AML.T0051'],
        updated: [],
        reopened: [],
        closed: [],
      });
      expect(first.run.trigger).toBe('model');
      const t10 = (await s.listRisks({ systemId: sys.id })).find((r) => r.techniqueId === 'AML.T0010')!;
      await s.updateRisk(t10.id, { owner: 'ana', notes: 'kept' });
      // Same timestamp (fixed clock): the order still comes from the per-system sequence.
      const second = await s.recordAssessment(
        {
          run: {
            systemId: sys.id,
            modelVersion: 2,
            result: { n: 2 },
            residualLevel: 'medium',
            createdBy: null,
            trigger: 'answer',
            summary: { residualScore: 9 },
          },
          risks: [{ techniqueId: 'AML.T0010', title: 'Supply chain', level: 'medium' }],
          closeNote: 'run 2: no longer applies',
        },
        audit,
      );
      expect(second.sync).toEqual({
        created: [],
        updated: ['AML.T0010'],
        reopened: [],
        closed: ['AML.T0051'],
      });
      const risks = await s.listRisks({ systemId: sys.id });
      const after10 = risks.find((r) => r.techniqueId === 'AML.T0010')!;
      expect([after10.level, after10.owner, after10.notes, after10.status]).toEqual([
        'medium',
        'ana',
        'kept',
        'open',
      ]);
      const t51 = risks.find((r) => r.techniqueId === 'AML.T0051')!;
      expect([t51.status, t51.notes]).toEqual(['mitigated', 'run 2: no longer applies']);
      expect(risks.find((r) => r.id === manual.id)).toMatchObject({ status: 'open', level: 'low' });
      // it applies again: the risk the sync closed reopens, nothing is duplicated
      const third = await s.recordAssessment(
        {
          run: {
            systemId: sys.id,
            modelVersion: 2,
            result: { n: 3 },
            residualLevel: 'high',
            createdBy: null,
            trigger: 'manual',
            summary: null,
          },
          risks: [
            { techniqueId: 'AML.T0010', title: 'Supply chain', level: 'medium' },
            { techniqueId: 'AML.T0051', title: 'Prompt injection', level: 'high' },
          ],
          closeNote: 'x',
        },
        audit,
      );
      expect(third.sync).toEqual({ created: [], updated: [], reopened: ['AML.T0051'], closed: [] });
      expect((await s.listRisks({ systemId: sys.id })).length).toBe(3);
      const runs = await s.listRuns(sys.id);
      expect(runs.map((r) => r.trigger)).toEqual(['manual', 'answer', 'model']);
      expect(runs[1]?.summary).toEqual({ residualScore: 9 });
      expect((await s.getLatestRun(sys.id))?.result).toEqual({ n: 3 });
      const recent = await s.recentRunsBySystem(2);
      expect(recent.get(sys.id)?.map((r) => r.trigger)).toEqual(['manual', 'answer']);
      const log = await s.listAudit({ limit: 500 });
      expect(log.filter((a) => a.action === 'risk.sync' && a.resourceId === sys.id).length).toBe(3);
      expect(log.filter((a) => a.action === 'run.assess').length).toBe(3);
    });

    it('finds the newest findings upload of each kind', async () => {
      const sys = await s.createSystem({ slug: 'kinds', name: 'Kinds', description: '', owner: '' });
      const up = (kind: 'scan-model' | 'scan-deps', critical: number) =>
        s.addFindingsUpload({
          systemId: sys.id,
          kind,
          format: 'json',
          payload: '{}',
          summary: { critical, high: 0, medium: 0, low: 0, info: 0 },
          createdBy: null,
        });
      await up('scan-model', 2);
      fx.clock.now = new Date(fx.clock.now.getTime() + 1000);
      await up('scan-model', 0);
      await up('scan-deps', 1);
      const latest = await s.latestFindingsByKind(sys.id);
      expect(latest.map((u) => [u.kind, u.summary.critical])).toEqual([
        ['scan-deps', 1],
        ['scan-model', 0],
      ]);
      expect((await s.latestFindingsByKind()).filter((u) => u.systemId === sys.id).length).toBe(2);
    });

    it('rolls back a failed write completely', async () => {
      const before = await s.countSystems();
      await expect(
        s.write('test', async (trx) => {
          await trx
            .insertInto('systems')
            .values({
              id: 'rb',
              slug: 'rb',
              name: 'rb',
              description: '',
              owner: '',
              created_at: s.now(),
              updated_at: s.now(),
            })
            .execute();
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await s.countSystems()).toBe(before);
      expect(await s.getSystem('rb')).toBeUndefined();
    });

    it('exports the whole workspace and imports it into an empty one (round trip)', async () => {
      const dump = await exportWorkspace(s);
      expect(dump.tables.systems.length).toBeGreaterThan(0);
      expect(dump.tables.evidence.length).toBeGreaterThan(0);
      const target = await fx.openEmpty();
      try {
        const summary = await importWorkspace(target, JSON.parse(JSON.stringify(dump)));
        expect(summary.counts.systems).toBe(dump.tables.systems.length);
        const again = await exportWorkspace(target);
        expect({ ...again, exportedAt: '' }).toEqual({ ...dump, exportedAt: '' });
        await expect(importWorkspace(target, dump)).rejects.toSatisfy(
          (e: unknown) => e instanceof StorageError && e.code === 'conflict',
        );
        const replaced = await importWorkspace(target, dump, { replace: true });
        expect(replaced.counts.users).toBe(dump.tables.users.length);
        // tampered blob is refused before anything is written
        const bad = structuredClone(dump);
        bad.tables.evidence_blobs = [{ sha256: HASH('f'), size: 1, data: 'AA==' }];
        await expect(importWorkspace(target, bad, { replace: true })).rejects.toBeInstanceOf(StorageError);
        await expect(importWorkspace(target, { format: 'nope' })).rejects.toBeInstanceOf(StorageError);
        expect((await exportWorkspace(target)).tables.users.length).toBe(dump.tables.users.length);
      } finally {
        await target.close();
      }
    });
  });
}
