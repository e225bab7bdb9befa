// A boundary-loss race driven as the page drives it (a link -> data and run requests -> Session), on a
// tiny phantom at 0.01% foreground: both runs train and validate with finite losses (the cost split is boundary-run.test.ts).
import { beforeAll, describe, expect, it } from 'vitest';

import { selectBackend } from '../src/engine/backend/backend';
import { recorder } from '../src/engine/train/events.test-utils';
import { Session } from '../src/engine/train/session';
import { buildDataRequest, buildRunRequests } from '../src/state/run-requests';
import { parseSettings } from '../src/state/settings';

beforeAll(async () => {
  await selectBackend({ requested: 'wasm' });
});

describe('a boundary race through the real engine', () => {
  it('?losses=gdl,boundary at 0.01%: both runs train three steps, the boundary options reach boundary only', async () => {
    const { settings, notices } = parseSettings(
      '?losses=gdl,boundary&fraction=0.0001&boundaryStart=0.2&boundaryRate=0.1&boundaryRegion=dice&size=32&patch=16&batch=2&steps=3',
    );
    expect(notices).toEqual([]);
    const requests = buildRunRequests(settings);
    expect(requests.map((r) => [r.loss, r.lossOptions])).toEqual([
      ['gdl', {}],
      ['boundary', { boundaryStart: '0.2', boundaryRate: '0.1', boundaryRegion: 'dice' }],
    ]);
    const r = recorder();
    const session = new Session(r.emit, { trainer: { readEvery: 1, validateEvery: 3, snapshotEvery: 0 } });
    await session.prepareData(buildDataRequest(settings));
    await session.createRuns(requests);
    for (let k = 0; k < 3; k++) await session.control('step');
    await session.whenIdle();
    for (const req of requests) {
      const statuses = r.of('status').filter((e) => e.runId === req.runId);
      expect(statuses.at(-1)?.status, `${req.runId}: ${statuses.at(-1)?.message ?? ''}`).not.toBe('error');
      const points = r.of('steps').flatMap((e) => (e.runId === req.runId ? e.points : []));
      expect(points.map((p) => p.step)).toEqual([1, 2, 3]);
      expect(points.every((p) => Number.isFinite(p.loss))).toBe(true);
      expect(r.of('validation').some((e) => e.runId === req.runId)).toBe(true);
    }
    await session.disposeRuns();
  });
});
