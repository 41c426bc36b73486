/**
 * Small pure helpers of the exports (curves as CSV, file names) and the one browser helper
 * that saves a file (an <a download> with a blob URL).
 */
import type { Params } from '../core/params';
import type { MetricPoint } from '../worker/protocol';

export const CURVES_HEADER = 'step,epoch,trainLoss,testLoss,trainAcc,testAcc';

function cell(x: number): string {
  // Full precision (shortest round-trip form); an empty cell where a value is not a number.
  return Number.isFinite(x) ? String(x) : '';
}

/** The loss and accuracy curves as CSV with a header, one row per recorded point, oldest first. */
export function curvesCsv(history: readonly MetricPoint[]): string {
  const rows = history.map((p) => [p.step, p.epoch, p.trainLoss, p.testLoss, p.trainAcc, p.testAcc].map(cell).join(','));
  return [CURVES_HEADER, ...rows].join('\n') + '\n';
}

/** A file name that says what the file is: `soft-xor-xor-seed1-step1200.png`. Only [a-z0-9-.]. */
export function exportFileName(params: Pick<Params, 'dataset' | 'seed'>, step: number, what: string, extension: string): string {
  const clean = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'run';
  const stepPart = Number.isInteger(step) && step >= 0 ? `-step${step}` : '';
  return `soft-xor-${clean(String(params.dataset))}-seed${Math.trunc(params.seed) || 0}${stepPart}${what ? `-${clean(what)}` : ''}.${clean(extension)}`;
}

/** Saves a blob under a file name (the browser's download). */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Give the download time to start before the URL is revoked.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/** The link of a configuration (the page's address with its hash), and the embed variant. */
export function pageUrl(hash: string, loc: Pick<Location, 'origin' | 'pathname' | 'search'> = window.location): string {
  const origin = loc.origin && loc.origin !== 'null' ? loc.origin : '';
  return `${origin}${loc.pathname}${loc.search}#${hash}`;
}

/** The iframe snippet for slides and pages: a 16:9 frame, no border, fullscreen allowed. */
export function embedSnippet(url: string): string {
  const attr = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<iframe src="${attr}" width="800" height="450" style="border:0" title="Soft-XOR Playground" allow="fullscreen"></iframe>`;
}
