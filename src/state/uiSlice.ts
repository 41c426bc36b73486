/**
 * The store's part for how the page is viewed: panels, theme, dialogs, the timeline position
 * and short confirmations. Plugged into the one store (src/state/store.ts) as a slice; of it
 * only what the network view needs reaches the worker (readoutWish.ts).
 */
import type { StateCreator } from 'zustand';
import type { BackendSwitch } from './backendSwitch';

export type ThemeChoice = 'auto' | 'light' | 'dark';

/** Which argument density the heatmap overlays: all layers pooled, or one layer (0-based). */
export type DensityLayer = 'all' | number;

export interface UiFlags {
  showTest: boolean;
  logScale: boolean;
  theme: ThemeChoice;
  /** The system's colour scheme, which 'auto' follows (charts redraw when it changes). */
  systemDark: boolean;
  helpOpen: boolean;
  densityLayer: DensityLayer;
  /** Presentation mode: large type, high contrast, secondary panels hidden (key P). */
  present: boolean;
  /** The share and export dialog. */
  shareOpen: boolean;
  /** The timeline's chosen step (the frame nearest to it is shown); null = live. */
  timelineStep: number | null;
  /** While the animation is recorded: how far (0-1); null otherwise. */
  recording: number | null;
  /** One colour range for g across frames: 'auto' locks it while the timeline replays. */
  lockScale: 'auto' | 'on' | 'off';
  /** A short confirmation or problem shown for a few seconds ("Link copied"). */
  toast: { id: number; text: string } | null;
  /** The hidden unit picked in the network view (layer 0-based), whose arguments are marked on g. */
  selectedUnit: { layer: number; unit: number } | null;
  /** A backend switch under way, until the new backend runs (see backendSwitch.ts). */
  backendSwitch: BackendSwitch | null;
  /** The network view's panel is on screen (or nearly): the worker reads the view only then (readoutWish.ts). */
  networkOnScreen: boolean;
}

export interface UiSlice {
  ui: UiFlags;
  setUi(patch: Partial<UiFlags>): void;
}

/** The view as a page opens: test points shown, log-scale loss, the system's theme, live timeline. */
export const INITIAL_UI: UiFlags = Object.freeze({
  showTest: true,
  logScale: true,
  theme: 'auto',
  systemDark: false,
  helpOpen: false,
  densityLayer: 'all',
  present: false,
  shareOpen: false,
  timelineStep: null,
  recording: null,
  lockScale: 'auto',
  toast: null,
  selectedUnit: null,
  backendSwitch: null,
  networkOnScreen: false,
});

/** The ui slice (zustand's slice pattern). */
export const createUiSlice: StateCreator<UiSlice, [], [], UiSlice> = (set) => ({
  ui: INITIAL_UI,
  setUi(patch) {
    set((st) => ({ ui: { ...st.ui, ...patch } }));
  },
});
