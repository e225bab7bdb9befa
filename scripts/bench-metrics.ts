// Challenge metrics timings in Node: segmentationMetrics on phantom WMH references against a perturbed
// prediction (shifted, eroded in places, false-positive specks), at 64x64x48 and 128x128x96. Medians
// after a warm-up; the baseline is one fill pass over a Float64Array of the same size, measured in the
// same run. The "full box" case adds two specks at opposite corners so the union crop is the whole grid.
// CPU ms (this process's user + system time per call) is printed too: on a shared machine wall time
// includes waiting for a core, CPU time does not.
// Usage: npx tsx scripts/bench-metrics.ts [--reps 9]
import { generatePhantom } from '../src/engine/data/phantom';
import { createRng } from '../src/engine/data/rng';
import { segmentationMetrics, type Vec3 } from '../src/engine/metrics';

const repsArg = process.argv.indexOf('--reps');
const REPS = repsArg > 0 ? Number(process.argv[repsArg + 1]) : 9;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median wall and CPU milliseconds per call. */
function time(fn: () => unknown): { wall: number; cpu: number } {
  fn(); // warm-up (JIT)
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < REPS; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

/** A plausible network output: the reference shifted one voxel in x, 10% of its voxels dropped, specks added. */
function perturbed(reference: Uint8Array, dims: Vec3, seed: number): Uint8Array {
  const rng = createRng(seed);
  const out = new Uint8Array(reference.length);
  for (let i = 0; i < reference.length; i++) {
    const x = i % dims[0];
    if (x + 1 < dims[0] && reference[i + 1] && rng.next() >= 0.1) out[i] = 1;
    if (rng.next() < 2e-4) out[i] = 1;
  }
  return out;
}

let sink = 0;
console.log(`challenge metrics, Node ${process.version}, median of ${REPS} after 1 warm-up`);
console.log(`${'case'.padEnd(40)}${'ms'.padStart(8)}${'CPU ms'.padStart(8)}${'x base'.padStart(8)}  lesions ref/pred  hd95 mm`);
const cells = (t: { wall: number; cpu: number }, base: number) =>
  `${t.wall.toFixed(2).padStart(8)}${t.cpu.toFixed(2).padStart(8)}${(t.wall / base).toFixed(1).padStart(8)}`;
for (const shape of [
  [64, 64, 48],
  [128, 128, 96],
] as [number, number, number][]) {
  const n = shape[0] * shape[1] * shape[2];
  const { wall: baseline, cpu: baselineCpu } = time(() => {
    const a = new Float64Array(n);
    for (let i = 0; i < n; i++) a[i] = i * 0.5;
    sink += a[n - 1];
  });
  const name = shape.join('x');
  console.log(`${`baseline: fill one ${name} Float64Array`.padEnd(40)}${cells({ wall: baseline, cpu: baselineCpu }, baseline)}`);
  for (const fraction of [0.005, 0.02]) {
    const phantom = generatePhantom({ shape, lesion: { kind: 'wmh', fraction } });
    const reference = Uint8Array.from(phantom.label.data);
    const spacing = phantom.options.spacing;
    const prediction = perturbed(reference, shape, 7);
    const fullBox = Uint8Array.from(prediction);
    fullBox[0] = 1;
    fullBox[n - 1] = 1;
    for (const [label, pred] of [
      ['', prediction],
      [', full box', fullBox],
    ] as const) {
      const m = segmentationMetrics({ reference, prediction: pred, dims: shape, spacing });
      const t = time(() => (sink += segmentationMetrics({ reference, prediction: pred, dims: shape, spacing }).dice));
      const lesions = `${m.referenceLesions}/${m.predictedLesions}`;
      console.log(
        `${`${name} wmh ${fraction * 100}%${label}`.padEnd(40)}${cells(t, baseline)}  ${lesions.padStart(16)}  ${m.hd95.toFixed(2).padStart(7)}`,
      );
    }
  }
}
if (sink === 42) console.log(''); // keeps the timed work observable
