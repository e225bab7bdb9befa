// The engine worker probes the device before the page's init arrives: the first auto init plans with that
// probe (its device key, its remembered choice); a later init probes afresh.
import { describe, expect, it } from 'vitest';
import { type DeviceProbe, deviceKey, probeDevice } from './backend/measure';
import { createEngineHost } from './host';

describe('init with a probe made early', () => {
  it('the first auto init uses it; the next one probes the device again', async () => {
    const early: DeviceProbe = { adapter: null, webglRenderer: 'Early Test GL', cores: 6 };
    const key = 'webgpu:none|webgl:Early Test GL|cores:6';
    const host = createEngineHost(() => {}, { probe: Promise.resolve(early) });
    const remembered = [{ deviceKey: key, network: 'unet2d', backend: 'wasm' as const, measured: [] }];
    const measure = { network: 'unet2d' as const, batch: 2, remembered };
    const first = await host.init({ backend: 'auto', measure });
    expect(first.deviceKey).toBe(key);
    expect(first.chosenBy).toBe('remembered');
    expect(first.active).toBe('wasm');
    // A fresh probe reads this machine (Node: no WebGL, no WebGPU), not the early one.
    const second = await host.init({ backend: 'auto', measure });
    expect(second.deviceKey).toBe(deviceKey(await probeDevice()));
  });
});
