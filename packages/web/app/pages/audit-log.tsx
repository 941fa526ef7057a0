import { useState } from 'react';
import type { AuditEntry } from '../api/schemas.js';
import { ErrorNote, InputField, Loading, SelectField } from '../components/ui.js';
import { useCan, useLoad, useSession } from '../hooks.js';
import { auditActionChoices, filterAudit, type AuditFilter } from '../lib/admin-forms.js';
import { dateTime } from '../lib/format.js';
import { Forbidden } from './forbidden.js';

const PAGE = 100;
const KINDS = ['', 'user', 'token', 'system'] as const;
const isKind = (s: string): s is AuditFilter['actorKind'] => (KINDS as readonly string[]).includes(s);

/** The detail object as one short line (long ones cut). */
function detailText(detail: Record<string, unknown>): string {
  if (Object.keys(detail).length === 0) return '';
  const text = JSON.stringify(detail);
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

/** The audit log, newest first, a page at a time; filters narrow the page shown. */
export function AuditPage() {
  const allowed = useCan('audit:read');
  if (!allowed) return <Forbidden what="The audit log" />;
  return <Audit />;
}

function Audit() {
  const { api } = useSession();
  const canUsers = useCan('users:manage');
  const [offset, setOffset] = useState(0);
  const [tick, setTick] = useState(0);
  const log = useLoad(() => api.audit({ limit: PAGE, offset }), `audit:${String(offset)}:${String(tick)}`);
  // Admins can name the actors; the security role sees their ids.
  const users = useLoad(
    () => (canUsers ? api.users() : Promise.resolve({ items: [] })),
    `audit-users:${String(canUsers)}`,
  );
  const [filter, setFilter] = useState<AuditFilter>({ action: '', actorKind: '', text: '' });
  const entries = log.data?.items ?? [];
  const shown = filterAudit(entries, filter);
  const names = new Map((users.data?.items ?? []).map((u) => [u.id, u.email]));
  const actor = (e: AuditEntry) =>
    e.actorId === null
      ? e.actorKind
      : `${names.get(e.actorId) ?? e.actorId}${e.actorKind === 'token' ? ' (token)' : ''}`;

  return (
    <main id="main" className="page">
      <div className="page-head">
        <h1>Audit log</h1>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            setTick((t) => t + 1);
          }}
        >
          Refresh
        </button>
      </div>
      <p className="muted small">
        Every change to the workspace, newest first, {PAGE} entries a page. The filters apply to the page
        shown.
      </p>
      <div className="toolbar" role="search" aria-label="Filter the audit log">
        <SelectField
          label="Action"
          value={filter.action}
          choices={[
            { value: '', label: 'all' },
            ...auditActionChoices(entries).map((a) => ({ value: a, label: a.includes('.') ? a : `${a}.*` })),
          ]}
          onValue={(v) => {
            setFilter((f) => ({ ...f, action: v }));
          }}
        />
        <SelectField
          label="Actor"
          value={filter.actorKind}
          choices={[
            { value: '', label: 'anyone' },
            { value: 'user', label: 'a user' },
            { value: 'token', label: 'an API token' },
            { value: 'system', label: 'the server' },
          ]}
          onValue={(v) => {
            if (isKind(v)) setFilter((f) => ({ ...f, actorKind: v }));
          }}
        />
        <InputField
          label="Search"
          type="search"
          value={filter.text}
          placeholder="id, resource, detail…"
          onValue={(v) => {
            setFilter((f) => ({ ...f, text: v }));
          }}
        />
      </div>
      {log.loading && log.data === null ? <Loading what="the audit log" /> : null}
      <ErrorNote error={log.error} />
      {log.data === null ? null : (
        <>
          <p className="small" role="status">
            {shown.length === entries.length
              ? `${String(entries.length)} entries`
              : `${String(shown.length)} of ${String(entries.length)} entries on this page`}
          </p>
          <div className="table-wrap">
            <table className="data">
              <caption className="sr-only">Audit entries, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">Action</th>
                  <th scope="col">Resource</th>
                  <th scope="col">Detail</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((e) => (
                  <tr key={e.id}>
                    <td>{dateTime(e.at)}</td>
                    <td>{actor(e)}</td>
                    <td>
                      <code>{e.action}</code>
                    </td>
                    <td>
                      {e.resourceType}
                      {e.resourceId === null ? null : (
                        <span className="muted small mono"> {e.resourceId}</span>
                      )}
                    </td>
                    <td className="small mono">{detailText(e.detail)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav className="actions" aria-label="Audit log pages">
            <button
              type="button"
              className="secondary"
              disabled={offset === 0}
              onClick={() => {
                setOffset((o) => Math.max(0, o - PAGE));
              }}
            >
              Newer
            </button>
            <button
              type="button"
              className="secondary"
              disabled={entries.length < PAGE}
              onClick={() => {
                setOffset((o) => o + PAGE);
              }}
            >
              Older
            </button>
          </nav>
        </>
      )}
    </main>
  );
}
