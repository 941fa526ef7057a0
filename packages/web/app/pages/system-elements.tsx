import { useState } from 'react';
import { assessmentSchema, ELEMENTS, type Assessment, type Element } from '../api/schemas.js';
import { Link } from '../components/link.js';
import { ErrorNote, LevelBadge, Loading } from '../components/ui.js';
import { useLoad, useSession } from '../hooks.js';
import { levelRank } from '../lib/format.js';
import type { TabProps } from './system.js';

/** The latest run's assessment document, parsed (null while there is no run). */
function useAssessment(latestRunId: string | null): {
  data: Assessment | null;
  error: unknown;
  loading: boolean;
} {
  const { api } = useSession();
  return useLoad(
    async () => {
      if (latestRunId === null) return null;
      const run = await api.run(latestRunId);
      const parsed = assessmentSchema.safeParse(run.result);
      if (!parsed.success) throw new Error('the stored assessment of the latest run cannot be read');
      return parsed.data;
    },
    `assessment:${latestRunId ?? ''}`,
  );
}

export function ElementsTab({ systemId, latestRun }: TabProps) {
  const a = useAssessment(latestRun?.id ?? null);
  const [element, setElement] = useState<Element>('model');
  if (latestRun === null) return <p>No assessment yet: import the system model first.</p>;
  if (a.data === null) return a.loading ? <Loading what="the assessment" /> : <ErrorNote error={a.error} />;
  const summary = a.data.elements.find((e) => e.element === element);
  const entries = a.data.ledger
    .filter((t) => t.decision !== 'not-applicable' && t.assets.some((as) => as.element === element))
    .sort((x, y) => levelRank(y.residual?.level) - levelRank(x.residual?.level));
  return (
    <section aria-labelledby="elements-title">
      <h2 id="elements-title">Risks per element</h2>
      <div className="segmented" role="group" aria-label="Element">
        {ELEMENTS.map((e) => (
          <button
            type="button"
            aria-pressed={e === element}
            key={e}
            className={e === element ? 'current' : ''}
            onClick={() => {
              setElement(e);
            }}
          >
            {e}
          </button>
        ))}
      </div>
      {summary === undefined ? (
        <p className="muted">No {element} assets in the model.</p>
      ) : (
        <p>
          {summary.assets} assets · {summary.applies} techniques apply · {summary.unknown} undecided ·
          residual: critical {summary.residual.critical}, high {summary.residual.high}, medium{' '}
          {summary.residual.medium}, low {summary.residual.low}
        </p>
      )}
      <div className="table-wrap">
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Technique</th>
              <th scope="col">Residual</th>
              <th scope="col">Assets</th>
              <th scope="col">Mitigations in place</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((t) => (
              <tr key={t.techniqueId}>
                <th scope="row">
                  <Link to={{ page: 'system', id: systemId, tab: 'matrix', technique: t.techniqueId }}>
                    {t.techniqueId} {t.name}
                  </Link>
                </th>
                <td>
                  <LevelBadge level={t.residual?.level} />
                </td>
                <td>
                  {t.assets
                    .filter((as) => as.element === element)
                    .map((as) => as.name)
                    .join(', ')}
                </td>
                <td>
                  {t.mitigations.filter((m) => m.status === 'implemented').length} / {t.mitigations.length}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function ScenariosTab({ latestRun }: TabProps) {
  const a = useAssessment(latestRun?.id ?? null);
  if (latestRun === null) return <p>No assessment yet: import the system model first.</p>;
  if (a.data === null) return a.loading ? <Loading what="the assessment" /> : <ErrorNote error={a.error} />;
  return (
    <section aria-labelledby="scenarios-title">
      <h2 id="scenarios-title">Attack scenarios</h2>
      {a.data.scenarios.length === 0 ? <p>The assessment found no multi-step scenario.</p> : null}
      {a.data.scenarios.map((s) => (
        <article key={s.id} className="card scenario">
          <h3>
            {s.title} <LevelBadge level={s.level} />
          </h3>
          <p>{s.narrative}</p>
          <ol className="steps">
            {s.steps.map((step, i) => (
              <li key={`${step.techniqueId}-${String(i)}`}>
                <strong>{step.tacticName}</strong>: {step.techniqueId} {step.techniqueName}{' '}
                <LevelBadge level={step.residualLevel} />
                {step.narrative === undefined ? null : <div className="small muted">{step.narrative}</div>}
              </li>
            ))}
          </ol>
          {s.breakers.length === 0 ? null : (
            <p className="small">
              Broken by: {s.breakers.map((b) => `${b.mitigationId} ${b.name} (${b.status})`).join('; ')}
            </p>
          )}
        </article>
      ))}
    </section>
  );
}
