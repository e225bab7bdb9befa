// init's prefetch: the page's phantoms are made while the backend starts, and prepareData then uses
// them instead of making them again; this thread's share waits for the backend (the gate).
import { describe, expect, it } from 'vitest';
import type { DataRequest } from '../domain/engine-types';
import { makePhantomsHere, type PhantomMaker, ThreadGate } from './data/phantom-maker';
import { createEngineHost } from './host';

const req: DataRequest = {
  seed: 4,
  lesion: 'tumour',
  fraction: 0.02,
  noise: 0.02,
  patch: 16,
  batch: 2,
  network: 'unet2d',
  shape: [24, 24, 12],
};

describe('init with a prefetch', () => {
  it('makes the phantoms once, during init, and prepareData waits for those', async () => {
    const calls: { seeds: number[]; gateHeld: boolean }[] = [];
    const gate = new ThreadGate();
    let backendDone = false;
    const make: PhantomMaker = async (inputs) => {
      calls.push({ seeds: inputs.map((o) => o.seed as number), gateHeld: !backendDone });
      await gate.free(); // as this thread's lane of the page's pool does
      return makePhantomsHere(inputs);
    };
    const host = createEngineHost(() => {}, { makePhantoms: make, gate });
    const report = await host.init({ backend: 'cpu', prefetch: req });
    backendDone = true;
    expect(report.active).toBe('cpu');
    expect(calls).toEqual([{ seeds: [4000, 4001, 4002], gateHeld: true }]);
    const summary = await host.prepareData(req);
    expect(calls.length).toBe(1);
    expect(summary.subjects).toEqual({ train: 2, validation: 1 });
  });

  it('other data asked for after the prefetch is made as asked', async () => {
    const seeds: number[] = [];
    const make: PhantomMaker = async (inputs) => {
      seeds.push(...inputs.map((o) => o.seed as number));
      return makePhantomsHere(inputs);
    };
    const host = createEngineHost(() => {}, { makePhantoms: make });
    await host.init({ backend: 'cpu', prefetch: req });
    await host.prepareData({ ...req, seed: 5 });
    expect(seeds).toEqual([4000, 4001, 4002, 5000, 5001, 5002]);
  });
});
