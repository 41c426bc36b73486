/**
 * The colour theme: one click always flips what is seen (light <-> dark, from whatever shows now,
 * the system's choice included); "auto" (follow the system) stays one choice away in a small menu.
 */
import { appStore, useApp } from '../state/store';
import type { ThemeChoice } from '../state/uiSlice';
import { AutoIcon, MoonIcon, SunIcon } from './icons';

const CHOICES: { value: ThemeChoice; label: string }[] = [
  { value: 'auto', label: 'Auto (system)' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

export function ThemeToggle() {
  const theme = useApp((s) => s.ui.theme);
  const systemDark = useApp((s) => s.ui.systemDark);
  const dark = theme === 'dark' || (theme === 'auto' && systemDark);
  const label = dark ? 'Switch to the light theme' : 'Switch to the dark theme';
  return (
    <span className="theme-toggle">
      <button
        type="button"
        className="icon-button"
        data-testid="theme-toggle"
        aria-label={label}
        title={label}
        onClick={() => appStore.getState().setUi({ theme: dark ? 'light' : 'dark' })}
      >
        {theme === 'auto' ? <AutoIcon /> : dark ? <MoonIcon /> : <SunIcon />}
      </button>
      <select
        className="theme-menu"
        data-testid="theme-menu"
        aria-label="Theme"
        title="Theme: auto follows the system"
        value={theme}
        onChange={(e) => appStore.getState().setUi({ theme: e.target.value as ThemeChoice })}
      >
        {CHOICES.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </span>
  );
}
