// The step-time model's GPU figures are software GPUs' (measured here); a hardware GPU must not inherit them.
import { describe, expect, it } from 'vitest';
import { estimateRun, SLOW_STEP_MS } from './estimate';
import { BACKEND_SLOWDOWN, slowdown, stepCostMs, wasmStepMs } from './step-cost';

const HIGHRES = { network: 'highres3d' as const, patch: 32, batch: 2, runs: 1, steps: 1000, size: 64 };

describe('step cost on GPU backends', () => {
  it('software or unknown GPUs keep the slowdown measured here; a hardware GPU is taken as wasm until measured', () => {
    for (const backend of ['webgl', 'webgpu'] as const) {
      expect(slowdown(backend, 'unet2d')).toBe(BACKEND_SLOWDOWN[backend]);
      expect(slowdown(backend, 'unet2d', 'software')).toBe(BACKEND_SLOWDOWN[backend]);
      expect(slowdown(backend, 'unet2d', 'hardware')).toBe(1);
    }
    // Where the code runs on the CPU the GPU kind says nothing.
    expect(slowdown('cpu', 'unet3d', 'hardware')).toBe(slowdown('cpu', 'unet3d'));
    expect(slowdown('wasm', 'unet3d', 'hardware')).toBe(1);
    const p = { network: 'unet3d' as const, patch: 32, batch: 2 };
    expect(stepCostMs({ ...p, backend: 'webgpu', gpu: 'hardware' })).toBe(wasmStepMs(p));
  });

  it('a forced WebGPU on a hardware GPU is not held up by a software-GPU warning; on SwiftShader it is', () => {
    const soft = estimateRun({ ...HIGHRES, backend: 'webgpu', gpu: 'software' });
    expect(soft.msPerStep).toBeGreaterThan(SLOW_STEP_MS);
    expect(soft.problems.join(' ')).toMatch(/per step on webgpu/);
    const hard = estimateRun({ ...HIGHRES, backend: 'webgpu', gpu: 'hardware' });
    expect(hard.msPerStep).toBe(wasmStepMs(HIGHRES));
    expect(hard.problems.filter((p) => p.includes('per step'))).toEqual([]);
    // A measured figure wins over either model.
    expect(estimateRun({ ...HIGHRES, backend: 'webgpu', gpu: 'hardware', measuredMsPerStep: 40 }).msPerStep).toBe(40);
  });
});
