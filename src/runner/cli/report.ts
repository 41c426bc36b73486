/** `npm run experiment:report -- results/<sweep>`: writes summary.json and summary.csv from the run files. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringifyResult } from '../../core/experiment/resultSchema';
import { buildSummaryFile } from '../../core/experiment/summaryFile';
import { readResults } from '../resultFiles';
import { summaryCsv } from '../../core/experiment/report';

try {
  const root = process.argv[2];
  if (!root) throw new Error('usage: npm run experiment:report -- results/<sweep>');
  const { results, refused } = readResults(root);
  for (const r of refused) console.error(`skipped ${r}`);
  if (results.length === 0) throw new Error(`${root} holds no valid run results`);
  const summary = buildSummaryFile(results);
  writeFileSync(join(root, 'summary.json'), stringifyResult(summary));
  writeFileSync(join(root, 'summary.csv'), summaryCsv(summary.summary));
  for (const c of summary.summary.claims) console.log(`${c.verdict.padEnd(15)} ${c.claim}: ${c.measured}`);
  console.log(`wrote ${join(root, 'summary.json')} and summary.csv (${results.length} runs)`);
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
}
