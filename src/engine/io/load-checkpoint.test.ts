// The engine fetches shipped checkpoints itself, from a real HTTP server serving models/ under /app/.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../domain/errors';
import { Session } from '../train/session';
import { IoController } from './io-host';

const MODELS = join(process.cwd(), 'models');
let server: Server;
let base: string;
const asked: string[] = [];
let failNext = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    asked.push(req.url ?? '');
    const m = /^\/app\/models\/([\w./-]+)$/.exec(req.url ?? '');
    if (failNext > 0) {
      failNext--;
      res.writeHead(503).end('busy');
      return;
    }
    try {
      if (!m || m[1].includes('..')) throw new Error('outside models/');
      res.writeHead(200).end(readFileSync(join(MODELS, m[1])));
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/app/`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e) => (e instanceof EngineError ? e.code : `not an EngineError: ${e}`),
  );

describe('loadCheckpoint({ id, base })', () => {
  it('fetches each file once per id, and loads what loading the files as bytes loads', async () => {
    const io = new IoController(new Session(() => {}));
    asked.length = 0;
    const [a, b] = await Promise.all([io.loadCheckpoint({ id: 'unet2d', base }), io.loadCheckpoint({ id: 'unet2d', base })]);
    await io.loadCheckpoint({ id: 'unet2d', base });
    expect(a).toBe(b);
    expect([...asked].sort()).toEqual([
      '/app/models/index.json',
      '/app/models/unet2d/model.json',
      '/app/models/unet2d/weights.bin',
    ]);
    const fetched = io.checkpoints
      .get('unet2d')
      .model.getWeights()
      .map((w) => Array.from(w.dataSync()));

    const bytes = new IoController(new Session(() => {}));
    const info = await bytes.loadCheckpoint({
      id: 'unet2d',
      modelJson: readFileSync(join(MODELS, 'unet2d/model.json'), 'utf8'),
      weights: new Uint8Array(readFileSync(join(MODELS, 'unet2d/weights.bin'))),
    });
    expect(a).toEqual(info);
    expect(
      bytes.checkpoints
        .get('unet2d')
        .model.getWeights()
        .map((w) => Array.from(w.dataSync())),
    ).toEqual(fetched);
    io.checkpoints.dispose();
    bytes.checkpoints.dispose();
  });

  it('names what is missing as not-found, and tries a failed fetch again', async () => {
    const io = new IoController(new Session(() => {}));
    expect(await codeOf(io.loadCheckpoint({ id: 'nope', base }))).toBe('not-found');
    expect(await codeOf(io.loadCheckpoint({ id: 'unet2d', base: `${base}elsewhere/` }))).toBe('not-found');
    expect(await codeOf(io.loadCheckpoint({ id: 'unet2d', base: '/app/' }))).toBe('invalid-request');
    failNext = 1; // the next request answers 503
    expect(await codeOf(io.loadCheckpoint({ id: 'twopath2d', base }))).toBe('internal');
    await expect(io.loadCheckpoint({ id: 'twopath2d', base })).resolves.toMatchObject({ network: 'twopath2d' });
    asked.length = 0;
    await io.loadCheckpoint({ id: 'twopath2d', base });
    expect(asked).toEqual([]);
    io.checkpoints.dispose();
  });
});
