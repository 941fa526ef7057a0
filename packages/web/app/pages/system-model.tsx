import { useEffect, useRef, useState, type SyntheticEvent } from 'react';
import type { ModelIssue } from '../api/schemas.js';
import { ErrorNote, Field, Loading } from '../components/ui.js';
import { ApiFailure } from '../api/http.js';
import { modelIssueSchema } from '../api/schemas.js';
import { useCan, useLoad, useSession } from '../hooks.js';
import { dateTime, issueLocation } from '../lib/format.js';
import { offsetOf } from '../lib/upload.js';
import { schemaOutline } from '../lib/schema-outline.js';
import type { TabProps } from './system.js';

const MAX_YAML = 8 * 1024 * 1024;

/** Issues from a 422 `invalid-model` answer, when it carries them. */
function issuesOf(error: unknown): ModelIssue[] | null {
  if (!(error instanceof ApiFailure) || !Array.isArray(error.details)) return null;
  const out: ModelIssue[] = [];
  for (const d of error.details) {
    const p = modelIssueSchema.safeParse(d);
    if (p.success) out.push(p.data);
  }
  return out.length > 0 ? out : null;
}

export function ModelTab({ systemId, version, onChanged }: TabProps) {
  const { api } = useSession();
  const canWrite = useCan('models:write');
  const versions = useLoad(() => api.models(systemId), `models:${systemId}:${String(version)}`);
  const latest = versions.data?.items[0];
  const [yaml, setYaml] = useState('');
  const [loadedVersion, setLoadedVersion] = useState<number | null>(null);
  const [issues, setIssues] = useState<ModelIssue[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const editor = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (latest === undefined || loadedVersion === latest.version) return;
    let live = true;
    api.model(systemId, latest.version).then(
      (m) => {
        if (live && m.yaml !== undefined) {
          setYaml(m.yaml);
          setLoadedVersion(m.version);
        }
      },
      (e: unknown) => {
        if (live) setError(e);
      },
    );
    return () => {
      live = false;
    };
  }, [api, systemId, latest, loadedVersion]);

  const jumpTo = (issue: ModelIssue) => {
    const el = editor.current;
    if (el === null || issue.line === null) return;
    const at = offsetOf(yaml, issue.line, issue.col ?? 1);
    el.focus();
    el.setSelectionRange(at, at);
  };

  const validate = () => {
    setBusy(true);
    setError(null);
    setStatus(null);
    api
      .validateModel(systemId, yaml)
      .then((r) => {
        setIssues([...r.issues, ...r.warnings.map((w) => ({ ...w, message: `warning: ${w.message}` }))]);
        setStatus(r.ok ? `The model is valid${r.warnings.length > 0 ? ' (with warnings)' : ''}.` : null);
      })
      .catch(setError)
      .finally(() => {
        setBusy(false);
      });
  };
  const save = (e: SyntheticEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setStatus(null);
    setIssues(null);
    api
      .importModel(systemId, yaml)
      .then((m) => {
        setStatus(
          `Stored as version ${String(m.version)}${m.run === undefined || m.run === null ? '' : ' and assessed'}.`,
        );
        setLoadedVersion(m.version);
        onChanged(m.run ?? undefined);
      })
      .catch((err: unknown) => {
        const found = issuesOf(err);
        if (found !== null) setIssues(found);
        setError(err);
      })
      .finally(() => {
        setBusy(false);
      });
  };
  const readFile = (file: File | null) => {
    if (file === null) return;
    if (file.size > MAX_YAML) {
      setError(new Error(`${file.name} is larger than 8 MiB`));
      return;
    }
    void file.text().then((t) => {
      setYaml(t);
      setIssues(null);
      setStatus(`Loaded ${file.name}: import it to store a new version.`);
    });
  };

  return (
    <section aria-labelledby="model-title">
      <h2 id="model-title">System model</h2>
      {versions.loading && versions.data === null ? <Loading what="the model versions" /> : null}
      <ErrorNote error={versions.error} />
      {versions.data === null ? null : (
        <p className="muted">
          {latest === undefined
            ? 'No model imported yet.'
            : `Version ${String(latest.version)} of ${String(versions.data.items.length)}, imported ${dateTime(latest.createdAt)}.`}{' '}
          Schema: <a href="/api/schemas/system-model.json">system-model.json</a>
        </p>
      )}
      <SchemaReference />
      <form onSubmit={save} className="model-form">
        {canWrite ? (
          <Field label="Load a YAML file">
            {(id) => (
              <input
                id={id}
                type="file"
                accept=".yaml,.yml,text/yaml,application/yaml"
                onChange={(e) => {
                  readFile(e.target.files?.[0] ?? null);
                }}
              />
            )}
          </Field>
        ) : null}
        <Field label="Model YAML" {...(canWrite ? { hint: 'paste or edit, then validate and import' } : {})}>
          {(id) => (
            <textarea
              id={id}
              ref={editor}
              className="code"
              value={yaml}
              readOnly={!canWrite}
              spellCheck={false}
              rows={24}
              onChange={(e) => {
                setYaml(e.target.value);
                setStatus(null);
              }}
            />
          )}
        </Field>
        {issues === null || issues.length === 0 ? null : (
          <div role="alert" className="issues">
            <p>
              <strong>
                {issues.length} problem{issues.length === 1 ? '' : 's'}
              </strong>{' '}
              (select one to move the cursor there):
            </p>
            <ul>
              {issues.map((issue, i) => (
                <li key={i}>
                  <button
                    type="button"
                    className="link"
                    onClick={() => {
                      jumpTo(issue);
                    }}
                  >
                    {issueLocation(issue) === '' ? 'model' : `line ${issueLocation(issue)}`}
                  </button>{' '}
                  {issue.message}
                  {issue.path === null ? '' : ` (at ${issue.path})`}
                  {issue.hint === null ? null : <div className="muted small">{issue.hint}</div>}
                </li>
              ))}
            </ul>
          </div>
        )}
        <ErrorNote error={error} />
        {status === null ? null : (
          <p className="ok" role="status">
            {status}
          </p>
        )}
        {canWrite ? (
          <div className="actions">
            <button type="button" className="secondary" onClick={validate} disabled={busy || yaml === ''}>
              Validate
            </button>
            <button type="submit" disabled={busy || yaml === ''}>
              Import as new version
            </button>
          </div>
        ) : null}
      </form>
    </section>
  );
}

/** The sections and fields of the system model, read from the JSON Schema the server serves. */
function SchemaReference() {
  const { api } = useSession();
  const schema = useLoad(() => api.modelSchema(), 'model-schema');
  if (schema.data === null) return <ErrorNote error={schema.error} />;
  const outline = schemaOutline(schema.data);
  if (outline === null) return null;
  return (
    <details className="reference">
      <summary>Model reference (from the JSON Schema)</summary>
      <dl>
        {outline.map((section) => (
          <div key={section.name}>
            <dt>
              <code>{section.name}</code> <span className="muted small">{section.type}</span>
              {section.required ? <span className="small"> · required</span> : null}
            </dt>
            <dd>
              {section.description === '' ? null : <p className="small">{section.description}</p>}
              {section.values.length === 0 ? null : (
                <p className="small">values: {section.values.join(', ')}</p>
              )}
              {section.fields.length === 0 ? null : (
                <ul className="small">
                  {section.fields.map((f) => (
                    <li key={f.name}>
                      <code>{f.name}</code>
                      {f.required ? ' (required)' : ''} — {f.type}
                      {f.values.length === 0 ? '' : `: ${f.values.join(', ')}`}
                      {f.description === '' ? '' : `. ${f.description}`}
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
