import { useState } from 'react';
import { PERSONAS, type Persona } from '../api/schemas.js';
import { QuestionCard } from '../components/question-card.js';
import { ErrorNote, Field, Loading } from '../components/ui.js';
import { useLoad, useSession } from '../hooks.js';
import type { TabProps } from './system.js';

const PERSONA_LABELS: Readonly<Record<Persona, string>> = {
  all: 'everyone',
  security: 'security team',
  engineer: 'ML / platform engineers',
  data: 'data owners',
  risk: 'risk managers',
};

export function ChecklistTab({ systemId, version, onChanged }: TabProps) {
  const { api } = useSession();
  const [persona, setPersona] = useState<Persona>('all');
  const list = useLoad(
    () => api.checklist(systemId, persona),
    `checklist:${systemId}:${persona}:${String(version)}`,
  );
  const qs = list.data?.questions ?? [];
  const answered = qs.filter((q) => q.answer !== null && q.answer !== 'unanswered').length;
  return (
    <section aria-labelledby="checklist-title">
      <h2 id="checklist-title">Verification checklist</h2>
      <div className="toolbar">
        <Field label="Questions for">
          {(id) => (
            <select
              id={id}
              value={persona}
              onChange={(e) => {
                const p = PERSONAS.find((x) => x === e.target.value);
                if (p !== undefined) setPersona(p);
              }}
            >
              {PERSONAS.map((p) => (
                <option key={p} value={p}>
                  {PERSONA_LABELS[p]}
                </option>
              ))}
            </select>
          )}
        </Field>
        {list.data === null ? null : (
          <p className="muted">
            {answered} of {qs.length} answered, most valuable first
          </p>
        )}
      </div>
      {list.loading && list.data === null ? <Loading what="the checklist" /> : null}
      <ErrorNote error={list.error} />
      {list.data !== null && qs.length === 0 ? (
        <p>No question for this persona in the latest assessment.</p>
      ) : null}
      {qs.map((q) => (
        <QuestionCard key={q.id} question={q} systemId={systemId} onChanged={onChanged} />
      ))}
    </section>
  );
}
