import { useState, type ReactNode } from 'react';
import { parseYuan } from '../../../core/money';
import type { FieldErrors } from './issues';

const yuanText = (fen: number): string => (Number.isFinite(fen) ? (fen / 100).toFixed(2) : '');

/** An amount typed in yuan, held in fen; an unreadable one is NaN, which the schema refuses. */
export function MoneyInput(props: {
  readonly label: string;
  readonly fen: number | undefined;
  readonly onChange: (fen: number | undefined) => void;
  readonly optional?: boolean;
  readonly error?: string | undefined;
}) {
  const [text, setText] = useState(props.fen === undefined ? '' : yuanText(props.fen));
  return (
    <Field label={props.label} error={props.error}>
      <input
        inputMode="decimal"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          if (props.optional && e.target.value.trim() === '') return props.onChange(undefined);
          const r = parseYuan(e.target.value);
          props.onChange(r.ok ? r.value : Number.NaN);
        }}
      />
    </Field>
  );
}

/** A whole number; empty is null where the field allows "no limit". */
export function CountInput(props: {
  readonly label: string;
  readonly value: number | null;
  readonly onChange: (n: number | null) => void;
  readonly nullable?: boolean;
  readonly error?: string | undefined;
}) {
  return (
    <Field label={props.label} error={props.error}>
      <input
        inputMode="numeric"
        value={props.value === null || Number.isNaN(props.value) ? '' : String(props.value)}
        onChange={(e) => {
          const text = e.target.value.trim();
          if (text === '') return props.onChange(props.nullable ? null : Number.NaN);
          props.onChange(/^\d+$/.test(text) ? Number(text) : Number.NaN);
        }}
      />
    </Field>
  );
}

/** A labelled control with its problem, in words, right under it. */
export function Field(props: {
  readonly label: string;
  readonly error?: string | undefined;
  readonly help?: string;
  readonly children: ReactNode;
}) {
  return (
    <label className={props.error ? 'field invalid' : 'field'}>
      <span className="label">{props.label}</span>
      {props.children}
      {props.help && !props.error && <span className="help">{props.help}</span>}
      {props.error && <span className="field-error">{props.error}</span>}
    </label>
  );
}

/** The error of a field path, or of any path under it. */
export function errorAt(errors: FieldErrors, path: string): string | undefined {
  const exact = errors.get(path);
  if (exact) return exact;
  for (const [p, message] of errors) if (p.startsWith(`${path}.`)) return message;
  return undefined;
}
