/**
 * Reads and checks an uploaded CSV off the page's thread (a 10 MB file takes longer to parse
 * than a frame lasts). One file per worker; the page terminates it after the answer.
 */
import { parsePointsCsv, type CsvParseResult } from '../core/data/csv';
import { errorMessage } from '../core/errorMessage';

interface CsvWorkerScope {
  postMessage(message: CsvParseResult, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<{ file: Blob }>) => void): void;
}
const scope = self as unknown as CsvWorkerScope;

/** Reads and parses one uploaded file; never rejects (a failure becomes an error result). */
async function parseFile(file: Blob): Promise<CsvParseResult> {
  try {
    return parsePointsCsv(await file.text());
  } catch (err) {
    return { ok: false, errors: [{ line: 0, reason: `the file could not be read: ${errorMessage(err)}` }] };
  }
}

scope.addEventListener('message', (e) => {
  void parseFile(e.data.file).then((result) => scope.postMessage(result, result.ok ? [result.data.x.buffer, result.data.y.buffer] : []));
});
