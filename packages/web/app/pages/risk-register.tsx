import { useState, type SyntheticEvent } from 'react';
import { links } from '../api/endpoints.js';
import { RISK_LEVELS, RISK_STATUSES, TREATMENTS, type Risk } from '../api/schemas.js';
import { Link } from '../components/link.js';
import { ErrorNote, InputField, LevelBadge, Loading, SelectField, TextAreaField } from '../components/ui.js';
import { useCan, useLoad, useSession } from '../hooks.js';
import { dateOnly, endOfDayIso } from '../lib/format.js';
import {
  EMPTY_FILTER,
  daysToExpiry,
  filterRisks,
  sortRisks,
  type RiskFilter,
  type RiskSort,
  type RiskSortKey,
} from '../lib/risk-table.js';

const COLUMNS: readonly { key: RiskSortKey; label: string }[] = [
  { key: 'level', label: 'Level' },
  { key: 'title', label: 'Risk' },
  { key: 'system', label: 'System' },
  { key: 'owner', label: 'Owner' },
  { key: 'status', label: 'Status' },
  { key: 'expires', label: 'Acceptance' },
];

export function RiskRegisterPage() {
  const { api } = useSession();
  const [tick, setTick] = useState(0);
  const risks = useLoad(() => api.risks({}), `risks:${String(tick)}`);
  const systems = useLoad(() => api.systems(), 'systems');
  const [filter, setFilter] = useState<RiskFilter>(EMPTY_FILTER);
  const [sort, setSort] = useState<RiskSort>({ key: 'level', dir: 'desc' });
  const [editing, setEditing] = useState<string | null>(null);
  const names = new Map((systems.data?.items ?? []).map((s) => [s.id, s.name]));
  const systemName = (id: string) => names.get(id) ?? id;
  const shown = sortRisks(filterRisks(risks.data?.items ?? [], filter), sort, systemName);
  const set = (patch: Partial<RiskFilter>) => {
    setFilter((f) => ({ ...f, ...patch }));
  };
  const exportFilter = {
    systemId: filter.systemId || undefined,
    level: filter.level || undefined,
    status: filter.status || undefined,
    owner: filter.owner.trim() || undefined,
  };

  return (
    <main id="main" className="page">
      <div className="page-head">
        <h1>Risk register</h1>
        <p className="exports">
          Export:{' '}
          <a className="button secondary" href={links.risksExport('csv', exportFilter)} download>
            CSV
          </a>{' '}
          <a className="button secondary" href={links.risksExport('xlsx', exportFilter)} download>
            XLSX
          </a>
        </p>
      </div>
      <form
        className="filters"
        aria-label="Filter risks"
        onSubmit={(e) => {
          e.preventDefault();
        }}
      >
        <InputField
          label="Search"
          type="search"
          value={filter.text}
          placeholder="title, technique, notes"
          onValue={(v) => {
            set({ text: v });
          }}
        />
        <SelectField
          label="System"
          value={filter.systemId}
          choices={[
            { value: '', label: 'all' },
            ...(systems.data?.items ?? []).map((s) => ({ value: s.id, label: s.name })),
          ]}
          onValue={(v) => {
            set({ systemId: v });
          }}
        />
        <SelectField
          label="Level"
          value={filter.level}
          choices={[{ value: '', label: 'all' }, ...RISK_LEVELS]}
          onValue={(v) => {
            set({ level: RISK_LEVELS.find((l) => l === v) ?? '' });
          }}
        />
        <SelectField
          label="Status"
          value={filter.status}
          choices={[{ value: '', label: 'all' }, ...RISK_STATUSES]}
          onValue={(v) => {
            set({ status: RISK_STATUSES.find((s) => s === v) ?? '' });
          }}
        />
        <SelectField
          label="Treatment"
          value={filter.treatment}
          choices={[{ value: '', label: 'all' }, { value: 'none', label: 'not decided' }, ...TREATMENTS]}
          onValue={(v) => {
            set({ treatment: v === 'none' ? 'none' : (TREATMENTS.find((t) => t === v) ?? '') });
          }}
        />
        <InputField
          label="Owner"
          value={filter.owner}
          onValue={(v) => {
            set({ owner: v });
          }}
        />
      </form>
      {risks.loading && risks.data === null ? <Loading what="the risks" /> : null}
      <ErrorNote error={risks.error} />
      {risks.data === null ? null : (
        <div className="table-wrap">
          <table className="data risks">
            <caption>
              {shown.length} of {risks.data.items.length} risks
            </caption>
            <thead>
              <tr>
                {COLUMNS.map((c) => (
                  <th
                    scope="col"
                    key={c.key}
                    aria-sort={
                      sort.key === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'
                    }
                  >
                    <button
                      type="button"
                      className="sort"
                      onClick={() => {
                        setSort((s) => ({
                          key: c.key,
                          dir: s.key === c.key && s.dir === 'desc' ? 'asc' : 'desc',
                        }));
                      }}
                    >
                      {c.label}
                      <span aria-hidden="true">
                        {sort.key === c.key ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                      </span>
                    </button>
                  </th>
                ))}
                <th scope="col">Treatment</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => (
                <RiskRow
                  key={r.id}
                  risk={r}
                  systemName={systemName(r.systemId)}
                  editing={editing === r.id}
                  onEdit={(on) => {
                    setEditing(on ? r.id : null);
                  }}
                  onSaved={() => {
                    setEditing(null);
                    setTick((t) => t + 1);
                  }}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </main>
  );
}

function RiskRow({
  risk,
  systemName,
  editing,
  onEdit,
  onSaved,
}: {
  risk: Risk;
  systemName: string;
  editing: boolean;
  onEdit: (on: boolean) => void;
  onSaved: () => void;
}) {
  const canEdit = useCan('risks:write');
  const canAccept = useCan('risks:accept');
  const days = daysToExpiry(risk, new Date());
  return (
    <>
      <tr data-risk={risk.techniqueId ?? risk.id}>
        <td>
          <LevelBadge level={risk.level} />
        </td>
        <th scope="row">
          {risk.techniqueId === null ? null : (
            <Link
              to={{ page: 'system', id: risk.systemId, tab: 'matrix', technique: risk.techniqueId }}
              className="mono"
            >
              {risk.techniqueId}
            </Link>
          )}{' '}
          {risk.title}
          {risk.notes === '' ? null : <div className="muted small">{risk.notes}</div>}
        </th>
        <td>{systemName}</td>
        <td>{risk.owner === '' ? '—' : risk.owner}</td>
        <td>
          <span className={`status rs-${risk.status}`}>{risk.status}</span>
        </td>
        <td>
          {risk.acceptance === null
            ? '—'
            : `by ${risk.acceptance.approver} until ${dateOnly(risk.acceptance.expiresAt)}${days !== null && days < 0 ? ' (expired)' : ''}`}
        </td>
        <td>{risk.treatment ?? '—'}</td>
        <td>
          {canEdit || canAccept ? (
            <button
              type="button"
              className="secondary"
              aria-expanded={editing}
              onClick={() => {
                onEdit(!editing);
              }}
            >
              {editing ? 'Close' : 'Edit'}
              <span className="sr-only"> {risk.title}</span>
            </button>
          ) : null}
        </td>
      </tr>
      {editing ? (
        <tr className="editor-row">
          <td colSpan={8}>
            <div className="row-forms">
              {canEdit ? <EditRisk risk={risk} onSaved={onSaved} /> : null}
              {canAccept ? <AcceptRisk risk={risk} onSaved={onSaved} /> : null}
            </div>
          </td>
        </tr>
      ) : null}
    </>
  );
}

function EditRisk({ risk, onSaved }: { risk: Risk; onSaved: () => void }) {
  const { api } = useSession();
  const [owner, setOwner] = useState(risk.owner);
  const [treatment, setTreatment] = useState<string>(
    risk.treatment === 'accept' ? '' : (risk.treatment ?? ''),
  );
  const [notes, setNotes] = useState(risk.notes);
  const [error, setError] = useState<unknown>(null);
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    const t =
      treatment === 'mitigate' || treatment === 'transfer' || treatment === 'avoid' ? treatment : null;
    api
      .updateRisk(risk.id, {
        owner,
        notes,
        ...(risk.treatment === 'accept' && t === null ? {} : { treatment: t }),
      })
      .then(onSaved)
      .catch(setError);
  };
  return (
    <form onSubmit={submit} className="card" aria-label={`Edit ${risk.title}`}>
      <h3>Owner and treatment</h3>
      <InputField label="Owner" value={owner} maxLength={200} onValue={setOwner} />
      <SelectField
        label="Treatment"
        value={treatment}
        choices={[
          { value: '', label: 'not decided' },
          { value: 'mitigate', label: 'mitigate' },
          { value: 'transfer', label: 'transfer' },
          { value: 'avoid', label: 'avoid' },
        ]}
        onValue={setTreatment}
      />
      <TextAreaField label="Notes" value={notes} rows={2} onValue={setNotes} />
      <ErrorNote error={error} />
      <button type="submit">Save</button>
    </form>
  );
}

function AcceptRisk({ risk, onSaved }: { risk: Risk; onSaved: () => void }) {
  const { api, user } = useSession();
  const [approver, setApprover] = useState(user.name);
  const [reason, setReason] = useState('');
  const [expires, setExpires] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    const expiresAt = endOfDayIso(expires);
    if (expiresAt === null) {
      setError(new Error('choose an expiry date'));
      return;
    }
    api.acceptRisk(risk.id, { approver, reason, expiresAt }).then(onSaved).catch(setError);
  };
  return (
    <form onSubmit={submit} className="card" aria-label={`Accept ${risk.title}`}>
      <h3>Accept the risk</h3>
      <p className="muted small">An acceptance expires: the risk reopens by itself on that date.</p>
      <InputField label="Approver" value={approver} required maxLength={200} onValue={setApprover} />
      <TextAreaField label="Reason" value={reason} required rows={2} onValue={setReason} />
      <InputField label="Expires on" type="date" value={expires} required onValue={setExpires} />
      <ErrorNote error={error} />
      <button type="submit">Accept risk</button>
    </form>
  );
}
