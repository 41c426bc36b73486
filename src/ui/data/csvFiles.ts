/**
 * Upload and download of the user's 2D points as CSV files: the size is checked before the file
 * is read, parsing runs in a worker, and an export is an ordinary download.
 */
import { csvSizeError, pointsToCsv, type CsvParseResult } from '../../core/data/csv';
import type { Points2D } from '../../core/data/points';
import { mergeDataset2D } from '../../core/data/pointsSplit';
import { errorMessage } from '../../core/errorMessage';
import { isGeneratedDataset } from '../../core/params';
import { selectCustomPoints } from '../../state/dataSlice';
import { selectMainDataset, type AppState } from '../../state/store';

/** Reads and validates a CSV file of points; never rejects (failures are a result with errors). */
export function readPointsCsvFile(file: File): Promise<CsvParseResult> {
  const tooBig = csvSizeError(file.size);
  if (tooBig) return Promise.resolve({ ok: false, errors: [{ line: 0, reason: tooBig }] });
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(new URL('../../worker/csv.worker.ts', import.meta.url), { type: 'module' });
    } catch (e) {
      resolve({ ok: false, errors: [{ line: 0, reason: `the file could not be read here (${errorMessage(e)})` }] });
      return;
    }
    worker.onmessage = (e: MessageEvent<CsvParseResult>) => {
      worker.terminate();
      resolve(e.data);
    };
    worker.onerror = (e) => {
      e.preventDefault();
      worker.terminate();
      resolve({ ok: false, errors: [{ line: 0, reason: 'the file could not be read (the reader stopped)' }] });
    };
    worker.postMessage({ file });
  });
}

/** The current 2D data set (generated, drawn or uploaded) with a file name for it; null for image data. */
export function currentPointsForExport(s: AppState): { points: Points2D; fileName: string } | null {
  const p = s.params;
  if (p.dataset === 'custom') {
    const points = selectCustomPoints(s);
    const name = s.data.custom?.name?.replace(/\.[^.]*$/, '') || 'my-points';
    return { points, fileName: `${name.replace(/[^\w.-]+/g, '_')}.csv` };
  }
  if (!isGeneratedDataset(p.dataset)) return null;
  const d = selectMainDataset(s);
  if (!d) return null;
  return { points: mergeDataset2D(d), fileName: `${p.dataset}-n${p.n}-noise${p.noise}-seed${p.seed}.csv` };
}

/** Offers text as a file download. */
export function downloadText(fileName: string, text: string, type = 'text/csv'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Exports the current data set as CSV; false when there is none (image data). */
export function exportCurrentCsv(s: AppState): boolean {
  const current = currentPointsForExport(s);
  if (!current) return false;
  downloadText(current.fileName, pointsToCsv(current.points.x, current.points.y));
  return true;
}
