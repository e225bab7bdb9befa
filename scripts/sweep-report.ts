// Re-reports a saved sweep file under another statistic (no training): the same tables, seeds and paired
// comparisons over validation Dice, lesion recall or any metric the runs recorded in their last K steps.
// Usage: npx tsx scripts/sweep-report.ts docs/sweeps/paper-2d.json --statistic lesionRecall [--out FILE.md]
//   [--command 'npm run sweep -- ...'] (shown at the top, as npm run sweep's own report does)
//   [--lrs 1e-4,1e-3] (only these learning rates: the cells, robustness and pairs over a part of the grid)
import { readFileSync, writeFileSync } from 'node:fs';
import { isMetricId, METRIC_IDS } from '../src/domain/metrics';
import { parseSweepFile } from '../src/domain/sweep/format';
import { sweepReportMarkdown } from '../src/domain/sweep/report';
import type { SweepStatistic } from '../src/domain/sweep/types';

function fail(message: string): never {
  console.error(`sweep-report: ${message}`);
  process.exit(2);
}
const [file, ...rest] = process.argv.slice(2);
if (!file || file.startsWith('--')) fail('give a sweep file (.json) first');
const opt = (name: string) => {
  const i = rest.indexOf(`--${name}`);
  return i >= 0 ? rest[i + 1] : undefined;
};
const statistic = (opt('statistic') ?? 'trainDice') as SweepStatistic;
if (statistic !== 'trainDice' && !isMetricId(statistic))
  fail(`--statistic must be trainDice or one of ${METRIC_IDS.join(', ')}, got '${statistic}'`);
const parsed = parseSweepFile(readFileSync(file, 'utf8'));
if (!parsed.ok) fail(`${file}: ${parsed.errors.join('; ')}`);
let record = parsed.record;
const lrs = opt('lrs');
if (lrs) {
  const keep = lrs.split(',').map(Number);
  const bad = keep.filter((lr) => !record.spec.lrs.some((x) => Math.abs(x - lr) <= 1e-12 * lr));
  if (bad.length) fail(`--lrs: ${bad.join(', ')} not in the sweep (it has ${record.spec.lrs.join(', ')})`);
  const kept = (lr: number) => keep.some((k) => Math.abs(k - lr) <= 1e-12 * k);
  record = {
    ...record,
    name: `${record.name} (LRs ${lrs} only)`,
    spec: { ...record.spec, lrs: record.spec.lrs.filter(kept) },
    results: record.results.filter((r) => kept(r.lr)),
  };
}
const md = sweepReportMarkdown({ record, statistic, command: opt('command') });
const out = opt('out');
if (out) {
  writeFileSync(out, md);
  console.log(`wrote ${out} (${statistic})`);
} else console.log(md);
