/**
 * What the share and export buttons do: copy the link or the embed code, export the heatmap
 * (PNG, SVG), the curves (CSV), the run (JSON) and the animation (WebM), and import a run file.
 * Everything reads the store at the moment of the click, so a button never holds stale data.
 */
import { errorMessage } from '../core/errorMessage';
import { encodeLink } from '../state/link';
import { appStore, selectMainSnapshot, selectReplayFrame, type AppState } from '../state/store';
import { curvesCsv, downloadBlob, embedSnippet, exportFileName, pageUrl } from '../state/exports';
import { RUN_FILE_MAX_BYTES, buildRunFile, pointsMissingFor, readRunFile, serializeRunFile, type ReadResult } from '../state/runFile';
import { selectCustomPoints } from '../state/dataSlice';
import { animationSupport, recordAnimation } from '../viz/animation';
import { heatmapPng, heatmapSvg, type HeatmapFigureInput } from '../viz/exportFigure';
import { readPlotTheme } from '../viz/plotTheme';

let nextToast = 1;

/** Shows a short message for a few seconds (the Toast component renders it). */
export function notify(text: string): void {
  appStore.getState().setUi({ toast: { id: nextToast++, text } });
}

/** The link of the current configuration. */
export function shareUrl(s: AppState = appStore.getState()): string {
  return pageUrl(encodeLink(s.params));
}

/** The embed link: the same configuration in the embed view (hidden panels do not apply there). */
export function embedUrl(s: AppState = appStore.getState()): string {
  return pageUrl(encodeLink({ ...s.params, embed: true, hide: [] }));
}

export function embedCode(s: AppState = appStore.getState()): string {
  return embedSnippet(embedUrl(s));
}

/**
 * Copies text: the Clipboard API where allowed; else the text in `field` is selected and copied
 * the old way; else it stays selected for Ctrl+C. Returns what happened, in words.
 */
export async function copyText(text: string, field: HTMLInputElement | HTMLTextAreaElement | null): Promise<string> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return 'Copied';
    }
  } catch {
    /* refused (permissions, insecure context): fall back below */
  }
  if (field) {
    field.focus();
    field.select();
    try {
      if (document.execCommand('copy')) return 'Copied';
    } catch {
      /* not supported */
    }
    return 'Selected: press Ctrl+C (⌘C on a Mac) to copy';
  }
  return 'Could not copy; select the text and copy it by hand';
}

/** The g shown right now (a timeline frame while replaying, else the live one), as a figure. */
export function shownFigure(s: AppState = appStore.getState()): HeatmapFigureInput | null {
  const frame = selectReplayFrame(s);
  if (frame)
    return {
      g: frame.g,
      density: frame.density,
      densityLayer: s.ui.densityLayer,
      step: frame.step,
      verdict: frame.analysis?.verdict ?? null,
    };
  const snap = selectMainSnapshot(s);
  if (!snap?.g) return null;
  return { g: snap.g, density: snap.density, densityLayer: s.ui.densityLayer, step: snap.step, verdict: snap.analysis?.verdict ?? null };
}

export const NO_HEATMAP = 'Only a two-argument model has a g(a, b) heatmap to export.';

export async function exportPng(): Promise<void> {
  const s = appStore.getState();
  const fig = shownFigure(s);
  if (!fig) return notify(NO_HEATMAP);
  try {
    downloadBlob(await heatmapPng(fig, readPlotTheme()), exportFileName(s.params, fig.step, 'g', 'png'));
  } catch (e) {
    notify(`The PNG could not be made: ${errorMessage(e)}`);
  }
}

export function exportSvg(): void {
  const s = appStore.getState();
  const fig = shownFigure(s);
  if (!fig) return notify(NO_HEATMAP);
  downloadBlob(new Blob([heatmapSvg(fig, readPlotTheme())], { type: 'image/svg+xml' }), exportFileName(s.params, fig.step, 'g', 'svg'));
}

export function exportCsv(): void {
  const s = appStore.getState();
  const snap = selectMainSnapshot(s);
  if (!snap || snap.history.length === 0) return notify('There are no curves yet.');
  downloadBlob(new Blob([curvesCsv(snap.history)], { type: 'text/csv' }), exportFileName(s.params, snap.step, 'curves', 'csv'));
}

export async function exportRunJson(): Promise<void> {
  try {
    const r = await appStore.getState().requestRunExport();
    const file = buildRunFile({
      params: r.params,
      link: pageUrl(encodeLink(r.params)),
      step: r.step,
      epoch: r.epoch,
      session: r.session,
      backend: r.backend,
      metrics: r.history,
      analysis: r.analysis,
      gWeights: r.gWeights,
    });
    downloadBlob(new Blob([serializeRunFile(file)], { type: 'application/json' }), exportFileName(r.params, r.step, 'run', 'json'));
  } catch (e) {
    notify(`The run could not be exported: ${errorMessage(e)}`);
  }
}

/** Why the animation cannot be recorded now, or null when it can. */
export function animationBlocker(s: AppState): string | null {
  const support = animationSupport();
  if (!support.ok) return support.reason;
  if (s.timeline.frames.length < 2) return 'The timeline has no frames yet: train for a while first.';
  return null;
}

export async function exportAnimation(): Promise<void> {
  const s = appStore.getState();
  if (s.ui.recording !== null) return;
  const support = animationSupport();
  if (!support.ok) return notify(support.reason);
  const frames = [...s.timeline.frames];
  if (frames.length < 2) return notify('The timeline has no frames yet: train for a while first.');
  const history = selectMainSnapshot(s)?.history ?? [];
  const set = (patch: Parameters<AppState['setUi']>[0]) => appStore.getState().setUi(patch);
  set({ recording: 0 });
  try {
    const blob = await recordAnimation(frames, history, {
      theme: readPlotTheme(),
      densityLayer: s.ui.densityLayer,
      mimeType: support.mimeType,
      // Locked unless switched off: the default during an export, as during a replay.
      lockScale: s.ui.lockScale !== 'off',
      onProgress: (f) => set({ recording: f }),
    });
    downloadBlob(blob, exportFileName(s.params, frames[frames.length - 1].step, 'emergence', 'webm'));
    notify('Animation saved');
  } catch (e) {
    notify(`The animation could not be recorded: ${errorMessage(e)}`);
  } finally {
    set({ recording: null });
  }
}

/** Reads, validates and (only when everything is valid) applies a run file. */
export async function importRunFile(file: File): Promise<ReadResult> {
  if (file.size > RUN_FILE_MAX_BYTES) return readRunFile('', file.size);
  let text: string;
  try {
    text = await file.text();
  } catch (e) {
    return { ok: false, errors: [`The file could not be read: ${errorMessage(e)}`] };
  }
  const result = readRunFile(text, file.size);
  if (!result.ok) return result;
  const missing = pointsMissingFor(result.file, selectCustomPoints(appStore.getState()).y.length);
  if (missing) return { ok: false, errors: [missing] };
  appStore.getState().importRun(result.file);
  return result;
}

/** F: fullscreen on and off. A refusal (an iframe without allow="fullscreen", a browser policy) is said, not thrown. */
export async function toggleFullscreen(): Promise<void> {
  try {
    if (document.fullscreenElement) {
      await document.exitFullscreen();
      return;
    }
    const root = document.documentElement;
    if (!document.fullscreenEnabled || typeof root.requestFullscreen !== 'function') {
      notify('Fullscreen is not available here (a page embedding this one must allow it).');
      return;
    }
    await root.requestFullscreen();
  } catch (e) {
    notify(`Fullscreen was refused: ${errorMessage(e)}`);
  }
}
