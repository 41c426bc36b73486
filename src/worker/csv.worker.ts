/**
 * Reads and checks an uploaded CSV off the page's thread (a 10 MB file takes longer to parse
 * than a frame lasts). One file per worker; the page terminates it after the answer.
 */
import { parsePointsCsv, type CsvParseResult } from '../core/data/csv';

interface CsvWorkerScope {
  postMessage(message: CsvParseResult, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<{ file: Blob }>) => void): void;
}
const scope = self as unknown as CsvWorkerScope;

scope.addEventListener('message', async (e) => {
  let result: CsvParseResult;
  try {
    result = parsePointsCsv(await e.data.file.text());
  } catch (err) {
    result = { ok: false, errors: [{ line: 0, reason: `the file could not be read: ${err instanceof Error ? err.message : String(err)}` }] };
  }
  scope.postMessage(result, result.ok ? [result.data.x.buffer, result.data.y.buffer] : []);
});
