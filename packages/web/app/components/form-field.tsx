import { useId, type InputHTMLAttributes, type ReactNode } from 'react';
import { PASSWORD_MAX } from '../lib/admin-forms.js';

/** Props a control gets from FormField: its id, and the description/error wiring for screen readers. */
export interface ControlProps {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: boolean;
}

/** A labelled control with an optional hint and the error the server (or the form) gave for it. */
export function FormField({
  label,
  hint,
  error,
  children,
}: {
  label: string;
  hint?: string | undefined;
  error?: string | null | undefined;
  children: (props: ControlProps) => ReactNode;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const hasError = error !== null && error !== undefined && error !== '';
  const describedBy = [hint === undefined ? null : hintId, hasError ? errorId : null]
    .filter((x) => x !== null)
    .join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        ...(describedBy === '' ? {} : { 'aria-describedby': describedBy }),
        ...(hasError ? { 'aria-invalid': true } : {}),
      })}
      {hint === undefined ? null : (
        <small id={hintId} className="muted">
          {hint}
        </small>
      )}
      {hasError ? (
        <small id={errorId} className="error field-error" role="alert">
          {error}
        </small>
      ) : null}
    </div>
  );
}

/** The general error of a form (what belongs to no single field). */
export function FormError({ message }: { message: string | null }) {
  if (message === null) return null;
  return (
    <p className="error" role="alert">
      {message}
    </p>
  );
}

/** What an input may carry besides what the field wires itself (id, value, change, aria wiring). */
export type InputAttributes = Omit<
  InputHTMLAttributes<HTMLInputElement>,
  'id' | 'value' | 'onChange' | 'aria-describedby' | 'aria-invalid'
>;

interface TextFieldProps {
  label: string;
  hint?: string | undefined;
  error?: string | null | undefined;
  value: string;
  onValue: (value: string) => void;
}

/** A FormField whose control is a one-line input holding a string. */
export function TextField({
  label,
  hint,
  error,
  value,
  onValue,
  ...input
}: TextFieldProps & InputAttributes) {
  return (
    <FormField label={label} hint={hint} error={error}>
      {(p) => (
        <input
          {...input}
          {...p}
          value={value}
          onChange={(e) => {
            onValue(e.target.value);
          }}
        />
      )}
    </FormField>
  );
}

/** A password of at most PASSWORD_MAX characters, as a FormField. */
export function PasswordField(props: TextFieldProps & { autoComplete: 'current-password' | 'new-password' }) {
  return <TextField {...props} type="password" maxLength={PASSWORD_MAX} />;
}

/** A form's submit button (disabled while busy) and, after success, what it did as a status message. */
export function SubmitRow({ label, busy, status }: { label: string; busy: boolean; status: string | null }) {
  return (
    <div className="actions">
      <button type="submit" disabled={busy}>
        {label}
      </button>
      {status === null ? null : (
        <span className="ok" role="status">
          {status}
        </span>
      )}
    </div>
  );
}
