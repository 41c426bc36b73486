/**
 * A number parameter: slider (log scale when the spec says so) plus a typed field. Settings
 * that rebuild the model are committed when the slider rests (after a short pause), not on
 * every pixel of a drag; live settings (learning rate...) apply at once.
 */
import { useEffect, useRef, useState } from 'react';
import type { NumberSpec } from '../../core/params';
import { parseNumber } from '../../core/parseNumber';
import { hasSlider, sliderScale } from './sliderScale';

const REBUILD_SETTLE_MS = 300;

function display(v: number, spec: NumberSpec): string {
  if (spec.integer) return String(v);
  return String(Number(v.toPrecision(4)));
}

interface Props {
  id: string;
  spec: NumberSpec;
  value: number;
  disabled: boolean;
  describedBy: string;
  onCommit: (value: number) => void;
}

export function NumberControl({ id, spec, value, disabled, describedBy, onCommit }: Props) {
  const scale = sliderScale(spec);
  const [draft, setDraft] = useState<number | null>(null);
  const [text, setText] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const shown = draft ?? value;

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const commitSoon = (v: number) => {
    setDraft(v);
    if (timer.current) clearTimeout(timer.current);
    const done = () => {
      timer.current = null;
      onCommit(v);
      setDraft(null);
    };
    if (spec.live) done();
    else timer.current = setTimeout(done, REBUILD_SETTLE_MS);
  };

  const parsed = text === null ? value : parseNumber(text);
  const invalid = text !== null && !Number.isFinite(parsed);
  const outOfRange = text !== null && Number.isFinite(parsed) && (parsed < spec.min || parsed > spec.max);
  const errorId = `${id}-error`;

  const commitText = () => {
    if (text === null) return;
    if (!invalid) onCommit(parsed); // sanitised (clamped, rounded) by the store
    setText(null);
  };

  return (
    <div className="number-control">
      {hasSlider(spec) && (
        <input
          type="range"
          id={id}
          min={scale.min}
          max={scale.max}
          step={scale.step}
          value={scale.toPosition(shown)}
          disabled={disabled}
          aria-describedby={describedBy}
          aria-valuetext={display(shown, spec)}
          onChange={(e) => commitSoon(scale.valueAt(Number(e.target.value), shown))}
        />
      )}
      <input
        type="text"
        inputMode="decimal"
        className="number-field"
        id={hasSlider(spec) ? `${id}-text` : id}
        aria-label={hasSlider(spec) ? `${spec.label} value` : undefined}
        aria-invalid={invalid || outOfRange}
        aria-describedby={invalid || outOfRange ? `${errorId} ${describedBy}` : describedBy}
        value={text ?? display(shown, spec)}
        disabled={disabled}
        spellCheck={false}
        onChange={(e) => setText(e.target.value)}
        onBlur={commitText}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commitText();
          if (e.key === 'Escape') setText(null);
        }}
      />
      {(invalid || outOfRange) && (
        <span className="field-error" id={errorId} role="status">
          {invalid ? 'Not a number.' : `Allowed: ${spec.min} to ${spec.max}; will be clamped.`}
        </span>
      )}
    </div>
  );
}
