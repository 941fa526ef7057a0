import { useState, type SyntheticEvent } from 'react';
import type { Portfolio, RiskLevel } from '../api/schemas.js';
import { Link } from '../components/link.js';
import {
  CoverageBar,
  ErrorNote,
  InputField,
  LevelBadge,
  Loading,
  Sparkline,
  TextAreaField,
} from '../components/ui.js';
import { useCan, useLoad, useSession } from '../hooks.js';
import { dateTime, levelClass, levelLabel } from '../lib/format.js';

const scores = (trend: readonly { residualScore: number | null }[]): number[] =>
  trend.flatMap((t) => (t.residualScore === null ? [] : [t.residualScore]));

const SHORT: Readonly<Record<RiskLevel, string>> = { critical: 'C', high: 'H', medium: 'M', low: 'L' };

export function PortfolioPage() {
  const { api } = useSession();
  const portfolio = useLoad(() => api.portfolio(), 'portfolio');
  const canCreate = useCan('systems:write');
  return (
    <main id="main" className="page">
      <div className="page-head">
        <h1>Portfolio</h1>
      </div>
      {portfolio.loading && portfolio.data === null ? <Loading what="the portfolio" /> : null}
      <ErrorNote error={portfolio.error} />
      {portfolio.data === null ? null : (
        <>
          <SystemsTable portfolio={portfolio.data} />
          <Heatmap portfolio={portfolio.data} />
        </>
      )}
      {canCreate ? <NewSystem /> : null}
    </main>
  );
}

function SystemsTable({ portfolio }: { portfolio: Portfolio }) {
  if (portfolio.systems.length === 0) {
    return <p>No AI system yet.</p>;
  }
  return (
    <section aria-labelledby="systems-title">
      <h2 id="systems-title">AI systems</h2>
      <div className="table-wrap">
        <table className="data">
          <thead>
            <tr>
              <th scope="col">System</th>
              <th scope="col">Owner</th>
              <th scope="col">Residual risk</th>
              <th scope="col">Trend</th>
              <th scope="col">Coverage</th>
              <th scope="col">Applicable / gaps</th>
              <th scope="col">Questions answered</th>
              <th scope="col">Open findings (C/H/M/L)</th>
              <th scope="col">Last assessed</th>
            </tr>
          </thead>
          <tbody>
            {portfolio.systems.map((s) => (
              <tr key={s.id}>
                <th scope="row">
                  <Link to={{ page: 'system', id: s.id, tab: 'matrix', technique: null }}>{s.name}</Link>
                  <div className="muted small">{s.slug}</div>
                </th>
                <td>{s.owner === '' ? '—' : s.owner}</td>
                <td>
                  <LevelBadge level={s.residualLevel} />
                </td>
                <td>
                  <Sparkline
                    values={scores(s.trend)}
                    label={`residual score over the last ${String(scores(s.trend).length)} runs: ${scores(s.trend).join(', ')}`}
                  />
                </td>
                <td>
                  <CoverageBar value={s.coverage} />
                </td>
                <td>
                  {s.applicable ?? '—'} / {s.gaps ?? '—'}
                </td>
                <td>
                  {s.questions.answered} / {s.questions.total}
                </td>
                <td>
                  {s.findings.critical}/{s.findings.high}/{s.findings.medium}/{s.findings.low}
                </td>
                <td>{dateTime(s.lastAssessedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The worst residual level per ATLAS tactic for every system. */
function Heatmap({ portfolio }: { portfolio: Portfolio }) {
  const { tactics, rows } = portfolio.heatmap;
  if (rows.length === 0 || tactics.length === 0) return null;
  const names = new Map(portfolio.systems.map((s) => [s.id, s.name]));
  return (
    <section aria-labelledby="heat-title">
      <h2 id="heat-title">Heat map: worst residual risk per tactic</h2>
      <Legend />
      <div className="table-wrap">
        <table className="heat">
          <thead>
            <tr>
              <th scope="col">System</th>
              {tactics.map((t) => (
                <th scope="col" key={t.id} title={t.id}>
                  <span className="vertical">{t.name}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.systemId}>
                <th scope="row">
                  <Link to={{ page: 'system', id: r.systemId, tab: 'matrix', technique: null }}>
                    {names.get(r.systemId) ?? r.systemId}
                  </Link>
                </th>
                {tactics.map((t) => {
                  const level = r.cells[t.id] ?? null;
                  return (
                    <td
                      key={t.id}
                      className={`cell ${levelClass(level)}`}
                      title={`${t.name}: ${levelLabel(level)}`}
                    >
                      <span aria-hidden="true">{level === null ? '·' : SHORT[level]}</span>
                      <span className="sr-only">{`${t.name}: ${levelLabel(level)}`}</span>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function Legend() {
  const levels: (RiskLevel | null)[] = ['critical', 'high', 'medium', 'low', null];
  return (
    <ul className="legend" aria-label="Legend">
      {levels.map((l) => (
        <li key={l ?? 'none'}>
          <span className={`swatch ${levelClass(l)}`} aria-hidden="true" /> {levelLabel(l)}
        </li>
      ))}
    </ul>
  );
}

function NewSystem() {
  const { api, navigate } = useSession();
  const [slug, setSlug] = useState('');
  const [name, setName] = useState('');
  const [owner, setOwner] = useState('');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    api
      .createSystem({ slug, name, owner, description })
      .then((s) => {
        navigate({ page: 'system', id: s.id, tab: 'model', technique: null });
      })
      .catch(setError)
      .finally(() => {
        setBusy(false);
      });
  };
  return (
    <section aria-labelledby="new-system-title" className="card narrow">
      <h2 id="new-system-title">Add an AI system</h2>
      <form onSubmit={submit}>
        <InputField
          label="Slug"
          hint="lowercase letters, digits and dashes, e.g. card-fraud-scoring"
          value={slug}
          required
          pattern="[a-z0-9][a-z0-9\-]*"
          maxLength={64}
          onValue={setSlug}
        />
        <InputField label="Name" value={name} required maxLength={200} onValue={setName} />
        <InputField label="Owner" value={owner} maxLength={200} onValue={setOwner} />
        <TextAreaField label="Description" value={description} rows={2} onValue={setDescription} />
        <ErrorNote error={error} />
        <button type="submit" disabled={busy}>
          Add system
        </button>
      </form>
    </section>
  );
}
