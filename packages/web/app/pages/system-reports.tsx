import { links, type ReportFormat } from '../api/endpoints.js';
import type { TabProps } from './system.js';

const FORMATS: readonly { format: ReportFormat; label: string; what: string }[] = [
  { format: 'html', label: 'HTML report', what: 'a self-contained page to read and share' },
  { format: 'navigator', label: 'ATLAS Navigator layer', what: 'the heat map for the ATLAS Navigator' },
  { format: 'sarif', label: 'SARIF', what: 'for code-scanning dashboards' },
  { format: 'json', label: 'JSON', what: 'the full assessment, as `atlasguard assess --format json`' },
  { format: 'md', label: 'Markdown', what: 'for a pull request or a wiki' },
  { format: 'csv', label: 'CSV', what: 'the risks of this assessment' },
];

export function ReportsTab({ systemId, latestRun }: TabProps) {
  return (
    <section aria-labelledby="reports-title">
      <h2 id="reports-title">Reports</h2>
      {latestRun === null ? (
        <p>No assessment yet: import the system model first.</p>
      ) : (
        <>
          <p className="muted">
            The latest assessment, written by the same report writers as the command line.
          </p>
          <ul className="report-links">
            {FORMATS.map((f) => (
              <li key={f.format}>
                <a className="button" href={links.report(systemId, f.format)} download data-format={f.format}>
                  {f.label}
                </a>{' '}
                <span className="muted small">{f.what}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
