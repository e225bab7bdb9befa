import { describe, expect, it } from 'vitest';
import { BackendChoices, measureAllRequested } from './backend-choice';

/** localStorage's contract over a Map (Node has no localStorage); JSON text in, text out. */
class MapStorage {
  readonly map = new Map<string, string>();
  getItem = (k: string) => this.map.get(k) ?? null;
  setItem = (k: string, v: string) => void this.map.set(k, String(v));
  removeItem = (k: string) => void this.map.delete(k);
}

const wasm = { name: 'wasm' as const, msPerStep: 95 };
const webgl = { name: 'webgl' as const, msPerStep: 2400 };
const choice = (deviceKey: string, network: string, backend: 'wasm' | 'webgl') => ({
  deviceKey,
  network,
  backend,
  measured: [wasm, webgl],
});

describe('remembered backend choices', () => {
  it('survive a new instance on the same storage (a reload), per network', () => {
    const storage = new MapStorage();
    new BackendChoices(storage).remember(choice('dev-a', 'unet2d', 'wasm'));
    new BackendChoices(storage).remember(choice('dev-a', 'unet3d', 'webgl'));
    const after = new BackendChoices(storage);
    expect(after.forNetwork('unet2d')).toEqual([choice('dev-a', 'unet2d', 'wasm')]);
    expect(after.forNetwork('unet3d')).toEqual([choice('dev-a', 'unet3d', 'webgl')]);
    expect(after.forNetwork('highres3d')).toEqual([]);
  });

  it('a new measurement on the same device and network replaces the old one; other devices stay', () => {
    const store = new BackendChoices(new MapStorage());
    store.remember(choice('dev-a', 'unet2d', 'wasm'));
    store.remember(choice('dev-b', 'unet2d', 'wasm'));
    store.remember(choice('dev-a', 'unet2d', 'webgl'));
    expect(store.forNetwork('unet2d').map((c) => [c.deviceKey, c.backend])).toEqual([
      ['dev-b', 'wasm'],
      ['dev-a', 'webgl'],
    ]);
  });

  it('damaged or foreign entries are ignored, and no storage keeps nothing without failing', () => {
    const storage = new MapStorage();
    storage.setItem('slp.backend-choice.v1', '{not json');
    expect(new BackendChoices(storage).forNetwork('unet2d')).toEqual([]);
    storage.setItem('slp.backend-choice.v1', JSON.stringify([{ deviceKey: 1 }, choice('d', 'unet2d', 'wasm')]));
    expect(new BackendChoices(storage).forNetwork('unet2d')).toHaveLength(1);
    const none = new BackendChoices(null);
    none.remember(choice('d', 'unet2d', 'wasm'));
    expect(none.forNetwork('unet2d')).toEqual([]);
  });

  it('_measure=all is read from the query', () => {
    expect(measureAllRequested('?_measure=all&steps=3')).toBe(true);
    expect(measureAllRequested('?_measure=some')).toBe(false);
    expect(measureAllRequested('')).toBe(false);
  });
});
