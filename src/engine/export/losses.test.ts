// python/losses.py against the engine's computeLoss on the same tensors: every loss the export carries over
// the shared CONFIGS it can express (2D/3D, C = 2 and 3, both pooling rules); value within 1e-5, d/dp within
// 1e-4 of max |d/dp|. The options reach Python as the export sends them (pytorchOptions).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { computeLoss, type LossId, resolveLossOptions } from '../losses';
import { PYTORCH_LOSS_OPTIONS, pytorchOptions, pytorchProblem } from './pytorch-support';
import { lossCases } from '../losses/testing/configs';
import { makeRng, randomOneHot, randomProbs, randomSoftmax } from '../losses/testing/fixtures';
import { readFloats, requireTorch, runPython, skipWithoutTorch, TESTING_DIR, tempDir, writeFloats } from './testing/python';

const skip = skipWithoutTorch('export/losses.test');

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
    const cases = lossCases(500).filter(carried);
    // Every loss the export carries is checked, over more than one option spread.
    expect(new Set(cases.map((c) => c.id))).toEqual(new Set(Object.keys(PYTORCH_LOSS_OPTIONS)));
    expect(cases.length).toBeGreaterThan(100);
    const rng = makeRng(17);
    const rs: Float32Array[] = [];
    const ps: Float32Array[] = [];
    const want = cases.map((c, k) => {
      const r = Float32Array.from(randomOneHot(rng, c.shape));
      // Half the cases off the simplex (the function everywhere), half as a softmax would output.
      const p = Float32Array.from(k % 2 ? randomProbs(rng, c.shape) : randomSoftmax(rng, c.shape));
      rs.push(r);
      ps.push(p);
      const o = { ...c.o, perImage: c.perImage };
      return tf.tidy(() => {
        const yTrue = tf.tensor(r, c.shape);
        const f = (x: tf.Tensor) => computeLoss(c.id as LossId, yTrue, x, o);
        const { value, grad } = tf.valueAndGrad(f)(tf.tensor(p, c.shape));
        return { value: value.dataSync()[0], grad: grad.dataSync() as Float32Array };
      });
    });
    const dir = tempDir('export-losses');
    const concat = (xs: Float32Array[]) => Float32Array.from(xs.flatMap((x) => Array.from(x)));
    writeFloats(join(dir, 'r.bin'), concat(rs));
    writeFloats(join(dir, 'p.bin'), concat(ps));
    const sent = (c: (typeof cases)[number]) =>
      pytorchOptions(c.id, resolveLossOptions(c.id, { ...c.o, perImage: c.perImage }) as unknown as Record<string, unknown>);
    const list = cases.map((c) => ({ id: c.id, options: sent(c), shape: c.shape }));
    writeFileSync(join(dir, 'cases.json'), JSON.stringify(list));
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
      const rel = dg / Math.max(scale, 1e-12);
      worstValue = Math.max(worstValue, dv);
      worstGrad = Math.max(worstGrad, rel);
      if (!(dv <= 1e-5) || !(rel <= 1e-4)) bad.push(`${c.name}: value ${dv}, gradient ${rel}`);
    });
    expect(at).toBe(out.length);
    console.log(
      `${cases.length} cases: worst value ${worstValue.toExponential(2)}, worst gradient ${worstGrad.toExponential(2)} (relative)`,
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

  it('defaults of options losses.py lacks are dropped; anything else is refused, naming the loss and option', () => {
    const gdl = resolveLossOptions('gdl', {}) as unknown as Record<string, unknown>;
    expect(pytorchOptions('gdl', gdl)).toEqual({ weightType: 'square', epsilon: 1e-5, perImage: false });
    const zero = resolveLossOptions('gdl', { absentWeight: 'zero' }) as unknown as Record<string, unknown>;
    expect(() => pytorchOptions('gdl', zero)).toThrow(/gdl's option absentWeight=zero has no PyTorch version/);
    expect(() => pytorchOptions('lovasz', {})).toThrow(/the loss 'lovasz' has no PyTorch version/);
  });
});
