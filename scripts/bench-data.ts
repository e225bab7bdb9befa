// Data layer timings in Node: phantom generation per difficulty (the lesion slider's latency; realistic is the default), subject
// preparation, one batch per Table 1 preset, and NIfTI write/read of a default volume. Medians after
// a warm-up; the baseline is one fill pass over a default-size Float32Array, measured in the same run.
// Usage: npx tsx scripts/bench-data.ts [--reps 7]
import { readNifti, writeNifti } from '../src/engine/data/nifti';
import { PAPER_TABLE1, PATCH_PRESETS, type PatchSpec, patchImbalance, presetSpec, sampleBatch } from '../src/engine/data/patches';
import { generatePhantom, type LesionKind } from '../src/engine/data/phantom';
import { subjectFromPhantom } from '../src/engine/data/subjects';

const repsArg = process.argv.indexOf('--reps');
const REPS = repsArg > 0 ? Number(process.argv[repsArg + 1]) : 7;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function time(fn: () => unknown, reps = REPS): number {
  fn(); // warm-up (JIT): two calls, so code paths a case shares with no earlier case are compiled too
  fn();
  const ts: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

// A fresh worker's first phantom runs before the JIT has compiled it: timed once, before anything else.
const t0 = performance.now();
generatePhantom();
const coldMs = performance.now() - t0;

const N = 128 * 128 * 96;
let sink = 0;
const baseline = time(() => {
  const a = new Float32Array(N);
  for (let i = 0; i < N; i++) a[i] = i * 0.5;
  sink += a[N - 1];
});
const row = (name: string, ms: number) =>
  console.log(`${name.padEnd(44)}${ms.toFixed(1).padStart(9)}${(ms / baseline).toFixed(1).padStart(9)}`);

console.log(`data layer, Node ${process.version}, median of ${REPS} after 2 warm-ups`);
console.log(`${'case'.padEnd(44)}${'ms'.padStart(9)}${'x base'.padStart(9)}`);
row('baseline: fill one 128x128x96 Float32Array', baseline);
row('phantom realistic, first call (cold JIT)', coldMs);
const easyMs = time(() => generatePhantom({ difficulty: 'easy' }));
row('phantom easy (128x128x96, 3 modalities)', easyMs);
for (const difficulty of ['realistic', 'hard'] as const) {
  const ms = time(() => generatePhantom({ difficulty }));
  row(`phantom ${difficulty} (${(ms / easyMs).toFixed(2)}x easy)`, ms);
}
for (const kind of ['tumour', 'wmh', 'lacunes'] as LesionKind[]) {
  for (const fraction of [1e-5, 0.01, 0.3]) {
    row(
      `phantom ${kind} fraction ${fraction} (realistic)`,
      time(() => generatePhantom({ lesion: { kind, fraction } }), 3),
    );
  }
}
row(
  'phantom 64x64x48',
  time(() => generatePhantom({ shape: [64, 64, 48] })),
);

const phantom = generatePhantom();
row(
  'subject: z-score 3 modalities on WM',
  time(() => subjectFromPhantom(phantom)),
);
const subjects = [subjectFromPhantom(phantom)];
const specs: [string, PatchSpec][] = [
  ...(['S', 'M', 'L'] as const).map((id): [string, PatchSpec] => [
    `U-Net ${id} (${PATCH_PRESETS[id].size}^2 x ${PATCH_PRESETS[id].batch})`,
    presetSpec(id),
  ]),
  ...(['S', 'M', 'L'] as const).map((id): [string, PatchSpec] => {
    const p = PAPER_TABLE1.HighResNet[id];
    return [`HighResNet ${id} (${p.size}^3 x ${p.batch})`, { dims: 3, size: p.size, batch: p.batch }];
  }),
];
let step = 0;
for (const [name, spec] of specs) {
  sampleBatch({ subjects, spec, seed: 1, step: step++ }); // first call builds the summed-area table
  row(
    `batch ${name}`,
    time(() => sampleBatch({ subjects, spec, seed: 1, step: step++ })),
  );
}
const rare = [subjectFromPhantom(generatePhantom({ lesion: { kind: 'lacunes', fraction: 1e-5 } }))];
row(
  'batch U-Net S, lacunes 1e-5 (exact fallback)',
  time(() => sampleBatch({ subjects: rare, spec: presetSpec('S'), seed: 1, step: step++ })),
);

const t1 = phantom.images[0];
const raw = writeNifti(t1);
const gz = writeNifti(t1, { gzip: true });
row(
  'writeNifti T1 .nii',
  time(() => writeNifti(t1)),
);
row(
  'writeNifti T1 .nii.gz',
  time(() => writeNifti(t1, { gzip: true }), 3),
);
row(
  'readNifti T1 .nii',
  time(() => readNifti(raw)),
);
row(
  'readNifti T1 .nii.gz',
  time(() => readNifti(gz)),
);

console.log('\npatch imbalance (median foreground fraction of 64 patches), default tumour at 1%:');
for (const [name, spec] of specs) console.log(`  ${name.padEnd(32)}${patchImbalance({ subjects, spec, seed: 2 }).toFixed(4)}`);
if (sink === 42) console.log(''); // keeps the baseline loop from being optimised away
