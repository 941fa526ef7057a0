import {
  useEffect,
  useId,
  useRef,
  type InputHTMLAttributes,
  type ReactNode,
  type TextareaHTMLAttributes,
} from 'react';
import type { RiskLevel } from '../api/schemas.js';
import { ApiFailure } from '../api/http.js';
import { levelClass, levelLabel } from '../lib/format.js';
import { polyline, scalePoints } from '../lib/chart.js';

export function LevelBadge({ level }: { level: RiskLevel | null | undefined }) {
  return <span className={`badge ${levelClass(level)}`}>{levelLabel(level)}</span>;
}

export function ErrorNote({ error }: { error: unknown }) {
  if (error === null || error === undefined) return null;
  const message =
    error instanceof ApiFailure
      ? `${error.message}${error.status > 0 ? ` (${String(error.status)} ${error.code})` : ''}`
      : error instanceof Error
        ? error.message
        : 'something went wrong';
  return (
    <p className="error" role="alert">
      {message}
    </p>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status">
      Loading {what}…
    </p>
  );
}

/** A labelled form control: the render function puts the label's id on its input. */
export function Field({
  label,
  hint,
  children,
}: {
  label: string;
  hint?: string;
  children: (id: string) => ReactNode;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id)}
      {hint === undefined ? null : <small className="muted">{hint}</small>}
    </div>
  );
}

/** A Field whose control is a one-line input holding a string. */
export function InputField({
  label,
  hint,
  value,
  onValue,
  ...input
}: {
  label: string;
  hint?: string;
  value: string;
  onValue: (value: string) => void;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange'>) {
  return (
    <Field label={label} {...(hint === undefined ? {} : { hint })}>
      {(id) => (
        <input
          {...input}
          id={id}
          value={value}
          onChange={(e) => {
            onValue(e.target.value);
          }}
        />
      )}
    </Field>
  );
}

/** A Field whose control is a textarea holding a string. */
export function TextAreaField({
  label,
  value,
  onValue,
  ...textarea
}: {
  label: string;
  value: string;
  onValue: (value: string) => void;
} & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'value' | 'onChange'>) {
  return (
    <Field label={label}>
      {(id) => (
        <textarea
          {...textarea}
          id={id}
          value={value}
          onChange={(e) => {
            onValue(e.target.value);
          }}
        />
      )}
    </Field>
  );
}

/** One option of a SelectField: a string stands for itself. */
export type Choice = string | { value: string; label: string };

/** A Field whose control is a select of these choices; `onValue` gets the chosen value as it stands. */
export function SelectField({
  label,
  value,
  choices,
  onValue,
}: {
  label: string;
  value: string;
  choices: readonly Choice[];
  onValue: (value: string) => void;
}) {
  return (
    <Field label={label}>
      {(id) => (
        <select
          id={id}
          value={value}
          onChange={(e) => {
            onValue(e.target.value);
          }}
        >
          {choices.map((c) => {
            const { value: v, label: l } = typeof c === 'string' ? { value: c, label: c } : c;
            return (
              <option key={v} value={v}>
                {l}
              </option>
            );
          })}
        </select>
      )}
    </Field>
  );
}

/** Residual score over time, small, for tables (a line, the last point marked). */
export function Sparkline({ values, label }: { values: readonly number[]; label: string }) {
  const w = 96;
  const h = 24;
  const pts = scalePoints(values, w, h, 3, 25);
  const last = pts[pts.length - 1];
  return (
    <svg
      className="sparkline"
      width={w}
      height={h}
      viewBox={`0 0 ${String(w)} ${String(h)}`}
      role="img"
      aria-label={label}
    >
      {pts.length > 1 ? <polyline points={polyline(pts)} fill="none" className="spark-line" /> : null}
      {last === undefined ? null : <circle cx={last.x} cy={last.y} r={2.5} className="spark-dot" />}
    </svg>
  );
}

/** Coverage 0..1 as a bar (SVG, no inline style) with the percentage as text. */
export function CoverageBar({ value }: { value: number | null }) {
  const w = 80;
  return (
    <span className="coverage">
      <svg width={w} height={10} viewBox={`0 0 ${String(w)} 10`} aria-hidden="true">
        <rect x={0} y={0} width={w} height={10} className="bar-bg" rx={2} />
        {value === null ? null : (
          <rect x={0} y={0} width={Math.round(value * w)} height={10} className="bar-fg" rx={2} />
        )}
      </svg>
      <span>{value === null ? '—' : `${String(Math.round(value * 100))} %`}</span>
    </span>
  );
}

/** A side panel that traps nothing but takes focus on open and closes on Escape. */
export function Drawer({
  title,
  onClose,
  children,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLElement>(null);
  const headingId = useId();
  useEffect(() => {
    ref.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, [onClose]);
  return (
    <aside
      className="drawer"
      ref={ref}
      tabIndex={-1}
      role="dialog"
      aria-modal="false"
      aria-labelledby={headingId}
    >
      <header className="drawer-head">
        <h2 id={headingId}>{title}</h2>
        <button type="button" className="secondary" onClick={onClose}>
          Close
        </button>
      </header>
      <div className="drawer-body">{children}</div>
    </aside>
  );
}
