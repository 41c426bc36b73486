/**
 * Applies the theme choice to <html data-theme>, where the CSS variables switch. 'auto' removes
 * the attribute so prefers-color-scheme decides. The choice is remembered in localStorage.
 */
import { useEffect } from 'react';
import { appStore, useApp } from '../state/store';
import type { ThemeChoice } from '../state/uiSlice';

const STORAGE_KEY = 'soft-xor-playground.theme';

export function loadThemeChoice(): ThemeChoice {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return v === 'light' || v === 'dark' ? v : 'auto';
  } catch {
    return 'auto'; // storage blocked (privacy mode, sandboxed iframe)
  }
}

export function useTheme(): void {
  const theme = useApp((s) => s.ui.theme);

  // Follow the system scheme (for 'auto'); charts read it from the store to redraw.
  useEffect(() => {
    const query = window.matchMedia?.('(prefers-color-scheme: dark)');
    if (!query) return;
    const update = () => appStore.getState().setUi({ systemDark: query.matches });
    update();
    query.addEventListener('change', update);
    return () => query.removeEventListener('change', update);
  }, []);

  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'auto') delete root.dataset.theme;
    else root.dataset.theme = theme;
    try {
      if (theme === 'auto') localStorage.removeItem(STORAGE_KEY);
      else localStorage.setItem(STORAGE_KEY, theme);
    } catch {
      /* not remembered; still applied */
    }
  }, [theme]);
}
