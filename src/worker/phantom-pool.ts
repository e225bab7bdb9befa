// Spreads a dataset's phantoms over helper workers and this thread, so the cores a machine has
// generate them side by side. A helper that fails or cannot start leaves its phantoms to this thread.
import { generatePhantom, type Phantom, type PhantomInput } from '../engine/data/phantom';
import type { PhantomMaker } from '../engine/data/phantom-maker';

type Reply = { id: number; phantom?: Phantom; error?: string };

interface Helper {
  worker: Worker;
  waiting: Map<number, { resolve: (p: Phantom) => void; reject: (e: Error) => void }>;
}

/** Helpers beside this thread: one per spare core, at most `max`. */
export function helperCount(cores: number | undefined, max = 3): number {
  return Math.max(0, Math.min(max, (cores ?? 1) - 1));
}

export function createPhantomPool(count = helperCount(globalThis.navigator?.hardwareConcurrency)): PhantomMaker {
  let helpers: Helper[] | null = null;
  let nextId = 0;
  const start = (): Helper[] => {
    if (helpers) return helpers;
    helpers = [];
    if (typeof Worker === 'undefined') return helpers;
    for (let i = 0; i < count; i++) {
      try {
        const worker = new Worker(new URL('./phantom.worker.ts', import.meta.url), { type: 'module' });
        const h: Helper = { worker, waiting: new Map() };
        worker.onmessage = (ev: MessageEvent<Reply>) => {
          const w = h.waiting.get(ev.data.id);
          h.waiting.delete(ev.data.id);
          if (ev.data.phantom) w?.resolve(ev.data.phantom);
          else w?.reject(new Error(ev.data.error ?? 'phantom helper failed'));
        };
        worker.onerror = () => {
          for (const w of h.waiting.values()) w.reject(new Error('phantom helper stopped'));
          h.waiting.clear();
          helpers = helpers?.filter((x) => x !== h) ?? null;
        };
        helpers.push(h);
      } catch {
        break; // no nested workers here: this thread makes them all
      }
    }
    return helpers;
  };
  const ask = (h: Helper, input: PhantomInput): Promise<Phantom> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      h.waiting.set(id, { resolve, reject });
      h.worker.postMessage({ id, input });
    });
  return async (inputs) => {
    const pool = start();
    // Round-robin over this thread and the helpers; this thread's share is made while they work.
    const lanes = pool.length + 1;
    const remote = inputs.map((input, i) => (i % lanes === 0 ? null : ask(pool[(i % lanes) - 1], input)));
    const local = inputs.map((input, i) => (i % lanes === 0 ? generatePhantom(input) : null));
    return Promise.all(inputs.map((input, i) => local[i] ?? remote[i]!.catch(() => generatePhantom(input))));
  };
}
