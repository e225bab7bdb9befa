// The Dice chart's seed band per redraw, in Node, against run length: a race of 4 losses x 3 seeds where
// each redraw brings 10 new steps per seed. Incremental (SeedBandCache: final steps computed once and
// bucketed once) against the baseline measured in the same run, the band recomputed from every step.
// The ratio 100,000 / 1,000 steps should stay near 1 for the incremental path.
// Usage: npx tsx scripts/bench-seed-band.ts [--reps 5]
import type { StepPoint } from '../src/engine/train/events';
import type { SeedGroup } from '../src/state/replicates';
import { SeedBand } from '../src/state/seed-band';
import type { RunSummary } from '../src/state/store';
import { SeedBandCache } from '../src/ui/SeedBands';

const repsArg = process.argv.indexOf('--reps');
const REPS = repsArg > 0 ? Number(process.argv[repsArg + 1]) : 5;
const SIZES = [1_000, 10_000, 100_000];
const LOSSES = ['wce', 'dl2', 'ss', 'gdl'];
const SEEDS = 3;
const NEW_STEPS = 10;
const REDRAWS = 10;

const pt = (step: number, seed: number): StepPoint => ({
  step,
  loss: 1,
  trainDice: ((step * (seed + 3)) % 101) / 101,
  predictedFg: 0.1,
  msPerStep: 3,
  lr: 1e-3,
});

function groupsAt(n: number): SeedGroup[] {
  return LOSSES.map((loss) => ({
    loss,
    color: '#000000',
    runs: Array.from({ length: SEEDS }, (_, s) => ({
      id: `${loss}-${s + 1}`,
      status: 'running',
      steps: Array.from({ length: n }, (_, i) => pt(i + 1, s)),
      validation: [],
    })) as unknown as RunSummary[],
  }));
}

const grow = (groups: SeedGroup[]) => {
  for (const g of groups)
    for (const [s, r] of g.runs.entries()) {
      const from = r.steps.length + 1;
      for (let i = 0; i < NEW_STEPS; i++) r.steps.push(pt(from + i, s));
    }
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** Median over reps of the ms per redraw (all four losses); the history is built and drawn once, untimed. */
function perRedraw(n: number, redraw: (groups: SeedGroup[]) => void): number {
  const groups = groupsAt(n);
  redraw(groups);
  const ts: number[] = [];
  for (let r = 0; r < REPS + 1; r++) {
    const t0 = performance.now();
    for (let i = 0; i < REDRAWS; i++) {
      grow(groups);
      redraw(groups);
    }
    if (r > 0) ts.push((performance.now() - t0) / REDRAWS); // rep 0 warms the JIT
  }
  return median(ts);
}

const incremental = () => {
  const cache = new SeedBandCache();
  return (groups: SeedGroup[]) => {
    for (const g of groups) cache.trainDice(g);
  };
};
const fromScratch = () => (groups: SeedGroup[]) => {
  for (const g of groups)
    new SeedBand<StepPoint>({ step: (p) => p.step, value: (p) => p.trainDice }).update(
      g.runs.map((r) => ({ points: r.steps, final: false })),
    );
};

console.log(`seed band per redraw: ${LOSSES.length} losses x ${SEEDS} seeds, ${NEW_STEPS} new steps a seed, median of ${REPS}`);
console.log('steps      incremental ms   from scratch ms   scratch / incremental');
// Warm the JIT on both paths first, so the smallest size is not measured cold.
perRedraw(1_000, incremental());
perRedraw(1_000, fromScratch());
const inc: number[] = [];
for (const n of SIZES) {
  const a = perRedraw(n, incremental());
  const b = perRedraw(n, fromScratch());
  inc.push(a);
  console.log(
    `${String(n).padEnd(10)} ${a.toFixed(3).padStart(14)} ${b.toFixed(3).padStart(17)} ${(b / a).toFixed(1).padStart(23)}`,
  );
}
console.log(`incremental 100,000 / 1,000 steps: ${(inc[2] / inc[0]).toFixed(2)}`);
