/** Every parameter control, generated from the schema and grouped by spec.group. */
import { PARAM_KEYS, PARAM_SPECS, type ParamGroup } from '../../core/params';
import { useApp } from '../../state/store';
import { DataTools } from '../data/DataTools';
import { PresetPicker } from '../presets/PresetPicker';
import { ParamControl } from './ParamControl';

const GROUPS: { group: Exclude<ParamGroup, 'view'>; title: string }[] = [
  { group: 'data', title: 'Data' },
  { group: 'model', title: 'Model' },
  { group: 'training', title: 'Training' },
];

export function Controls() {
  const hidden = useApp((s) => s.params.hide);
  return (
    <div className="controls">
      {GROUPS.filter(({ group }) => !hidden.includes(group)).map(({ group, title }) => (
        <fieldset key={group} className="panel control-group" data-group={group}>
          <legend>{title}</legend>
          {group === 'data' && <PresetPicker />}
          {PARAM_KEYS.filter((k) => PARAM_SPECS[k].group === group).map((k) => (
            <ParamControl key={k} name={k} />
          ))}
          {group === 'data' && <DataTools />}
        </fieldset>
      ))}
    </div>
  );
}
