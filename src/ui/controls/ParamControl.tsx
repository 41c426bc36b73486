/**
 * One control generated from one spec of the parameter schema: enum -> select, number ->
 * slider + field, bool -> switch, intList -> text field. Label, help text and limits all come
 * from the spec, so adding a parameter to src/core/params.ts adds its control here.
 */
import { useId } from 'react';
import { PARAM_SPECS, type Params } from '../../core/params';
import { appStore, useApp } from '../../state/store';
import { optionLabel } from '../optionLabels';
import { whyInactive } from '../relevance';
import { HelpTip } from './HelpTip';
import { IntListControl } from './IntListControl';
import { NumberControl } from './NumberControl';

export function ParamControl({ name }: { name: keyof Params }) {
  const spec = PARAM_SPECS[name];
  const value = useApp((s) => s.params[name]);
  const inactive = useApp((s) => whyInactive(name, s.params));
  const uid = useId();
  const id = `param-${name}-${uid}`;
  const helpId = `${id}-help`;
  const set = <K extends keyof Params>(key: K, v: Params[K]) => appStore.getState().setParam(key, v);
  const disabled = inactive !== null;

  let field: React.ReactNode = null;
  switch (spec.kind) {
    case 'enum':
      field = (
        <select
          id={id}
          value={value as string}
          disabled={disabled}
          aria-describedby={helpId}
          onChange={(e) => set(name, e.target.value as never)}
        >
          {spec.groups
            ? spec.groups.map((g) => (
                <optgroup key={g.label} label={g.label}>
                  {g.options.map((o) => (
                    <option key={o} value={o}>
                      {optionLabel(name, o)}
                    </option>
                  ))}
                </optgroup>
              ))
            : spec.options.map((o) => (
                <option key={o} value={o}>
                  {optionLabel(name, o)}
                </option>
              ))}
        </select>
      );
      break;
    case 'number':
      field = (
        <NumberControl
          id={id}
          spec={spec}
          value={value as number}
          disabled={disabled}
          describedBy={helpId}
          onCommit={(v) => set(name, v as never)}
        />
      );
      break;
    case 'bool':
      field = (
        <span className="switch">
          <input
            type="checkbox"
            id={id}
            checked={value as boolean}
            disabled={disabled}
            aria-describedby={helpId}
            onChange={(e) => set(name, e.target.checked as never)}
          />
        </span>
      );
      break;
    case 'intList':
      field = (
        <IntListControl
          id={id}
          spec={spec}
          value={value as number[]}
          disabled={disabled}
          describedBy={helpId}
          onCommit={(v) => set(name, v as never)}
        />
      );
      break;
    case 'nameList':
      return null; // set by the link only (which panels to hide)
    case 'points':
      return null; // set by drawing on the plane or uploading a CSV (src/ui/data)
  }

  return (
    <div className={`control control-${spec.kind}${disabled ? ' inactive' : ''}`} data-param={name}>
      <div className="control-label">
        <label htmlFor={id}>
          {spec.label}
          {spec.live && (
            <span className="live-tag" title="Applies immediately, without a reset">
              live
            </span>
          )}
        </label>
        <HelpTip id={helpId} label={spec.label} text={inactive ? `${spec.help} (${inactive})` : spec.help} />
      </div>
      {field}
    </div>
  );
}
