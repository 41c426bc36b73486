/** Cycles the colour theme: auto (follow the system) -> light -> dark. */
import { appStore, useApp } from '../state/store';
import type { ThemeChoice } from '../state/uiSlice';
import { AutoIcon, MoonIcon, SunIcon } from './icons';

const NEXT: Record<ThemeChoice, ThemeChoice> = { auto: 'light', light: 'dark', dark: 'auto' };

export function ThemeToggle() {
  const theme = useApp((s) => s.ui.theme);
  const label = `Theme: ${theme}. Switch to ${NEXT[theme]}`;
  return (
    <button type="button" className="icon-button" aria-label={label} title={label} onClick={() => appStore.getState().setUi({ theme: NEXT[theme] })}>
      {theme === 'light' ? <SunIcon /> : theme === 'dark' ? <MoonIcon /> : <AutoIcon />}
    </button>
  );
}
