import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchCheckpointFiles, fetchManifest } from './fetch-checkpoint';

const MODELS = join(process.cwd(), 'models');

/** A fetch that serves models/ under /app/ (what the Vite plugin does), and 404 elsewhere. */
function serveModels(): string[] {
  const asked: string[] = [];
  vi.stubGlobal('fetch', async (url: string) => {
    asked.push(url);
    const m = /^\/app\/models\/(.+)$/.exec(url);
    if (!m) return new Response('not found', { status: 404 });
    try {
      return new Response(readFileSync(join(MODELS, m[1])));
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
  return asked;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('fetchCheckpointFiles', () => {
  it('gets the manifest once and a checkpoint as text + bytes, same as the files', async () => {
    const asked = serveModels();
    const { entry, modelJson, weights } = await fetchCheckpointFiles({ id: 'unet2d', base: '/app/' });
    expect(entry.network).toBe('unet2d');
    expect(modelJson).toBe(readFileSync(join(MODELS, entry.modelJson), 'utf8'));
    expect(new Uint8Array(weights)).toEqual(new Uint8Array(readFileSync(join(MODELS, entry.weights))));
    await fetchCheckpointFiles({ id: 'unet2d', base: '/app/' });
    expect(asked.filter((u) => u.endsWith('index.json'))).toHaveLength(1);
    await expect(fetchCheckpointFiles({ id: 'nope', base: '/app/' })).rejects.toThrow(
      /no checkpoint 'nope' in models\/index.json \(there are unet2d/,
    );
  });

  it('an HTTP failure names the URL and is retried next time', async () => {
    let calls = 0;
    vi.stubGlobal('fetch', async (url: string) => {
      calls++;
      if (calls === 1) return new Response('busy', { status: 503 });
      return new Response(readFileSync(join(MODELS, url.replace('/b/models/', ''))));
    });
    await expect(fetchManifest('/b/')).rejects.toThrow('/b/models/index.json: HTTP 503');
    await new Promise((r) => setTimeout(r, 0));
    await expect(fetchManifest('/b/')).resolves.toMatchObject({ version: 1 });
    expect(calls).toBe(2);
  });
});
