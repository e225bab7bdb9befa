// Runs a sweep headless in Node and writes OUT.md (report), OUT.csv (long table) and OUT.json (the sweep
// file the app imports: record + heat-map/isoline data). Partial files are written after every race.
// Usage: npm run sweep -- [--preset table2|table3|quick] [--losses wce,dl2,ss,gdl] [--lrs 1e-5,1e-4,1e-3]
//   [--patches S=16x5,M=24x3,L=48x1] [--burdens 1,0.2 (percent)] [--seeds 1] [--first-seed 1] [--steps 500]
//   [--last 100] [--network unet2d] [--lesion tumour] [--noise 0.05] [--difficulty realistic] [--size 64] [--name TEXT]
//   [--backend wasm|cpu] [--max-race 12] [--out sweeps/NAME]
//   [--statistic trainDice|dice|hd95|avd|lesionRecall|lesionPrecision|lesionF1|recallSmall|recallMedium|recallLarge]
//   (what the .md and .csv cells are of: median (IQR) for one seed per cell, mean [95% CI] of the seeds' medians
//   for 2+, each seed's value in the .csv and .md, GDL paired against each loss; the .json keeps every run's metrics)
import type { Difficulty } from '../src/domain/difficulty';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LossId } from '../src/domain/losses';
import type { NetworkKind } from '../src/domain/network-spec';
import { selectBackend } from '../src/engine/backend/backend';
import { estimateSweep } from '../src/domain/sweep/estimate';
import { toSweepFile } from '../src/domain/sweep/format';
import { checkSweepSpec, runCount } from '../src/domain/sweep/plan';
import { presetSpec, SWEEP_PRESETS, type SweepPreset } from '../src/domain/sweep/presets';
import { applyProgress, newSweepRecord } from '../src/domain/sweep/record';
import { sweepReportMarkdown } from '../src/domain/sweep/report';
import { SweepRunner } from '../src/engine/sweep/runner';
import { assembleTables, tablesToCsv } from '../src/domain/sweep/table';
import type { SweepLesion, SweepRecord, SweepSpec, SweepStatistic } from '../src/domain/sweep/types';
import { isMetricId, METRIC_IDS } from '../src/domain/metrics';

const argv = process.argv.slice(2);
function opt(name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const v = argv[i + 1];
  if (v === undefined || v.startsWith('--')) fail(`--${name} needs a value`);
  return v;
}
function fail(message: string): never {
  console.error(`sweep: ${message}`);
  process.exit(2);
}
const list = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const nums = (name: string, v: string) =>
  list(v).map((s) => {
    const x = Number(s);
    if (!Number.isFinite(x)) fail(`--${name}: '${s}' is not a number`);
    return x;
  });
const int = (name: string, v: string) => {
  const x = Number(v);
  if (!Number.isInteger(x)) fail(`--${name}: '${v}' is not an integer`);
  return x;
};

if (argv.includes('--help') || argv.includes('-h')) {
  console.log(
    `npm run sweep -- [--preset ${SWEEP_PRESETS.map((p) => p.id).join('|')}] [--losses ...] [--lrs ...] [--patches S=16x5,...] [--burdens 1,0.2] [--seeds N] [--steps N] [--last K] [--size N] [--out PATH]`,
  );
  process.exit(0);
}

const presetId = (opt('preset') ?? 'table2') as SweepPreset['id'];
if (!SWEEP_PRESETS.some((p) => p.id === presetId))
  fail(`unknown preset '${presetId}' (${SWEEP_PRESETS.map((p) => p.id).join(', ')})`);
const spec: SweepSpec = presetSpec(presetId);
const o = (name: string, apply: (v: string) => void) => {
  const v = opt(name);
  if (v !== undefined) apply(v);
};
o('losses', (v) => (spec.losses = list(v) as LossId[]));
o('lrs', (v) => (spec.lrs = nums('lrs', v)));
o('patches', (v) => {
  spec.patches = list(v).map((s) => {
    const m = /^([\w.-]+)=(\d+)x(\d+)$/.exec(s);
    if (!m) fail(`--patches: '${s}' is not ID=SIDExBATCH (e.g. S=16x5)`);
    return { id: m[1], patch: Number(m[2]), batch: Number(m[3]) };
  });
});
o('burdens', (v) => (spec.burdens = nums('burdens', v).map((p) => p / 100)));
o('seeds', (v) => (spec.seeds = int('seeds', v)));
o('first-seed', (v) => (spec.firstSeed = int('first-seed', v)));
o('steps', (v) => (spec.steps = int('steps', v)));
o('last', (v) => (spec.lastK = int('last', v)));
o('network', (v) => (spec.network = v as NetworkKind));
o('lesion', (v) => (spec.lesion = v as SweepLesion));
o('noise', (v) => (spec.noise = Number(v)));
o('difficulty', (v) => (spec.difficulty = v as Difficulty));
o('size', (v) => (spec.size = int('size', v)));
o('name', (v) => (spec.name = v));
const problems = checkSweepSpec(spec);
if (problems.length) fail(`invalid sweep:\n  ${problems.join('\n  ')}`);
const backendArg = opt('backend') ?? 'wasm';
if (backendArg !== 'wasm' && backendArg !== 'cpu') fail('--backend: wasm or cpu in Node');
const maxRace = int('max-race', opt('max-race') ?? '12');
const statistic = (opt('statistic') ?? 'trainDice') as SweepStatistic;
if (statistic !== 'trainDice' && !isMetricId(statistic)) fail(`--statistic: trainDice or one of ${METRIC_IDS.join(', ')}`);
const out = opt('out') ?? `sweeps/${presetId}-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}`;
const command =
  `npm run sweep -- ${argv.map((a) => (/^[\w.,=/%+-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(' ')}`.trim();

const report = await selectBackend({ requested: backendArg });
if (report.active !== backendArg) fail(`backend ${backendArg} unavailable (got ${report.active})`);
const estimate = estimateSweep({ spec, backend: report.active });
console.log(
  `${spec.name}: ${runCount(spec)} runs in ${estimate.groups} data groups, ~${(estimate.ms / 60000).toFixed(1)} min (${estimate.basis})`,
);
console.log(`writing ${out}.md, ${out}.csv, ${out}.json`);

let record: SweepRecord = newSweepRecord({ id: `node-${Date.now()}`, spec, backend: report.active });
function write(): void {
  mkdirSync(dirname(out) || '.', { recursive: true });
  const tables = assembleTables({ spec, results: record.results, statistic });
  writeFileSync(`${out}.md`, sweepReportMarkdown({ record, command, statistic }));
  writeFileSync(`${out}.csv`, tablesToCsv({ tables }));
  writeFileSync(`${out}.json`, `${JSON.stringify(toSweepFile({ record }))}\n`);
}

let lastLog = 0;
const runner = new SweepRunner({
  sweepId: record.id,
  spec,
  maxRace,
  progressEveryMs: 1000,
  emit: (p) => {
    record = applyProgress({ record, progress: p });
    const now = Date.now();
    if (p.results.length > 0 || p.state !== 'running' || now - lastLog > 15_000) {
      lastLog = now;
      const pct = ((100 * p.stepsDone) / p.stepsTotal).toFixed(0);
      const rate = p.msPerStep ? `${p.msPerStep.toFixed(1)} ms/run-step` : '';
      const eta = p.etaMs !== null ? `ETA ${(p.etaMs / 60000).toFixed(1)} min` : '';
      console.log(`[${p.runsDone}/${p.runsTotal} runs, ${pct}%] ${rate} ${eta} ${p.current ?? p.state}`.replace(/ +/g, ' '));
    }
    if (p.results.length > 0 || p.state !== 'running') write();
  },
});
process.on('SIGINT', () => {
  console.log('cancelling: finished runs are kept in the output files');
  void runner.cancel();
});
const state = await runner.run();
write();
console.log(`\n${sweepReportMarkdown({ record, command, statistic })}`);
console.log(`${state}: ${record.results.length} runs in ${(record.elapsedMs / 60000).toFixed(1)} min`);
process.exit(state === 'done' ? 0 : 1);
