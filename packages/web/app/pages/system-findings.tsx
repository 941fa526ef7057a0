import { useState, type SyntheticEvent } from 'react';
import { FINDINGS_KINDS, type FindingsKind } from '../api/schemas.js';
import { ErrorNote, Field, Loading } from '../components/ui.js';
import { useCan, useLoad, useSession } from '../hooks.js';
import { dateTime } from '../lib/format.js';
import { detectFindingsFormat, guessFindingsKind, parseScanFile } from '../lib/upload.js';
import type { TabProps } from './system.js';

export function FindingsTab({ systemId, version, onChanged }: TabProps) {
  const { api } = useSession();
  const canUpload = useCan('findings:write');
  const uploads = useLoad(() => api.findings(systemId), `findings:${systemId}:${String(version)}`);
  return (
    <section aria-labelledby="findings-title">
      <h2 id="findings-title">Scan results</h2>
      <p className="muted">
        Results of <code>atlasguard scan model</code>, <code>scan deps</code>, <code>scan data</code> and{' '}
        <code>monitor</code> (JSON or SARIF). A clean scan counts as evidence for the questions it answers; a
        new critical or high finding reopens the mitigations it concerns.
      </p>
      {canUpload ? <Upload systemId={systemId} onDone={onChanged} /> : null}
      {uploads.loading && uploads.data === null ? <Loading what="the uploads" /> : null}
      <ErrorNote error={uploads.error} />
      {uploads.data === null ? null : uploads.data.items.length === 0 ? (
        <p>No scan result uploaded yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Uploaded</th>
                <th scope="col">Kind</th>
                <th scope="col">Format</th>
                <th scope="col">Critical</th>
                <th scope="col">High</th>
                <th scope="col">Medium</th>
                <th scope="col">Low</th>
                <th scope="col">Info</th>
                <th scope="col">SHA-256</th>
              </tr>
            </thead>
            <tbody>
              {uploads.data.items.map((u) => (
                <tr key={u.id}>
                  <td>{dateTime(u.createdAt)}</td>
                  <td>{u.kind}</td>
                  <td>{u.format}</td>
                  <td>{u.summary.critical}</td>
                  <td>{u.summary.high}</td>
                  <td>{u.summary.medium}</td>
                  <td>{u.summary.low}</td>
                  <td>{u.summary.info}</td>
                  <td className="mono">{u.sha256.slice(0, 16)}…</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Upload({ systemId, onDone }: { systemId: string; onDone: TabProps['onChanged'] }) {
  const { api } = useSession();
  const [kind, setKind] = useState<FindingsKind>('scan-model');
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  const choose = (f: File | null) => {
    setFile(f);
    setDone(null);
    if (f === null) return;
    const guess = guessFindingsKind(f.name);
    if (guess !== null) setKind(guess);
  };
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    if (file === null) return;
    setBusy(true);
    setError(null);
    setDone(null);
    file
      .text()
      .then((text) => {
        const parsed = parseScanFile(text, file.size);
        if (!parsed.ok) throw new Error(`${file.name}: ${parsed.message}`);
        const format = detectFindingsFormat(parsed.document);
        return api.uploadFindings(systemId, kind, format, parsed.document);
      })
      .then((u) => {
        setDone(
          `Uploaded ${u.kind} (${u.format}): critical ${String(u.summary.critical)}, high ${String(u.summary.high)}, medium ${String(u.summary.medium)}, low ${String(u.summary.low)}.`,
        );
        onDone(u.run ?? undefined);
      })
      .catch(setError)
      .finally(() => {
        setBusy(false);
      });
  };
  return (
    <form onSubmit={submit} className="card narrow" aria-label="Upload a scan result">
      <h3>Upload a scan result</h3>
      <Field label="Scan file (JSON or SARIF)">
        {(id) => (
          <input
            id={id}
            type="file"
            accept=".json,.sarif,application/json,application/sarif+json"
            onChange={(e) => {
              choose(e.target.files?.[0] ?? null);
            }}
            required
          />
        )}
      </Field>
      <Field label="Produced by">
        {(id) => (
          <select
            id={id}
            value={kind}
            onChange={(e) => {
              const k = FINDINGS_KINDS.find((x) => x === e.target.value);
              if (k !== undefined) setKind(k);
            }}
          >
            {FINDINGS_KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        )}
      </Field>
      <ErrorNote error={error} />
      {done === null ? null : (
        <p className="ok" role="status">
          {done}
        </p>
      )}
      <button type="submit" disabled={busy || file === null}>
        Upload
      </button>
    </form>
  );
}
