// Where to continue after a fault: the fastest remaining backend first, by the runs' own ms/step, saved
// runs' measurements (scaled to today's settings by the step-cost model) or, unmeasured, the benchmark's ratios.
import { describe, expect, it } from 'vitest';
import type { StepPoint } from '../../engine/train/events';
import { describeFault } from './faults';
import type { ExperimentRecord } from './records';
import { recentMsPerStep, SpeedBook } from './speeds';

const S = { network: 'unet2d', patch: 64, batch: 3, size: 96 };
const point = (step: number, msPerStep: number): StepPoint => ({
  step,
  loss: 0.5,
  trainDice: 0.3,
  predictedFg: 0.1,
  msPerStep,
  lr: 1e-3,
});
const runWith = (ms: number[]) => ({ steps: ms.map((m, i) => point(i + 1, m)) });

function record(backend: string, query: string, ms: number[]): ExperimentRecord {
  const run = {
    ...runWith(ms),
    id: 'gdl-1',
    label: 'gdl',
    color: '#000',
    config: {},
    status: 'done' as const,
    statusStep: ms.length,
    validation: [],
    lrChanges: [],
    totalSteps: ms.length,
    startedAt: 0,
  };
  return {
    id: backend,
    name: backend,
    createdAt: 0,
    updatedAt: 0,
    query,
    backend,
    status: 'finished',
    runs: [run],
    checkpointStep: null,
  };
}

describe('fallback ranking', () => {
  it('with nothing measured: wasm, then webgl, then cpu after a lost WebGPU device (the benchmark here)', () => {
    const f = describeFault({ cause: 'device-lost', backend: 'webgpu', settings: S });
    expect(f.fallbacks).toEqual(['wasm', 'webgl', 'cpu']);
    expect(f.expect.wasm).toMatch(/^roughly \d+ ms\/step \(not measured here\)$/);
  });

  it('a crashed wasm worker: wasm again first, at the speed its runs measured, not webgl', () => {
    const speeds = new SpeedBook();
    // The first steps compile kernels; the median of the last ones is the speed.
    speeds.add('wasm', S, recentMsPerStep([runWith([900, 400, 90, 89, 90, 91, 90])]));
    const f = describeFault({ cause: 'worker-silent', backend: 'wasm', settings: S, speeds });
    expect(f.fallbacks[0]).toBe('wasm');
    // Unmeasured: software WebGL 29x wasm, software WebGPU 95x, the cpu backend 250x for the 2D U-Net.
    expect(f.fallbacks.slice(1)).toEqual(['webgl', 'webgpu', 'cpu']);
    expect(f.expect.wasm).toBe('about 90 ms/step here');
    expect(f.expect.webgl).toMatch(/not measured here/);
  });

  it('a backend measured faster in saved runs (a real GPU) goes first, scaled to these settings', () => {
    const speeds = new SpeedBook();
    speeds.add('wasm', S, 90);
    // Saved: webgl trained the same network at patch 32 in 5 ms/step; wasm would cost far less there too.
    speeds.addRecords([record('webgl', 'network=unet2d&patch=32&batch=3', [5, 5, 5])]);
    const ranked = speeds.rank(['wasm', 'webgl', 'cpu'], S);
    expect(ranked.map((r) => r.backend)).toEqual(['webgl', 'wasm', 'cpu']);
    const webgl = ranked[0];
    expect(webgl.measured).toBe(true);
    // Larger patch, slower step: the measurement at 32 grows with the step cost, never shrinks.
    expect(webgl.msPerStep).toBeGreaterThan(5);
    expect(webgl.msPerStep).toBeLessThan(5 * 4);
    expect(speeds.speed('webgl', { ...S, patch: 32 }).msPerStep).toBeCloseTo(5, 6);
  });

  it('ignores measurements it cannot use (no steps, unknown backend or network)', () => {
    const speeds = new SpeedBook();
    speeds.add('wasm', S, recentMsPerStep([runWith([])]));
    speeds.add('tpu', S, 3);
    speeds.add('wasm', { ...S, network: 'resnet' }, 3);
    expect(speeds.speed('wasm', S).measured).toBe(false);
  });

  it('an unmeasured hardware GPU is expected at wasm speed, not at the software GPU ratio; a measurement wins', () => {
    const speeds = new SpeedBook();
    const wasm = speeds.speed('wasm', S).msPerStep;
    expect(speeds.speed('webgpu', S, 'hardware')).toEqual({ backend: 'webgpu', msPerStep: wasm, measured: false });
    expect(speeds.speed('webgpu', S, 'software').msPerStep).toBeCloseTo(95 * wasm);
    speeds.add('webgpu', S, wasm / 4);
    expect(speeds.speed('webgpu', S, 'hardware')).toEqual({ backend: 'webgpu', msPerStep: wasm / 4, measured: true });
  });
});
