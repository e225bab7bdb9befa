// python/losses.py against the engine's computeLoss on the same tensors: every loss the export carries over
// the shared CONFIGS it can express (2D/3D, C = 2 and 3, both pooling rules); value within 1e-5, d/dp within
// 1e-4 of max |d/dp|, and edge inputs (ties, clip boundaries, an absent class). The options reach Python as
// the export sends them (pytorchOptions). The boundary loss (not in CONFIGS: it also takes distance maps and
// the step) over BOUNDARY_OPTIONS at several steps, with the engine's own maps (data/distance.ts, anisotropic
// spacing) handed to both sides, or none (each side computes 1 mm maps from the reference).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { batchSignedDistances } from '../data/distance';
import { computeLoss, DEFAULT_LOSS_OPTIONS, LOSS_IDS, type LossId, ownedOptions, resolveLossOptions } from '../losses';
import { PYTORCH_LOSS_OPTIONS, pytorchOptions, pytorchProblem } from './pytorch-support';
import { lossCases, SHAPES } from '../losses/testing/configs';
import { makeRng, randomOneHot, randomProbs, randomSoftmax } from '../losses/testing/fixtures';
import { readFloats, requireTorch, runPython, skipWithoutTorch, TESTING_DIR, tempDir, writeFloats } from './testing/python';

const skip = skipWithoutTorch('export/losses.test');

interface TorchCase {
  id: LossId;
  o: Record<string, unknown>;
  shape: number[];
  r: Float32Array;
  p: Float32Array;
  name: string;
  /** The boundary loss's context: the step, and signed distance maps of r (r's shape) when handed in. */
  step?: number;
  distance?: Float32Array;
}

// The boundary loss's option spreads (every owned option at a non-default value somewhere); steps around the
// schedule's increments, and past its cap.
const BOUNDARY_OPTIONS: Record<string, unknown>[] = [
  {},
  { boundaryStart: 0.2, boundaryRate: 0.1, boundaryEvery: 3, boundaryMax: 0.7 },
  { boundaryRegion: 'dice', boundaryStart: 0.05, boundaryRate: 0.25, boundaryEvery: 2, boundaryMax: 0.9 },
  { boundaryStart: 1, boundaryMax: 1 },
];
const BOUNDARY_STEPS = [1, 4, 51, 400];
const BOUNDARY_SHAPES = [...SHAPES, [2, 9, 7, 2], [2, 5, 6, 7, 2], [1, 6, 8, 3]];

/** Boundary cases: every spread x pooling x step on each shape, maps handed in on two of three. */
function boundaryCases(seed: number): TorchCase[] {
  const rng = makeRng(seed);
  const out: TorchCase[] = [];
  let k = 0;
  for (const shape of BOUNDARY_SHAPES)
    for (const o of BOUNDARY_OPTIONS)
      for (const perImage of [false, true])
        for (const step of BOUNDARY_STEPS) {
          const r = Float32Array.from(randomOneHot(rng, shape, 0.35));
          const B = shape[0];
          const spatial = shape.slice(1, -1);
          // Per item an anisotropic spacing (mm), as patches of subjects on different grids.
          const spacings = Array.from({ length: B }, () => spatial.map(() => [0.5, 0.75, 1, 1.25, 2.5][Math.floor(rng() * 5)]));
          const handed = k % 3 !== 2;
          const distance = handed ? batchSignedDistances({ label: r, labelShape: shape, spacings }) : undefined;
          out.push({
            id: 'boundary',
            o: { ...o, perImage },
            shape,
            r,
            p: Float32Array.from(k % 2 ? randomProbs(rng, shape) : randomSoftmax(rng, shape)),
            step,
            distance,
            name: `boundary ${JSON.stringify(o)} shape [${shape}] perImage=${perImage} step ${step} ${handed ? `maps [${spacings.join(' | ')}] mm` : '1 mm maps from r'}`,
          });
          k++;
        }
  return out;
}

const sent = (id: LossId, o: Record<string, unknown>) =>
  pytorchOptions(id, resolveLossOptions(id, o) as unknown as Record<string, unknown>);

/** Engine and losses.py on the same tensors (one Python run); failures and the worst differences. */
function compareWithTorch(cases: TorchCase[]): { bad: string[]; worstValue: number; worstGrad: number } {
  const want = cases.map((c) =>
    tf.tidy(() => {
      const yTrue = tf.tensor(c.r, c.shape);
      const context = {
        ...(c.step !== undefined ? { step: c.step } : {}),
        ...(c.distance ? { distance: tf.tensor(c.distance, c.shape) } : {}),
      };
      const f = (x: tf.Tensor) => computeLoss(c.id, yTrue, x, c.o, context);
      const { value, grad } = tf.valueAndGrad(f)(tf.tensor(c.p, c.shape));
      return { value: value.dataSync()[0], grad: grad.dataSync() as Float32Array };
    }),
  );
  const dir = tempDir('export-losses');
  const concat = (xs: Float32Array[]) => Float32Array.from(xs.flatMap((x) => Array.from(x)));
  writeFloats(join(dir, 'r.bin'), concat(cases.map((c) => c.r)));
  writeFloats(join(dir, 'p.bin'), concat(cases.map((c) => c.p)));
  writeFloats(join(dir, 'd.bin'), concat(cases.flatMap((c) => (c.distance ? [c.distance] : []))));
  writeFileSync(
    join(dir, 'cases.json'),
    JSON.stringify(
      cases.map((c) => ({
        id: c.id,
        options: sent(c.id, c.o),
        shape: c.shape,
        ...(c.step !== undefined ? { step: c.step } : {}),
        ...(c.distance ? { distance: true } : {}),
      })),
    ),
  );
  runPython({ script: join(TESTING_DIR, 'loss_check.py'), args: [dir] });
  const out = readFloats(join(dir, 'out.bin'));
  let at = 0;
  let worstValue = 0;
  let worstGrad = 0;
  const bad: string[] = [];
  cases.forEach((c, k) => {
    const n = want[k].grad.length;
    const value = out[at];
    const grad = out.subarray(at + 1, at + 1 + n);
    at += 1 + n;
    const dv = Math.abs(value - want[k].value);
    let scale = 0;
    let dg = 0;
    for (let i = 0; i < n; i++) {
      scale = Math.max(scale, Math.abs(want[k].grad[i]));
      dg = Math.max(dg, Math.abs(grad[i] - want[k].grad[i]));
    }
    // Relative to the largest gradient; an all-zero gradient (a perfect prediction) must come back as zero.
    const rel = scale > 0 ? dg / scale : dg;
    worstValue = Math.max(worstValue, dv);
    worstGrad = Math.max(worstGrad, rel);
    if (!(dv <= 1e-5) || !(rel <= 1e-4)) bad.push(`${c.name}: value ${dv}, gradient ${rel}`);
  });
  expect(at).toBe(out.length);
  return { bad, worstValue, worstGrad };
}

describe.skipIf(skip)('PyTorch losses vs computeLoss', () => {
  beforeAll(async () => {
    requireTorch();
    await tf.setBackend('cpu');
  });

  it('every loss id and option spread: value within 1e-5, gradient within 1e-4', () => {
    const carried = (c: ReturnType<typeof lossCases>[number]) =>
      PYTORCH_LOSS_OPTIONS[c.id] !== undefined &&
      pytorchProblem(c.id, resolveLossOptions(c.id, { ...c.o, perImage: c.perImage }) as unknown as Record<string, unknown>) ===
        null;
    const spread = lossCases(500).filter(carried);
    expect(spread.length).toBeGreaterThan(300);
    const rng = makeRng(17);
    const cases = spread.map((c, k) => ({
      id: c.id,
      o: { ...c.o, perImage: c.perImage },
      shape: c.shape,
      r: Float32Array.from(randomOneHot(rng, c.shape)),
      // Half the cases off the simplex (the function everywhere), half as a softmax would output.
      p: Float32Array.from(k % 2 ? randomProbs(rng, c.shape) : randomSoftmax(rng, c.shape)),
      name: c.name,
    }));
    // Every loss the export carries is checked, over more than one option spread.
    expect(new Set([...cases.map((c) => c.id), 'boundary'])).toEqual(new Set(Object.keys(PYTORCH_LOSS_OPTIONS)));
    const { bad, worstValue, worstGrad } = compareWithTorch(cases);
    console.log(
      `${cases.length} cases: worst value ${worstValue.toExponential(2)}, worst gradient ${worstGrad.toExponential(2)} (relative)`,
    );
    expect(bad).toEqual([]);
  });

  it('the boundary loss: option spreads, steps of its schedule, 2D and 3D, maps handed in (mm) or from r', () => {
    const cases = boundaryCases(23);
    expect(cases.filter((c) => c.distance).length).toBeGreaterThan(100);
    const { bad, worstValue, worstGrad } = compareWithTorch(cases);
    console.log(
      `${cases.length} boundary cases: worst value ${worstValue.toExponential(2)}, worst gradient ${worstGrad.toExponential(2)} (relative)`,
    );
    expect(bad).toEqual([]);
  });

  it('edge inputs: ties (every error and CE term equal per class), saturated probabilities, an absent class', () => {
    const shape = [2, 3, 4, 3];
    const rng = makeRng(19);
    const r = Float32Array.from(randomOneHot(rng, shape, 0.5));
    // A softened reference as prediction: Lovász's errors and TopK's terms tie across voxels.
    const tied = r.map((v) => 0.9 * v + 0.1 / 3);
    // Class 2 absent from the reference: its voxels become class 1.
    const absent = r.map((v, i) => (i % 3 === 2 ? 0 : i % 3 === 1 ? v + r[i + 1] : v));
    // Exactly the reference (errors 0, p at the clip boundaries 0 and 1), confidently wrong on every fourth voxel.
    const saturated = absent.map((v, i) => (Math.floor(i / 3) % 4 === 0 ? (i % 3 === 0 ? 1 - v : 0) : v));
    const spread = lossCases(0).filter((c) => c.shape.length === 4 && c.shape[3] === 3 && !c.perImage);
    const inputs = [
      { what: 'tied', r, p: tied },
      { what: 'absent class, softmax', r: absent, p: Float32Array.from(randomSoftmax(rng, shape)) },
      { what: 'absent class, saturated', r: absent, p: saturated },
    ];
    const cases = inputs.flatMap(({ what, r, p }) =>
      spread.map((c) => ({ id: c.id, o: c.o, shape, r, p, name: `${what}: ${c.id} ${JSON.stringify(c.o)}` })),
    );
    const { bad, worstValue, worstGrad } = compareWithTorch(cases);
    console.log(
      `${cases.length} edge cases: worst value ${worstValue.toExponential(2)}, worst gradient ${worstGrad.toExponential(2)}`,
    );
    expect(bad).toEqual([]);
  });
});

describe('what the export can hand to PyTorch', () => {
  it('the support list is exactly losses.py OPTIONS, loss by loss and option by option', () => {
    const py = readFileSync(join(TESTING_DIR, '../python/losses.py'), 'utf8');
    const block = `${py.slice(py.indexOf('OPTIONS = {'), py.indexOf('\n}\n', py.indexOf('OPTIONS = {')))}\n`;
    const parsed = Object.fromEntries(
      [...block.matchAll(/"(\w+)": dict\((.*)\),?\n/g)].map((m) => [
        m[1],
        [...m[2].matchAll(/(?:"(\w+)":|\b(\w+)=)/g)].map((k) => k[1] ?? k[2]).filter((k) => k !== 'dict'),
      ]),
    );
    expect(Object.keys(parsed).sort()).toEqual(Object.keys(PYTORCH_LOSS_OPTIONS).sort());
    for (const [id, opts] of Object.entries(PYTORCH_LOSS_OPTIONS)) expect(parsed[id]?.sort(), id).toEqual([...opts!].sort());
  });

  it('every loss, the boundary loss included, is carried with every option it owns', () => {
    for (const id of LOSS_IDS) expect([...(PYTORCH_LOSS_OPTIONS[id] ?? [])].sort(), id).toEqual([...ownedOptions(id)].sort());
  });

  it('the value test reaches every carried option at a non-default value', () => {
    const missing: string[] = [];
    for (const [id, opts] of Object.entries(PYTORCH_LOSS_OPTIONS) as [LossId, readonly string[]][]) {
      const defaults = DEFAULT_LOSS_OPTIONS[id] as unknown as Record<string, unknown>;
      const spreads = [
        ...lossCases(0).map((c) => ({ id: c.id, o: { ...c.o, perImage: c.perImage } })),
        ...BOUNDARY_OPTIONS.flatMap((o) => [false, true].map((perImage) => ({ id: 'boundary', o: { ...o, perImage } }))),
      ];
      const resolved = spreads
        .filter((c) => c.id === id)
        .map((c) => resolveLossOptions(id, c.o) as unknown as Record<string, unknown>);
      for (const k of opts) if (!resolved.some((o) => o[k] !== defaults[k])) missing.push(`${id}.${k}`);
    }
    expect(missing).toEqual([]);
  });

  it('a loss or option losses.py lacks is refused, naming it; its defaults are dropped', () => {
    const gdl = resolveLossOptions('gdl', { absentWeight: 'zero' }) as unknown as Record<string, unknown>;
    expect(pytorchOptions('gdl', gdl)).toEqual(gdl);
    // A loss losses.py does not have (one the registry might gain) is refused, naming it; boundary is carried.
    expect(() => pytorchOptions('hinge' as LossId, {})).toThrow(/the loss 'hinge' has no PyTorch version/);
    const boundary = resolveLossOptions('boundary', { boundaryStart: 0.3 }) as unknown as Record<string, unknown>;
    expect(pytorchOptions('boundary', boundary)).toEqual(boundary);
    const future = { ...gdl, futureOption: 3 };
    expect(pytorchProblem('gdl', future)).toMatch(/gdl's option futureOption=3 has no PyTorch version/);
  });
});
