/** Entry point of the Experiments page (experiments.html): the results of headless sweeps, no training. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ExperimentsPage } from './ui/experiments/ExperimentsPage';
import './ui/experiments/experiments.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ExperimentsPage />
  </StrictMode>,
);
