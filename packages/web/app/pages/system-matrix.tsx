import { useState } from 'react';
import type { Matrix, MatrixTechnique } from '../api/schemas.js';
import { ErrorNote, Loading } from '../components/ui.js';
import { useLoad, useSession } from '../hooks.js';
import { coverageClass, levelClass, levelLabel, percent } from '../lib/format.js';
import { Legend } from './portfolio.js';
import type { TabProps } from './system.js';
import { TechniqueDrawer } from './technique-drawer.js';

type View = 'residual' | 'inherent' | 'coverage';

export function MatrixTab(props: TabProps & { technique: string | null }) {
  const { api, navigate } = useSession();
  const { systemId, version } = props;
  const matrix = useLoad(() => api.matrix(systemId), `matrix:${systemId}:${String(version)}`);
  const [view, setView] = useState<View>('residual');
  const [onlyApplicable, setOnlyApplicable] = useState(true);
  const open = (technique: string | null) => {
    navigate({ page: 'system', id: systemId, tab: 'matrix', technique });
  };
  return (
    <section aria-labelledby="matrix-title">
      <h2 id="matrix-title">ATLAS matrix</h2>
      <div className="toolbar">
        <fieldset className="toggle">
          <legend>Colour by</legend>
          {(['residual', 'inherent', 'coverage'] as const).map((v) => (
            <label key={v}>
              <input
                type="radio"
                name="matrix-view"
                value={v}
                checked={view === v}
                onChange={() => {
                  setView(v);
                }}
              />{' '}
              {v === 'coverage' ? 'mitigation coverage' : `${v} risk`}
            </label>
          ))}
        </fieldset>
        <label className="check">
          <input
            type="checkbox"
            checked={onlyApplicable}
            onChange={(e) => {
              setOnlyApplicable(e.target.checked);
            }}
          />{' '}
          only techniques that apply or are undecided
        </label>
      </div>
      {view === 'coverage' ? <CoverageLegend /> : <Legend />}
      {matrix.loading && matrix.data === null ? <Loading what="the matrix" /> : null}
      <ErrorNote error={matrix.error} />
      {matrix.data === null ? null : (
        <MatrixGrid matrix={matrix.data} view={view} onlyApplicable={onlyApplicable} onOpen={open} />
      )}
      {props.technique === null ? null : (
        <TechniqueDrawer
          {...props}
          techniqueId={props.technique}
          onClose={() => {
            const back = props.technique;
            open(null);
            // Keyboard users land back on the technique they opened.
            window.requestAnimationFrame(() => {
              document.querySelector<HTMLButtonElement>(`button[data-technique="${back ?? ''}"]`)?.focus();
            });
          }}
        />
      )}
    </section>
  );
}

function cellClass(t: MatrixTechnique, view: View): string {
  if (t.decision === 'not-applicable') return 'na';
  if (view === 'coverage') return coverageClass(t.coverage);
  return levelClass(view === 'residual' ? t.residual.level : t.inherent.level);
}

function cellLabel(t: MatrixTechnique, view: View): string {
  if (t.decision === 'not-applicable') return 'does not apply';
  if (t.decision === 'not-assessed') return 'not assessed';
  if (view === 'coverage') return `coverage ${percent(t.coverage)}`;
  const v = view === 'residual' ? t.residual : t.inherent;
  return `${view} ${levelLabel(v.level)}${v.score === null ? '' : ` (${String(v.score)})`}${t.decision === 'unknown' ? ', undecided' : ''}`;
}

function MatrixGrid({
  matrix,
  view,
  onlyApplicable,
  onOpen,
}: {
  matrix: Matrix;
  view: View;
  onlyApplicable: boolean;
  onOpen: (id: string) => void;
}) {
  return (
    <div className="matrix" role="region" aria-label="Techniques by tactic" tabIndex={0}>
      {matrix.tactics.map((tactic) => {
        const shown = tactic.techniques.filter((t) => !onlyApplicable || t.decision !== 'not-applicable');
        return (
          <div className="tactic" key={tactic.id}>
            <h3 title={tactic.id}>
              {tactic.name} <span className="muted small">({shown.length})</span>
            </h3>
            <ul>
              {shown.map((t) => (
                <li key={`${tactic.id}-${t.id}`} className={t.parent === null ? '' : 'sub'}>
                  <button
                    type="button"
                    className={`tech ${cellClass(t, view)}`}
                    data-technique={t.id}
                    aria-label={`${t.id} ${t.name}: ${cellLabel(t, view)}`}
                    onClick={() => {
                      onOpen(t.id);
                    }}
                  >
                    <span className="tech-id">{t.id}</span>
                    <span className="tech-name">{t.name}</span>
                  </button>
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </div>
  );
}

function CoverageLegend() {
  const buckets: [string, string][] = [
    ['cov-0', 'under 25 %'],
    ['cov-1', '25–49 %'],
    ['cov-2', '50–74 %'],
    ['cov-3', '75–99 %'],
    ['cov-4', 'all in place'],
    ['cov-none', 'unknown'],
  ];
  return (
    <ul className="legend" aria-label="Legend">
      {buckets.map(([c, label]) => (
        <li key={c}>
          <span className={`swatch ${c}`} aria-hidden="true" /> {label}
        </li>
      ))}
    </ul>
  );
}
