import { Drawer, ErrorNote, LevelBadge, Loading } from '../components/ui.js';
import { QuestionCard } from '../components/question-card.js';
import { useLoad, useSession } from '../hooks.js';
import { dateTime } from '../lib/format.js';
import type { TabProps } from './system.js';

export function TechniqueDrawer(props: TabProps & { techniqueId: string; onClose: () => void }) {
  const { api } = useSession();
  const { systemId, techniqueId, version } = props;
  const detail = useLoad(
    () => api.technique(systemId, techniqueId),
    `technique:${systemId}:${techniqueId}:${String(version)}`,
  );
  const d = detail.data;
  return (
    <Drawer
      title={d === null ? techniqueId : `${d.technique.id} ${d.technique.name}`}
      onClose={props.onClose}
    >
      {detail.loading && d === null ? <Loading what="the technique" /> : null}
      <ErrorNote error={detail.error} />
      {d === null ? null : (
        <>
          <p className="muted">
            Tactics: {d.technique.tactics.map((t) => (typeof t === 'string' ? t : t.name)).join(', ')}
          </p>
          <p className="prose">{d.technique.description}</p>
          {d.entry === null ? (
            <p>Not in the latest assessment.</p>
          ) : (
            <>
              <h3>
                Why it{' '}
                {d.entry.decision === 'applies'
                  ? 'applies'
                  : d.entry.decision === 'unknown'
                    ? 'is undecided'
                    : 'does not apply'}
              </h3>
              <p>{d.entry.reason ?? '—'}</p>
              <dl className="pairs">
                <dt>Inherent</dt>
                <dd>
                  <LevelBadge level={d.entry.inherent?.level} /> {d.entry.inherent?.score ?? ''}
                </dd>
                <dt>Residual</dt>
                <dd data-testid="technique-residual">
                  <LevelBadge level={d.entry.residual?.level} /> {d.entry.residual?.score ?? ''}
                </dd>
              </dl>
              {d.entry.assets.length === 0 ? null : (
                <p>Assets: {d.entry.assets.map((a) => `${a.name} (${a.element})`).join(', ')}</p>
              )}
              <h3>Mitigations</h3>
              {d.entry.mitigations.length === 0 ? (
                <p className="muted">None listed.</p>
              ) : (
                <ul className="plain">
                  {d.entry.mitigations.map((m) => (
                    <li key={m.id}>
                      <span className={`status st-${m.status}`}>{m.status}</span> {m.id} {m.name}
                      {m.reason === undefined || m.reason === '' ? null : (
                        <div className="muted small">{m.reason}</div>
                      )}
                    </li>
                  ))}
                </ul>
              )}
              <h3>Case studies</h3>
              {d.entry.caseStudies.length === 0 ? (
                <p className="muted">No similar case study.</p>
              ) : (
                <ul className="plain">
                  {d.entry.caseStudies.map((c) => (
                    <li key={c.id}>
                      {c.id} {c.name}{' '}
                      <span className="muted small">
                        ({c.type}
                        {c.year === null || c.year === undefined ? '' : `, ${String(c.year)}`})
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </>
          )}
          <h3>Verification questions</h3>
          {d.questions.length === 0 ? <p className="muted">No question for this technique.</p> : null}
          {d.questions.map((q) => (
            <QuestionCard key={q.id} question={q} systemId={systemId} onChanged={props.onChanged} />
          ))}
          {d.findings.length === 0 ? null : (
            <>
              <h3>Scan results that touched it</h3>
              <ul className="plain">
                {d.findings.map((f) => (
                  <li key={f.id}>
                    {f.kind ?? 'upload'} {f.format ?? ''} {dateTime(f.createdAt)}
                    {f.summary === undefined
                      ? null
                      : ` — critical ${String(f.summary.critical)}, high ${String(f.summary.high)}`}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </Drawer>
  );
}
