/**
 * The paper presets, one click each, at the top of the settings: the authors' MLP on digits or
 * Fashion-MNIST. A click sets the preset's params (seed, view and drawn points stay); which preset
 * the settings match is derived from the params, so editing one setting says "your own" at once.
 * The matched baselines' widths are shown for the preset's input size.
 */
import { useId } from 'react';
import { PRESETS, PRESET_NAMES, applyPreset, matchingPreset, presetModelSizes, type PresetName } from '../../core/presets';
import { appStore, useApp } from '../../state/store';
import { optionLabel } from '../optionLabels';
import './presets.css';

function choose(name: PresetName): void {
  const store = appStore.getState();
  // Any notes about the link stay: choosing a preset does not answer them.
  store.applyParams(applyPreset(store.params, name), store.corrections);
}

function PresetSizes({ name }: { name: PresetName }) {
  const sizes = presetModelSizes(name);
  return (
    <ul className="preset-sizes" data-testid="preset-sizes" aria-label="Parameter-matched models">
      {sizes.map((s) => (
        <li key={s.model}>
          {optionLabel('model', s.model)}: {s.hidden.join('·')} units, {s.params.toLocaleString('en-US')} parameters
        </li>
      ))}
    </ul>
  );
}

export function PresetPicker() {
  const current = useApp((s) => matchingPreset(s.params));
  const titleId = useId();
  return (
    <div className="presets" role="group" aria-labelledby={titleId} data-testid="presets">
      <span id={titleId} className="presets-title">
        Paper presets
      </span>
      <div className="preset-buttons">
        {PRESET_NAMES.map((name) => (
          <button
            key={name}
            type="button"
            className="btn btn-small"
            aria-pressed={current === name}
            title={PRESETS[name].description}
            data-testid={`preset-${name}`}
            onClick={() => choose(name)}
          >
            {PRESETS[name].label}
          </button>
        ))}
      </div>
      <p className="preset-state" data-testid="preset-state" aria-live="polite">
        {current ? (
          <>
            <strong>{PRESETS[current].label}</strong>: {PRESETS[current].description} Baselines matched in parameters for{' '}
            {PRESETS[current].inputSize} inputs (switch with Model below):
          </>
        ) : (
          'Your own settings. A preset sets the paper’s model, Session I and training (seed, backend and view stay).'
        )}
      </p>
      {current && <PresetSizes name={current} />}
    </div>
  );
}
