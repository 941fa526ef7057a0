import { useState, type SyntheticEvent } from 'react';
import { links } from '../api/endpoints.js';
import { ANSWERS, type Answer, type Question, type RunSummary } from '../api/schemas.js';
import { ConfirmButton } from './confirm-button.js';
import { useCan, useSession } from '../hooks.js';
import { bytes, dateOnly, dateTime, endOfDayIso } from '../lib/format.js';
import { ErrorNote, Field } from './ui.js';

const isAnswer = (s: string | null): s is Answer => s !== null && (ANSWERS as readonly string[]).includes(s);

/** One verification question: its answer (editable by who may), evidence and the form to attach more. */
export function QuestionCard({
  question,
  systemId,
  onChanged,
}: {
  question: Question;
  systemId: string;
  onChanged: (run?: RunSummary) => void;
}) {
  const { api } = useSession();
  const canAnswer = useCan('answers:write');
  const canEvidence = useCan('evidence:write');
  const [answer, setAnswer] = useState<Answer | ''>(isAnswer(question.answer) ? question.answer : '');
  const [note, setNote] = useState(question.note ?? '');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);

  const save = (e: SyntheticEvent) => {
    e.preventDefault();
    if (answer === '') return;
    setBusy(true);
    setError(null);
    setSaved(false);
    api
      .answer(systemId, question.id, answer, note)
      .then((r) => {
        setSaved(true);
        onChanged(r.run ?? undefined);
      })
      .catch(setError)
      .finally(() => {
        setBusy(false);
      });
  };

  return (
    <article className="question card" data-question={question.id} aria-labelledby={`q-${question.id}`}>
      <h4 id={`q-${question.id}`}>{question.text}</h4>
      <p className="muted small">
        {question.id} · for {question.persona}
        {question.answeredAt === null || question.answeredAt === undefined
          ? ''
          : ` · answered ${dateTime(question.answeredAt)}${question.answeredBy === null || question.answeredBy === undefined ? '' : ` by ${question.answeredBy}`}`}
        {question.verified === false
          ? ' · not verified: needs evidence'
          : question.verified === true
            ? ' · verified'
            : ''}
      </p>
      {question.why === undefined || question.why === '' ? null : <p className="small">{question.why}</p>}
      {canAnswer ? (
        <form onSubmit={save} className="inline-form">
          <Field label="Answer">
            {(id) => (
              <select
                id={id}
                value={answer}
                onChange={(e) => {
                  setAnswer(isAnswer(e.target.value) ? e.target.value : '');
                }}
                required
              >
                <option value="">— choose —</option>
                {ANSWERS.map((a) => (
                  <option key={a} value={a}>
                    {a}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Note">
            {(id) => (
              <input
                id={id}
                value={note}
                maxLength={20000}
                onChange={(e) => {
                  setNote(e.target.value);
                }}
              />
            )}
          </Field>
          <button type="submit" disabled={busy || answer === ''}>
            Save answer
          </button>
          {saved ? (
            <span className="ok" role="status">
              Saved
            </span>
          ) : null}
        </form>
      ) : (
        <p>
          Answer: <strong>{question.answer ?? 'unanswered'}</strong>
          {question.note === null || question.note === undefined || question.note === ''
            ? null
            : ` — ${question.note}`}
        </p>
      )}
      <ErrorNote error={error} />
      <EvidenceList question={question} canDelete={canEvidence} onChanged={onChanged} />
      {canEvidence ? (
        <AddEvidence systemId={systemId} questionId={question.id} onChanged={onChanged} />
      ) : null}
    </article>
  );
}

function EvidenceList({
  question,
  canDelete,
  onChanged,
}: {
  question: Question;
  canDelete: boolean;
  onChanged: (run?: RunSummary) => void;
}) {
  const { api } = useSession();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [removed, setRemoved] = useState('');
  const remove = (evidenceId: string, title: string) => {
    setBusy(true);
    setError(null);
    api
      .deleteEvidence(evidenceId)
      .then((r) => {
        setRemoved(`Deleted “${title}”`);
        onChanged(r.run ?? undefined);
      })
      .catch(setError)
      .finally(() => {
        setBusy(false);
      });
  };
  const status =
    removed === '' ? null : (
      <p className="ok small" role="status">
        {removed}
      </p>
    );
  if (question.evidence.length === 0)
    return (
      <>
        {status}
        <p className="muted small">No evidence attached.</p>
      </>
    );
  return (
    <>
      {status}
      <ErrorNote error={error} />
      <ul className="plain evidence">
        {question.evidence.map((ev) => (
          <li key={ev.id} className={ev.expired ? 'expired' : ''}>
            {ev.kind === 'link' && ev.url !== null ? (
              <a href={ev.url} rel="noopener noreferrer" target="_blank">
                {ev.title}
              </a>
            ) : (
              <a href={links.evidence(ev.id)} download>
                {ev.title}
              </a>
            )}{' '}
            <span className="muted small">
              {ev.kind}
              {ev.file === null
                ? ''
                : ` · ${ev.file.name} · ${bytes(ev.file.size)} · sha256 ${ev.file.sha256.slice(0, 12)}…`}
              {ev.expiresAt === null
                ? ''
                : ` · ${ev.expired ? 'expired' : 'expires'} ${dateOnly(ev.expiresAt)}`}
            </span>
            {canDelete ? (
              <>
                {' '}
                <ConfirmButton
                  label="Delete"
                  name={`Delete evidence ${ev.title}`}
                  question={`Delete “${ev.title}”? The answer loses this evidence.`}
                  confirmLabel={`Delete ${ev.title}`}
                  disabled={busy}
                  onConfirm={() => {
                    remove(ev.id, ev.title);
                  }}
                />
              </>
            ) : null}
          </li>
        ))}
      </ul>
    </>
  );
}

function AddEvidence({
  systemId,
  questionId,
  onChanged,
}: {
  systemId: string;
  questionId: string;
  onChanged: (run?: RunSummary) => void;
}) {
  const { api } = useSession();
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState<'link' | 'file'>('link');
  const [title, setTitle] = useState('');
  const [url, setUrl] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [expires, setExpires] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  if (!open) {
    return (
      <button
        type="button"
        className="secondary"
        onClick={() => {
          setOpen(true);
        }}
      >
        Attach evidence
      </button>
    );
  }
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    const expiresAt = expires === '' ? null : endOfDayIso(expires);
    setBusy(true);
    setError(null);
    const done =
      kind === 'link'
        ? api.addLink(systemId, { title, url, questionId, expiresAt })
        : file === null
          ? Promise.reject(new Error('choose a file'))
          : api.addFile(systemId, file, {
              title,
              fileName: file.name,
              questionId,
              ...(expiresAt === null ? {} : { expiresAt }),
            });
    done
      .then(() => {
        setOpen(false);
        setTitle('');
        setUrl('');
        setFile(null);
        onChanged();
      })
      .catch(setError)
      .finally(() => {
        setBusy(false);
      });
  };
  return (
    <form onSubmit={submit} className="evidence-form" aria-label={`Attach evidence to ${questionId}`}>
      <fieldset className="toggle">
        <legend>Evidence</legend>
        <label>
          <input
            type="radio"
            name={`kind-${questionId}`}
            checked={kind === 'link'}
            onChange={() => {
              setKind('link');
            }}
          />{' '}
          link
        </label>
        <label>
          <input
            type="radio"
            name={`kind-${questionId}`}
            checked={kind === 'file'}
            onChange={() => {
              setKind('file');
            }}
          />{' '}
          file
        </label>
      </fieldset>
      <Field label="Title">
        {(id) => (
          <input
            id={id}
            value={title}
            onChange={(e) => {
              setTitle(e.target.value);
            }}
            required
            maxLength={200}
          />
        )}
      </Field>
      {kind === 'link' ? (
        <Field label="URL">
          {(id) => (
            <input
              id={id}
              type="url"
              value={url}
              onChange={(e) => {
                setUrl(e.target.value);
              }}
              required
              placeholder="https://…"
            />
          )}
        </Field>
      ) : (
        <Field label="File" hint="stored with its SHA-256, at most 25 MiB">
          {(id) => (
            <input
              id={id}
              type="file"
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
              }}
              required
            />
          )}
        </Field>
      )}
      <Field label="Expires (optional)">
        {(id) => (
          <input
            id={id}
            type="date"
            value={expires}
            onChange={(e) => {
              setExpires(e.target.value);
            }}
          />
        )}
      </Field>
      <ErrorNote error={error} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          Attach
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            setOpen(false);
          }}
        >
          Cancel
        </button>
      </div>
    </form>
  );
}
