/**
 * Entry point: read the link, start the training worker (and compare mode's pool), the crash saves,
 * the address-bar sync, render.
 * Order matters: params from the link are in the store before the worker's `init` is sent.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { decodeLink } from './state/link';
import { appStore, selectMainSnapshot } from './state/store';
import { watchBackendSwitch } from './state/backendSwitch';
import { startUrlSync } from './state/urlSync';
import { connectWorker } from './state/workerClient';
import { startCrashSaves } from './state/crashSave';
import { connectComparePool } from './state/compareClient';
import { isCompareMode } from './core/compare/plan';
import { App } from './ui/App';
import { loadThemeChoice } from './ui/useTheme';
import './ui/styles.css';

const { params, corrections } = decodeLink(window.location.hash);
appStore.getState().applyParams(params, corrections);
appStore.getState().setUi({ theme: loadThemeChoice() });

connectWorker(appStore);
// After the link's params: a run this link describes, lost with a crashed page, is offered back.
startCrashSaves(appStore);
// A compare link opens straight into compare mode: the pool starts here, the main run stays paused.
connectComparePool(appStore);
startUrlSync(appStore);
watchBackendSwitch(appStore, selectMainSnapshot);
if (params.autoplay) {
  if (isCompareMode(params)) appStore.getState().comparePlay();
  else appStore.getState().play();
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
