// The worker boundary in Node: a real MessageChannel (structured cloning, transfer lists) between the
// worker client and serveEngine, against the in-thread client. Errors arrive as the same EngineError.
import { afterEach, describe, expect, it } from 'vitest';
import { ERROR_CODES, EngineError } from '../domain/errors';
import type { EngineApi } from '../engine/api';
import { writeNifti } from '../engine/data/nifti';
import { createVolume } from '../engine/data/volume';
import { createEngineHost } from '../engine/host';
import { createChannelClient } from './channel';
import { createInlineClient, type EngineClient } from './client';

const open: EngineClient[] = [];
afterEach(() => {
  for (const c of open.splice(0)) c.dispose();
});

/** A worker client talking to serveEngine over a MessageChannel, as the page talks to engine.worker.ts. */
function channelClient(createHost: Parameters<typeof createChannelClient>[0]): EngineClient {
  const client = createChannelClient(createHost);
  open.push(client);
  return client;
}

function inlineClient(): EngineClient {
  const client = createInlineClient();
  open.push(client);
  return client;
}

/** What a rejection carries across the boundary, or a marker when the call did not reject. */
async function rejection(p: Promise<unknown>) {
  try {
    await p;
  } catch (err) {
    const e = err as EngineError;
    return { isEngineError: err instanceof EngineError, name: e.name, code: e.code, message: e.message, problems: e.problems };
  }
  return 'resolved';
}

const TINY = {
  seed: 2,
  lesion: 'tumour',
  fraction: 0.03,
  noise: 0.02,
  patch: 32,
  batch: 1,
  network: 'unet2d',
  shape: [32, 32, 12],
} as const;
const run = { runId: 'a', loss: 'gdl' as const, lossOptions: {}, lr: 1e-2, network: 'unet2d' as const, steps: 2, seed: 1 };

describe('errors cross the worker as data', () => {
  it('every code survives the round trip with name, message and problems intact', async () => {
    for (const code of ERROR_CODES) {
      const problems = [
        { field: 'lambda', message: `${code}: first` },
        { field: 'epsilon', message: `${code}: second` },
      ];
      const client = channelClient(
        () =>
          ({
            ping: async () => {
              throw new EngineError(code, `failed with ${code}`, { problems, name: `Named-${code}` });
            },
          }) as unknown as EngineApi,
      );
      expect(await rejection(client.call('ping', { t: 1 }))).toEqual({
        isEngineError: true,
        name: `Named-${code}`,
        code,
        message: `failed with ${code}`,
        problems,
      });
    }
  });

  it('a plain Error thrown past the engine arrives as internal, keeping its name and message', async () => {
    const client = channelClient(
      () =>
        ({
          ping: async () => {
            throw new TypeError('boom');
          },
        }) as unknown as EngineApi,
    );
    expect(await rejection(client.call('ping', { t: 1 }))).toMatchObject({
      name: 'TypeError',
      code: 'internal',
      message: 'boom',
    });
  });

  it('the real engine rejects alike through the worker client and the inline client', async () => {
    const clients = [channelClient(createEngineHost), inlineClient()];
    const seen: unknown[][] = [];
    for (const c of clients) {
      await c.call('init', { backend: 'cpu' });
      const out: unknown[] = [];
      out.push(await rejection(c.call('createRuns', { runs: [run] })));
      out.push(await rejection(c.call('control', { action: 'play' })));
      out.push(await rejection(c.call('segment', { checkpoint: 'nope' })));
      out.push(await rejection(c.call('debugFault', { drill: 'crash' })));
      await c.call('prepareData', { ...TINY, shape: [...TINY.shape] });
      out.push(await rejection(c.call('createRuns', { runs: [{ ...run, lossOptions: { lambda: 0.1, epsilon: -1 } }] })));
      out.push(await rejection(c.call('createRuns', { runs: [{ ...run, network: 'unet3d' }] })));
      out.push(await rejection(c.call('loadCheckpoint', { id: 'unet2d', base: '/relative/' })));
      seen.push(out);
    }
    expect(seen[1]).toEqual(seen[0]);
    const codes = seen[0].map((r) => (r as { code: string }).code);
    expect(codes).toEqual([
      'no-data',
      'no-runs',
      'not-found',
      'unsupported',
      'invalid-options',
      'invalid-request',
      'invalid-request',
    ]);
    expect(seen[0].every((r) => (r as { isEngineError: boolean }).isEngineError)).toBe(true);
    expect(seen[0][4]).toMatchObject({
      name: 'LossOptionsError',
      problems: [
        { field: 'lambda', message: expect.stringMatching(/^gdl: unknown option 'lambda'/) },
        { field: 'epsilon', message: expect.stringMatching(/^gdl: epsilon must be/) },
      ],
    });
  });
});

describe('page-to-worker calls transfer their buffers', () => {
  const nifti = () => writeNifti(createVolume({ dims: [4, 4, 3], data: Float32Array.from({ length: 48 }, (_, i) => i) }));

  it('sent bytes move to the engine (the caller keeps an empty view), in both clients', async () => {
    for (const c of [channelClient(createEngineHost), inlineClient()]) {
      await c.call('init', { backend: 'cpu' });
      const bytes = nifti();
      const size = bytes.byteLength;
      expect(await c.call('addUserFiles', { files: [{ name: 'a_T1.nii', bytes }] })).toEqual({ ids: ['a_T1.nii'] });
      expect(bytes.byteLength).toBe(0); // detached: the engine owns them now
      expect(size).toBeGreaterThan(348);
      const report = await c.call('validateUserData', { choices: {} });
      expect(report.files.map((f) => [f.name, f.dims])).toEqual([['a_T1.nii', [4, 4, 3]]]);
      // Sending the same (now detached) bytes again is the caller's mistake, named as such.
      expect(await rejection(c.call('addUserFiles', { files: [{ name: 'b_T1.nii', bytes }] }))).toMatchObject({
        code: 'invalid-request',
        message: expect.stringMatching(/already sent \(detached\)/),
      });
    }
  });
});
