/** A list of whole numbers typed as "8,8"; checked as you type, applied on Enter or leaving the field. */
import { useState } from 'react';
import type { IntListSpec } from '../../core/params';
import { parseNumberList } from '../../state/link';

/** The problem with a typed list, or null when it is valid for the spec. */
export function intListProblem(text: string, spec: IntListSpec): string | null {
  const list = parseNumberList(text);
  const count = spec.minLength === spec.maxLength ? `${spec.minLength}` : `${spec.minLength} to ${spec.maxLength}`;
  const rule = `${count} whole numbers from ${spec.min} to ${spec.max}, separated by commas`;
  if (list.length < spec.minLength || list.length > spec.maxLength) return `Use ${rule}.`;
  if (list.some((x) => !Number.isInteger(x) || x < spec.min || x > spec.max)) return `Use ${rule}.`;
  return null;
}

interface Props {
  id: string;
  spec: IntListSpec;
  value: number[];
  disabled: boolean;
  describedBy: string;
  onCommit: (value: number[]) => void;
}

export function IntListControl({ id, spec, value, disabled, describedBy, onCommit }: Props) {
  const [text, setText] = useState<string | null>(null);
  const shown = text ?? value.join(',');
  const problem = text === null ? null : intListProblem(text, spec);
  const errorId = `${id}-error`;

  const commit = () => {
    if (text === null) return;
    if (!problem) onCommit(parseNumberList(text));
    setText(null);
  };

  return (
    <div className="list-control">
      <input
        type="text"
        id={id}
        value={shown}
        disabled={disabled}
        inputMode="numeric"
        spellCheck={false}
        placeholder={spec.minLength === 0 ? 'empty = no hidden layer' : undefined}
        aria-invalid={problem !== null}
        aria-describedby={problem ? `${errorId} ${describedBy}` : describedBy}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') setText(null);
        }}
      />
      {problem && (
        <span className="field-error" id={errorId} role="status">
          {problem}
        </span>
      )}
    </div>
  );
}
