// The header's validation readout: which run it shows.
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../state/store';
import { readoutRun } from './Transport';

const run = (id: string, dice: number[]): RunSummary => ({
  id,
  label: id.toUpperCase(),
  color: '#123456',
  config: {},
  status: 'running',
  statusStep: 0,
  steps: [],
  validation: dice.map((d, i) => ({ step: (i + 1) * 25, dice: d })),
  lrChanges: [],
  totalSteps: 300,
  startedAt: 0,
});

describe('readoutRun', () => {
  const runs = [run('wce', [0.5, 0.1]), run('gdl', [0.2, 0.6]), run('ss', [])];

  it('shows the picked run, else the best by its last validation Dice (not the first run)', () => {
    expect(readoutRun(runs, 'wce')).toEqual({ run: runs[0], best: false });
    expect(readoutRun(runs, null)).toEqual({ run: runs[1], best: true });
    expect(readoutRun(runs, 'gone')).toEqual({ run: runs[1], best: true });
  });

  it('before any validation: the first run; a single run is never called best; no runs: nothing', () => {
    expect(readoutRun([run('a', []), run('b', [])], null)).toEqual({ run: expect.objectContaining({ id: 'a' }), best: false });
    expect(readoutRun([run('a', [0.3])], null)?.best).toBe(false);
    expect(readoutRun([], null)).toBeNull();
  });
});
