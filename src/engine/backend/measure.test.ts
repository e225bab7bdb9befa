import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { autoBackend, autoCandidates, type DeviceProbe, deviceKey, gpuKind, isSoftwareRenderer, sameDevice } from './measure';
import { measuredPatch } from '../../domain/network-spec';
import { fastest, measureCandidates } from './measure-steps';
import { trySetBackend } from './backend';

const SWIFTSHADER_GL = 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)';
const NVIDIA_GL = 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 (0x00002503) Direct3D11 vs_5_0 ps_5_0, D3D11)';
const softGpu = { vendor: 'google', architecture: 'swiftshader', isFallback: true };
const hardGpu = { vendor: 'nvidia', architecture: 'ampere', isFallback: false };
const node: DeviceProbe = { adapter: null, webglRenderer: null, cores: 2 };
const tiny = { network: 'unet2d' as const, batch: 1, patch: 16, timedSteps: 2 };
const activate = async (name: 'wasm' | 'cpu' | 'webgl' | 'webgpu') => void (await trySetBackend(name, false));

describe('the candidate rule', () => {
  it('this machine (software WebGPU and WebGL): wasm only, each other one skipped with its reason', () => {
    const { candidates, skipped } = autoCandidates({ adapter: softGpu, webglRenderer: SWIFTSHADER_GL, cores: 2 });
    expect(candidates).toEqual(['wasm']);
    expect(skipped).toEqual([
      { name: 'webgl', skipped: 'software renderer (SwiftShader), skipped' },
      { name: 'webgpu', skipped: 'software adapter (swiftshader), skipped' },
    ]);
  });

  it('hardware adapter and renderer: all three, wasm first, webgpu last', () => {
    expect(autoCandidates({ adapter: hardGpu, webglRenderer: NVIDIA_GL, cores: 8 }).candidates).toEqual([
      'wasm',
      'webgl',
      'webgpu',
    ]);
  });

  it('llvmpipe and "Software" renderers count as software; _measure=all admits them', () => {
    for (const r of ['llvmpipe (LLVM 15.0.6, 256 bits)', 'Microsoft Basic Render Driver', 'Software Rasterizer']) {
      expect(isSoftwareRenderer(r)).toBe(true);
      expect(autoCandidates({ adapter: null, webglRenderer: r, cores: 2 }).candidates).toEqual(['wasm']);
    }
    expect(isSoftwareRenderer(NVIDIA_GL)).toBe(false);
    const all = autoCandidates({ adapter: softGpu, webglRenderer: SWIFTSHADER_GL, cores: 2 }, { includeSoftware: true });
    expect(all).toEqual({ candidates: ['wasm', 'webgl', 'webgpu'], skipped: [] });
  });

  it("a GPU backend's kind: webgpu's from its adapter, webgl's from the renderer (read only for webgl)", () => {
    const never = () => {
      throw new Error('the renderer is read for webgl only');
    };
    expect(gpuKind('webgpu', hardGpu, never)).toBe('hardware');
    expect(gpuKind('webgpu', softGpu, never)).toBe('software');
    expect(gpuKind('webgpu', undefined, never)).toBeUndefined();
    expect(gpuKind('webgl', undefined, () => NVIDIA_GL)).toBe('hardware');
    expect(gpuKind('webgl', hardGpu, () => SWIFTSHADER_GL)).toBe('software');
    expect(gpuKind('webgl', undefined, () => null)).toBeUndefined();
    expect(gpuKind('wasm', hardGpu, never)).toBeUndefined();
    expect(gpuKind('cpu', undefined, never)).toBeUndefined();
  });

  it('no adapter and no context are reasons too', () => {
    expect(autoCandidates(node).skipped.map((s) => s.skipped)).toEqual(['no WebGL context', 'no WebGPU adapter']);
  });

  it('the device key changes with the adapter, the renderer and the cores', () => {
    const keys = new Set([
      deviceKey(node),
      deviceKey({ ...node, cores: 4 }),
      deviceKey({ ...node, webglRenderer: NVIDIA_GL }),
      deviceKey({ ...node, adapter: hardGpu }),
      deviceKey({ ...node, adapter: softGpu }),
    ]);
    expect(keys.size).toBe(5);
  });
});

describe('measuring wasm and cpu in Node (real tfjs)', () => {
  it('times each candidate, leaves no tensors behind, and auto activates the fastest', async () => {
    await activate('wasm');
    const before = tf.memory().numTensors;
    // No bound here (a loaded machine can stretch cpu's warm-up past 10x wasm); the bound has its own test.
    const measured = await measureCandidates({ ...tiny, candidates: ['wasm', 'cpu'], bound: Infinity, activate });
    expect(measured.map((m) => m.name)).toEqual(['wasm', 'cpu']);
    for (const m of measured) {
      expect(m.msPerStep).toBeGreaterThan(0);
      expect(m.warmupMs).toBeGreaterThan(0);
    }
    expect(tf.memory().numTensors).toBe(before);
    const [w, c] = measured.map((m) => m.msPerStep ?? 0);
    expect(fastest(measured)).toBe(w < c ? 'wasm' : 'cpu');

    const plans: { measuring: boolean }[] = [];
    const report = await autoBackend({
      ...tiny,
      probe: node,
      candidates: ['wasm', 'cpu'],
      bound: Infinity,
      onPlan: (p) => plans.push(p),
    });
    expect(plans).toEqual([{ measuring: true }]);
    expect(report.chosenBy).toBe('measured');
    expect(report.measured.filter((m) => m.msPerStep).map((m) => m.name)).toEqual(['wasm', 'cpu']);
    expect(report.active).toBe(fastest(report.measured));
    expect(tf.getBackend()).toBe(report.active);
    expect(report.deviceKey).toBe(deviceKey(node));
  });

  it('times nothing until beforeTiming has resolved (the page’s helpers finish first); not asked when nothing is timed', async () => {
    let release = () => {};
    const order: string[] = [];
    const measuring = autoBackend({
      ...tiny,
      probe: node,
      candidates: ['wasm', 'cpu'],
      bound: Infinity,
      beforeTiming: () => {
        order.push('asked');
        return new Promise<void>((r) => (release = r));
      },
    }).then((r) => {
      order.push('chosen');
      return r;
    });
    await expect.poll(() => order).toEqual(['asked']);
    await new Promise((r) => setTimeout(r, 50));
    expect(order).toEqual(['asked']); // still waiting: no backend timed
    release();
    expect((await measuring).chosenBy).toBe('measured');
    expect(order).toEqual(['asked', 'chosen']);
    let asked = 0;
    const one = await autoBackend({
      ...tiny,
      probe: node,
      candidates: ['cpu'],
      beforeTiming: async () => void asked++,
    });
    expect(one.chosenBy).toBe('only-one');
    expect(asked).toBe(0);
  });

  it('a candidate whose warm-up outlasts the bound is stopped, and freed once its step ends', async () => {
    await activate('wasm');
    const before = tf.memory().numTensors;
    // A bound of 0.001 x wasm's total gives cpu microseconds: its warm-up cannot make it.
    const measured = await measureCandidates({ ...tiny, candidates: ['wasm', 'cpu'], bound: 0.001, activate });
    expect(measured[0].msPerStep).toBeGreaterThan(0);
    expect(measured[1]).toEqual({
      name: 'cpu',
      skipped: expect.stringMatching(
        /^stopped: warm-up (took|still running at) \d+ ms, past 0.001x the best total so far \(\d+ ms\)$/,
      ),
    });
    await expect.poll(() => tf.memory().numTensors, { timeout: 20_000 }).toBe(before);
  });

  it('the measured patch is the network default, snapped to its size rule', () => {
    expect(measuredPatch('unet2d')).toBe(64);
    expect(measuredPatch('unet3d')).toBe(32);
    expect(measuredPatch('unet2d', 63)).toBe(64);
  });
});

describe('choices without measuring', () => {
  const figures = [{ name: 'cpu' as const, msPerStep: 1 }];

  it('a remembered choice for this device is used as it is (cpu, though wasm is faster), with its figures', async () => {
    const remembered = [{ deviceKey: deviceKey(node), network: 'unet2d', backend: 'cpu' as const, measured: figures }];
    const plans: { measuring: boolean }[] = [];
    const report = await autoBackend({
      ...tiny,
      probe: node,
      candidates: ['wasm', 'cpu'],
      remembered,
      onPlan: (p) => plans.push(p),
    });
    expect(report).toMatchObject({ active: 'cpu', chosenBy: 'remembered', measured: figures });
    expect(plans).toEqual([{ measuring: false }]);
    expect(tf.getBackend()).toBe('cpu');
  });

  it('another device or another network is measured afresh', async () => {
    // This load's probe reads a software GPU; the remembered device had an NVIDIA one.
    const probe: DeviceProbe = { adapter: softGpu, webglRenderer: SWIFTSHADER_GL, cores: 2 };
    const other = { adapter: hardGpu, webglRenderer: NVIDIA_GL, cores: 2 };
    for (const r of [
      { deviceKey: deviceKey(other), network: 'unet2d', backend: 'cpu' as const, measured: figures },
      { deviceKey: deviceKey(probe), network: 'unet3d', backend: 'cpu' as const, measured: figures },
    ]) {
      const report = await autoBackend({ ...tiny, probe, candidates: ['wasm', 'cpu'], remembered: [r], bound: Infinity });
      expect(report.chosenBy).toBe('measured');
      expect(report.measured.every((m) => m.msPerStep !== 1)).toBe(true);
    }
  });

  it('a probe that reads no renderer or adapter this time, or other cores, is not another device; one that gained a GPU is', async () => {
    const gpu = { adapter: softGpu, webglRenderer: SWIFTSHADER_GL, cores: 2 };
    const key = deviceKey(gpu);
    expect(sameDevice(key, key)).toBe(true);
    expect(sameDevice(key, deviceKey({ ...gpu, webglRenderer: null }))).toBe(true);
    expect(sameDevice(key, deviceKey({ ...gpu, adapter: null }))).toBe(true);
    // A VM's visible CPU count changes between loads: the same device.
    expect(sameDevice(key, deviceKey({ ...gpu, cores: 4 }))).toBe(true);
    expect(sameDevice(key, deviceKey({ ...gpu, webglRenderer: 'ANGLE (NVIDIA GeForce RTX 4090)' }))).toBe(false);
    expect(sameDevice(deviceKey({ ...gpu, webglRenderer: null, adapter: null }), key)).toBe(false);
  });

  it('one usable backend: activated without a measurement, the skipped ones say why', async () => {
    const report = await autoBackend({ ...tiny, probe: { adapter: softGpu, webglRenderer: SWIFTSHADER_GL, cores: 2 } });
    expect(report.chosenBy).toBe('only-one');
    expect(report.active).toBe('wasm');
    expect(report.measured.every((m) => m.skipped && m.msPerStep === undefined)).toBe(true);
    expect(report.attempts.map((a) => [a.name, a.ok])).toEqual([
      ['webgl', false],
      ['webgpu', false],
      ['wasm', true],
    ]);
  });
});
