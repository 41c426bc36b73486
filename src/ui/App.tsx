/**
 * The page: header, run controls, status and a one-line prompt, notices, then three columns
 * (settings, scrolling on their own; the learned activation, the decision surface and the
 * explanation; the verdict and the loss), laid out so g, the loss and the verdict share a screen. The link's
 * `embed` shows only the activation, the loss and a play button; `hide` removes named panels.
 */
import type { ReactNode } from 'react';
import { appStore, useApp } from '../state/store';
import { DecisionSurface } from './data/DecisionSurface';
import { GHeatmap } from '../viz/GHeatmap';
import { LossChart } from '../viz/LossChart';
import { Controls } from './controls/Controls';
import { ExplainPanel } from './ExplainPanel';
import { KeyboardIcon } from './icons';
import { LossReadouts } from './LossReadouts';
import { NetworkPanel } from './network/NetworkPanel';
import { Notices } from './Notices';
import { PlayButton, PlayControls, ResetButton } from './PlayControls';
import { PlayPrompt } from './PlayPrompt';
import { MainRobustnessPanel } from './RobustnessPanel';
import { SessionThreeStory } from './SessionThreeStory';
import { ShortcutsHelp } from './ShortcutsHelp';
import { StatusBar } from './StatusBar';
import { ThemeToggle } from './ThemeToggle';
import { VerdictPanel, VerdictWord } from './VerdictPanel';
import { useKeyboardShortcuts } from './useKeyboardShortcuts';
import { FullscreenButton, PresentButton, Toast, usePresentation } from './PresentControls';
import { ShareButton, ShareDialog } from './ShareDialog';
import { Timeline } from './Timeline';
import { useTheme } from './useTheme';
import { CompareModeSwitch, ComparePlayControls, ComparePrompt, CompareStatusBar, inCompareMode } from './compare/CompareControls';
import { CompareView } from './compare/CompareView';

function Panel({ name, children, className = '', id }: { name: string; children: ReactNode; className?: string; id?: string }) {
  return (
    <section className={`panel ${className}`} data-panel={name} id={id} tabIndex={id ? -1 : undefined}>
      {children}
    </section>
  );
}

function EmbedView() {
  const step = useApp((s) => s.runs.main?.snapshot?.step ?? 0);
  return (
    <main className="embed" aria-label="Soft-XOR Playground, embedded">
      <div className="embed-bar" role="group" aria-label="Training">
        <PlayButton />
        <ResetButton />
        <VerdictWord />
        <span className="embed-step">
          step <span data-testid="step-count">{step}</span>
        </span>
        <span className="embed-title">Soft-XOR Playground</span>
      </div>
      <div className="embed-grid">
        <Panel name="activation" className="embed-panel">
          <GHeatmap />
        </Panel>
        <Panel name="curves" className="embed-panel">
          <LossChart compact />
        </Panel>
      </div>
      <Notices />
    </main>
  );
}

function FullView() {
  const hide = useApp((s) => s.params.hide);
  const present = useApp((s) => s.ui.present);
  const compare = useApp(inCompareMode);
  // Presentation mode keeps what the audience watches (g, its verdict, the loss) and fits it to
  // the screen: the settings, the explanation and the decision surface step aside.
  const secondary = ['data', 'model', 'training', 'explain', 'decision', 'robustness', 'network'];
  const shown = (name: string) => !hide.includes(name) && !(present && secondary.includes(name));
  const anyControls = shown('data') || shown('model') || shown('training');
  return (
    <div className="app">
      <a className="skip-link" href="#picture">
        Skip to the picture
      </a>
      <header className="app-header">
        <div className="brand">
          <svg className="logo" viewBox="0 0 32 32" aria-hidden="true">
            <defs>
              <linearGradient id="logo-grad" x1="0" y1="0" x2="1" y2="1">
                <stop offset="0" stopColor="#2166ac" />
                <stop offset="0.5" stopColor="#f7f7f7" />
                <stop offset="1" stopColor="#b2182b" />
              </linearGradient>
            </defs>
            <rect width="32" height="32" rx="8" fill="url(#logo-grad)" />
            <path d="M7 7 L25 25 M25 7 L7 25" stroke="#1d2330" strokeWidth="2.4" strokeLinecap="round" opacity="0.7" />
          </svg>
          <div>
            <h1>Soft-XOR Playground</h1>
            <p className="tagline" title="Neurons with two dendrites learn their own activation, live in your browser.">
              Neurons with two dendrites learn their own activation, live in your browser.
            </p>
          </div>
        </div>
        <div className="header-actions">
          <CompareModeSwitch />
          {shown('explain') && (
            <a className="btn btn-small explain-link" href="#explain" data-testid="explain-link">
              What am I looking at?
            </a>
          )}
          {shown('explain') && (
            <a className="btn btn-small" href="./experiments.html" data-testid="experiments-link">
              Experiments
            </a>
          )}
          <ShareButton />
          <PresentButton />
          <FullscreenButton />
          <button
            type="button"
            className="icon-button"
            aria-label="Keyboard shortcuts (?)"
            title="Keyboard shortcuts (?)"
            onClick={() => appStore.getState().setUi({ helpOpen: true })}
          >
            <KeyboardIcon />
          </button>
          <ThemeToggle />
        </div>
      </header>

      <section className="toolbar panel" aria-label="Run controls">
        {compare ? <ComparePlayControls /> : <PlayControls />}
        {compare ? <CompareStatusBar /> : <StatusBar />}
        {compare ? <ComparePrompt /> : <PlayPrompt />}
      </section>

      <Notices />

      <main className={`${anyControls ? 'layout' : 'layout no-controls'}${compare ? ' compare-layout' : ''}`}>
        {anyControls && (
          <aside className="col-controls" aria-label="Settings">
            <Controls />
          </aside>
        )}
        {compare ? (
          <CompareView />
        ) : (
          <>
            <div className="col-main">
              <Panel name="activation" id="picture">
                <GHeatmap />
                <Timeline />
              </Panel>
              {shown('decision') && (
                <Panel name="decision">
                  <DecisionSurface />
                </Panel>
              )}
              {/* The explanation before the network view: that panel fills in only once scrolled to, so below it the
                  "What am I looking at?" jump would land and then be pushed off screen. */}
              {shown('explain') && (
                <Panel name="explain" id="explain">
                  <ExplainPanel />
                </Panel>
              )}
              {shown('network') && <NetworkPanel />}
            </div>
            <div className="col-side">
              {shown('verdict') && (
                <Panel name="verdict">
                  <VerdictPanel />
                </Panel>
              )}
              <Panel name="metrics">
                {shown('curves') && <LossChart />}
                <LossReadouts />
                <SessionThreeStory />
              </Panel>
              {shown('robustness') && (
                <Panel name="robustness">
                  <MainRobustnessPanel />
                </Panel>
              )}
            </div>
          </>
        )}
      </main>
      <footer className="app-footer">
        Based on Kim, Orhan, Yoon &amp; Pitkow, IEEE Access 2022 · Press <kbd>?</kbd> for shortcuts · The address bar is a shareable link to
        this exact run.
      </footer>
    </div>
  );
}

export function App() {
  useTheme();
  useKeyboardShortcuts();
  usePresentation();
  const embed = useApp((s) => s.params.embed);
  return (
    <>
      {embed ? <EmbedView /> : <FullView />}
      <ShortcutsHelp />
      {!embed && <ShareDialog />}
      <Toast />
    </>
  );
}
