import { useCallback, useState } from 'react';
import type { RunSummary } from '../api/schemas.js';
import { Link } from '../components/link.js';
import { ErrorNote, LevelBadge, Loading } from '../components/ui.js';
import { useLoad, useSession } from '../hooks.js';
import { dateTime } from '../lib/format.js';
import { SYSTEM_TABS, type SystemTab } from '../lib/route.js';
import { ChecklistTab } from './system-checklist.js';
import { ElementsTab, ScenariosTab } from './system-elements.js';
import { FindingsTab } from './system-findings.js';
import { HistoryTab } from './system-history.js';
import { MatrixTab } from './system-matrix.js';
import { ModelTab } from './system-model.js';
import { ReportsTab } from './system-reports.js';

const TAB_LABELS: Readonly<Record<SystemTab, string>> = {
  matrix: 'ATLAS matrix',
  checklist: 'Checklist',
  elements: 'Elements',
  scenarios: 'Attack scenarios',
  history: 'History',
  findings: 'Findings',
  model: 'Model',
  reports: 'Reports',
};

export interface TabProps {
  systemId: string;
  /** Bumped after every change that re-assesses the system, so that views load again. */
  version: number;
  onChanged: (run?: RunSummary) => void;
  latestRun: RunSummary | null;
}

export function SystemPage({ id, tab, technique }: { id: string; tab: SystemTab; technique: string | null }) {
  const { api } = useSession();
  const [version, setVersion] = useState(0);
  const system = useLoad(() => api.system(id), `system:${id}`);
  const runs = useLoad(() => api.runs(id), `runs:${id}:${String(version)}`);
  const onChanged = useCallback(() => {
    setVersion((v) => v + 1);
  }, []);
  const latest =
    runs.data === null
      ? null
      : ([...runs.data.items].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0] ?? null);
  const props: TabProps = { systemId: id, version, onChanged, latestRun: latest };

  if (system.data === null) {
    return (
      <main id="main" className="page">
        {system.loading ? <Loading what="the system" /> : <ErrorNote error={system.error} />}
      </main>
    );
  }
  return (
    <main id="main" className="page">
      <div className="page-head">
        <div>
          <p className="crumbs">
            <Link to={{ page: 'portfolio' }}>Portfolio</Link> / {system.data.slug}
          </p>
          <h1>{system.data.name}</h1>
          {system.data.description === '' ? null : <p className="muted">{system.data.description}</p>}
        </div>
        <dl className="summary" aria-label="Latest assessment">
          <div>
            <dt>Residual risk</dt>
            <dd data-testid="residual-level">
              <LevelBadge level={latestLevel(latest)} />
            </dd>
          </div>
          <div>
            <dt>Residual score</dt>
            <dd data-testid="residual-score">{latest?.residualScore ?? '—'}</dd>
          </div>
          <div>
            <dt>Last run</dt>
            <dd>
              {latest === null
                ? 'none yet'
                : `${dateTime(latest.createdAt)}${latest.trigger === undefined ? '' : ` (${latest.trigger})`}`}
            </dd>
          </div>
        </dl>
      </div>
      <nav aria-label="System views" className="tabs">
        <ul>
          {SYSTEM_TABS.map((t) => (
            <li key={t}>
              <Link
                to={{ page: 'system', id, tab: t, technique: null }}
                className={t === tab ? 'current' : ''}
              >
                {TAB_LABELS[t]}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <ErrorNote error={runs.error} />
      <TabBody tab={tab} technique={technique} props={props} />
    </main>
  );
}

function latestLevel(run: RunSummary | null) {
  const l = run?.residualLevel;
  return l === 'critical' || l === 'high' || l === 'medium' || l === 'low' ? l : null;
}

function TabBody({ tab, technique, props }: { tab: SystemTab; technique: string | null; props: TabProps }) {
  switch (tab) {
    case 'matrix':
      return <MatrixTab {...props} technique={technique} />;
    case 'checklist':
      return <ChecklistTab {...props} />;
    case 'elements':
      return <ElementsTab {...props} />;
    case 'scenarios':
      return <ScenariosTab {...props} />;
    case 'history':
      return <HistoryTab {...props} />;
    case 'findings':
      return <FindingsTab {...props} />;
    case 'model':
      return <ModelTab {...props} />;
    case 'reports':
      return <ReportsTab {...props} />;
  }
}
