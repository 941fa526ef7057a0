import { useState } from 'react';
import type { RunDiff, RunSummary } from '../api/schemas.js';
import { ErrorNote, Field, LevelBadge, Loading } from '../components/ui.js';
import { useCan, useLoad, useSession } from '../hooks.js';
import { polyline, scalePoints } from '../lib/chart.js';
import { dateTime } from '../lib/format.js';
import type { TabProps } from './system.js';

const asLevel = (l: string | null) =>
  l === 'critical' || l === 'high' || l === 'medium' || l === 'low' ? l : null;

export function HistoryTab({ systemId, version, onChanged }: TabProps) {
  const { api } = useSession();
  const canRun = useCan('runs:write');
  const runs = useLoad(() => api.runs(systemId), `runs:${systemId}:${String(version)}`);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const list = [...(runs.data?.items ?? [])].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const assess = () => {
    setBusy(true);
    setError(null);
    api
      .assess(systemId)
      .then((r) => {
        onChanged(r);
      })
      .catch(setError)
      .finally(() => {
        setBusy(false);
      });
  };
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">Run history</h2>
      {canRun ? (
        <p>
          <button type="button" onClick={assess} disabled={busy}>
            Assess now
          </button>
        </p>
      ) : null}
      <ErrorNote error={error} />
      {runs.loading && runs.data === null ? <Loading what="the runs" /> : null}
      <ErrorNote error={runs.error} />
      {list.length === 0 ? (
        runs.data === null ? null : (
          <p>No run yet.</p>
        )
      ) : (
        <>
          <RiskChart runs={list} />
          <Diff key={list[list.length - 1]?.id} systemId={systemId} runs={list} version={version} />
          <div className="table-wrap">
            <table className="data">
              <caption>Runs, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Trigger</th>
                  <th scope="col">Model version</th>
                  <th scope="col">Residual</th>
                  <th scope="col">Score</th>
                </tr>
              </thead>
              <tbody>
                {[...list].reverse().map((r) => (
                  <tr key={r.id}>
                    <td>{dateTime(r.createdAt)}</td>
                    <td>{r.trigger ?? '—'}</td>
                    <td>{r.modelVersion ?? '—'}</td>
                    <td>
                      <LevelBadge level={asLevel(r.residualLevel)} />
                    </td>
                    <td>{r.residualScore ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

/** Residual score per run, oldest to newest (SVG with axes; the data table below is the accessible form). */
function RiskChart({ runs }: { runs: readonly RunSummary[] }) {
  const scored = runs.filter((r) => typeof r.residualScore === 'number');
  if (scored.length === 0) return <p className="muted">The runs carry no residual score to chart.</p>;
  const values = scored.map((r) => r.residualScore ?? 0);
  const w = 640;
  const h = 180;
  const left = 36;
  const bottom = 24;
  const max = Math.max(25, ...values);
  const pts = scalePoints(values, w - left, h - bottom, 8, max).map((p) => ({ x: p.x + left, y: p.y }));
  const first = scored[0];
  const last = scored[scored.length - 1];
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${String(w)} ${String(h)}`}
        width="100%"
        role="img"
        aria-label={`Residual score over ${String(scored.length)} runs, from ${String(values[0] ?? '')} to ${String(values[values.length - 1] ?? '')}`}
      >
        <line x1={left} y1={h - bottom} x2={w} y2={h - bottom} className="axis" />
        <line x1={left} y1={0} x2={left} y2={h - bottom} className="axis" />
        <text x={left - 6} y={12} className="axis-label" textAnchor="end">
          {max}
        </text>
        <text x={left - 6} y={h - bottom} className="axis-label" textAnchor="end">
          0
        </text>
        {pts.length > 1 ? <polyline points={polyline(pts)} className="chart-line" fill="none" /> : null}
        {pts.map((p, i) => (
          <circle key={scored[i]?.id ?? i} cx={p.x} cy={p.y} r={3.5} className="chart-dot" />
        ))}
        <text x={left} y={h - 6} className="axis-label">
          {first === undefined ? '' : dateTime(first.createdAt)}
        </text>
        <text x={w} y={h - 6} className="axis-label" textAnchor="end">
          {last === undefined ? '' : dateTime(last.createdAt)}
        </text>
      </svg>
      <figcaption>
        Residual risk score over time (sum over applicable techniques, as the assessment reports it)
      </figcaption>
    </figure>
  );
}

function Diff({
  systemId,
  runs,
  version,
}: {
  systemId: string;
  runs: readonly RunSummary[];
  version: number;
}) {
  const { api } = useSession();
  const newest = [...runs].reverse();
  const [from, setFrom] = useState(newest[1]?.id ?? '');
  const [to, setTo] = useState(newest[0]?.id ?? '');
  const diff = useLoad(
    // The server needs two runs to compare: with one there is nothing to ask.
    () =>
      runs.length < 2
        ? Promise.resolve(null)
        : api.diff(systemId, from === '' ? undefined : from, to === '' ? undefined : to),
    `diff:${systemId}:${from}:${to}:${String(version)}:${String(runs.length)}`,
  );
  if (runs.length < 2)
    return <p className="muted">One run so far: the changes between runs appear after the next.</p>;
  const option = (r: RunSummary) => (
    <option key={r.id} value={r.id}>
      {dateTime(r.createdAt)} {r.trigger ?? ''}
    </option>
  );
  return (
    <section aria-labelledby="diff-title">
      <h3 id="diff-title">What changed between two runs</h3>
      <div className="toolbar">
        <Field label="From">
          {(id) => (
            <select
              id={id}
              value={from}
              onChange={(e) => {
                setFrom(e.target.value);
              }}
            >
              {newest.map(option)}
            </select>
          )}
        </Field>
        <Field label="To">
          {(id) => (
            <select
              id={id}
              value={to}
              onChange={(e) => {
                setTo(e.target.value);
              }}
            >
              {newest.map(option)}
            </select>
          )}
        </Field>
      </div>
      <ErrorNote error={diff.error} />
      {diff.data === null ? null : <DiffTable diff={diff.data} />}
    </section>
  );
}

const arrow = (c: { from: unknown; to: unknown } | null): string =>
  c === null ? '' : `${describe(c.from)} → ${describe(c.to)}`;

function DiffTable({ diff }: { diff: RunDiff }) {
  const { risks, techniques } = diff;
  return (
    <>
      <p>
        {risks.new.length} new risk{risks.new.length === 1 ? '' : 's'}, {risks.resolved.length} resolved,{' '}
        {risks.changed.length} changed.
      </p>
      {techniques.length === 0 ? (
        <p>No technique changed.</p>
      ) : (
        <div className="table-wrap">
          <table className="data diff">
            <thead>
              <tr>
                <th scope="col">Technique</th>
                <th scope="col">Decision</th>
                <th scope="col">Residual level</th>
                <th scope="col">Residual score</th>
                <th scope="col">Mitigations</th>
              </tr>
            </thead>
            <tbody>
              {techniques.map((t) => (
                <tr key={t.id}>
                  <th scope="row">
                    {t.id} {t.name}
                  </th>
                  <td>{arrow(t.decision)}</td>
                  <td>{arrow(t.level)}</td>
                  <td>{arrow(t.score)}</td>
                  <td>
                    {t.mitigations.map((m) => `${m.id}: ${describe(m.from)} → ${describe(m.to)}`).join('; ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** A diff side as text: scalars as they are, objects as `key value` pairs. */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  if (typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k} ${describe(v)}`)
      .join(', ');
  }
  return JSON.stringify(value);
}
