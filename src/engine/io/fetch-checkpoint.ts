// The shipped checkpoints over HTTP (models/ beside the page): the manifest (the page lists it) and one
// checkpoint's files as text + bytes (the engine fetches them for loadCheckpoint({ id, base })). tf-free.
import { EngineError } from '../../domain/errors';
import { type CheckpointEntry, type CheckpointManifest, parseManifest } from './manifest';

let manifestCache: { base: string; promise: Promise<CheckpointManifest> } | null = null;

async function get(url: string): Promise<Response> {
  const res = await globalThis.fetch(url);
  if (!res.ok) throw new EngineError(res.status === 404 ? 'not-found' : 'internal', `${url}: HTTP ${res.status}`);
  return res;
}

/** models/index.json under `base` (the app's base URL), fetched once. */
export function fetchManifest(base = '/'): Promise<CheckpointManifest> {
  if (manifestCache?.base !== base) {
    const promise = get(`${base}models/index.json`)
      .then((r) => r.json())
      .then(parseManifest);
    promise.catch(() => {
      manifestCache = null; // a failed fetch is retried next time
    });
    manifestCache = { base, promise };
  }
  return manifestCache.promise;
}

/** One checkpoint's entry, model.json text and weights bytes. */
export async function fetchCheckpointFiles(params: {
  id: string;
  base?: string;
}): Promise<{ entry: CheckpointEntry; modelJson: string; weights: ArrayBuffer }> {
  const base = params.base ?? '/';
  const manifest = await fetchManifest(base);
  const entry = manifest.checkpoints.find((c) => c.id === params.id);
  if (!entry)
    throw new EngineError(
      'not-found',
      `no checkpoint '${params.id}' in models/index.json (there are ${manifest.checkpoints.map((c) => c.id).join(', ') || 'none'})`,
    );
  const [modelJson, weights] = await Promise.all([
    get(`${base}models/${entry.modelJson}`).then((r) => r.text()),
    get(`${base}models/${entry.weights}`).then((r) => r.arrayBuffer()),
  ]);
  return { entry, modelJson, weights };
}
