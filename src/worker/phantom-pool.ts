// Spreads a dataset's phantoms over helper workers and this thread, so the cores a machine has
// generate them side by side: each lane takes the next phantom when it is free; this thread's lane
// waits while its gate is held (the backend starting). A helper that fails leaves its work to the others.
import { generatePhantom, type Phantom, type PhantomInput } from '../engine/data/phantom';
import type { PhantomMaker, ThreadGate } from '../engine/data/phantom-maker';
import { warmUpPhantomCode } from '../engine/data/phantom-warmup';

type Reply = { id: number; phantom?: Phantom; error?: string };

/** The part of a Worker the pool uses (tests hand in their own). */
export type HelperWorker = Pick<Worker, 'postMessage' | 'onmessage' | 'onerror'>;

interface Helper {
  worker: HelperWorker;
  waiting: Map<number, { resolve: (p: Phantom) => void; reject: (e: Error) => void }>;
}

/** Helpers beside this thread: one per spare core, at most `max`. */
export function helperCount(cores: number | undefined, max = 3): number {
  return Math.max(0, Math.min(max, (cores ?? 1) - 1));
}

export interface PoolOptions {
  count?: number;
  /** Held while this thread is needed elsewhere; helpers go on meanwhile. */
  gate?: ThreadGate;
  /** Start the helpers now rather than at the first request. */
  eager?: boolean;
  /** Makes a helper; default a module Worker of phantom.worker.ts (none where Worker is missing). */
  spawn?: () => HelperWorker;
  /** Told of each phantom as it is made, before the whole request is done (work on it can start). */
  onMade?: (phantom: Phantom) => void;
}

const spawnWorker = (): HelperWorker | null =>
  typeof Worker === 'undefined' ? null : new Worker(new URL('./phantom.worker.ts', import.meta.url), { type: 'module' });

export function createPhantomPool(opts: PoolOptions = {}): PhantomMaker {
  const count = opts.count ?? helperCount(globalThis.navigator?.hardwareConcurrency);
  let helpers: Helper[] | null = null;
  let nextId = 0;
  const start = (): Helper[] => {
    if (helpers) return helpers;
    helpers = [];
    for (let i = 0; i < count; i++) {
      try {
        const worker = opts.spawn ? opts.spawn() : spawnWorker();
        if (!worker) break;
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
  // A nested worker starts only while its parent's thread is free: started now, helpers are ready
  // before this thread's first phantom (made synchronously) would hold them up.
  if (opts.eager) start();
  // Between phantoms this thread yields, so helpers' replies and other requests are heard.
  const breathe = () => new Promise((r) => setTimeout(r, 0));
  return async (inputs, onEach) => {
    const pool = start();
    const queue = inputs.map((input, i) => ({ input, i }));
    const out: Phantom[] = [];
    const made = (i: number, p: Phantom) => {
      out[i] = p;
      opts.onMade?.(p);
      onEach?.(i, p);
    };
    const helperLane = async (h: Helper) => {
      for (let task = queue.shift(); task; task = queue.shift()) {
        let phantom: Phantom;
        try {
          phantom = await ask(h, task.input);
        } catch {
          queue.unshift(task); // this helper is done; the others (and this thread) take it
          return;
        }
        made(task.i, phantom);
      }
    };
    const localLane = async () => {
      if (opts.gate) {
        await opts.gate.free();
        await breathe(); // the reply that ended the hold (init's) goes out before this thread is busy
      }
      for (let task = queue.shift(); task; task = queue.shift()) {
        warmUpPhantomCode(task.input);
        made(task.i, generatePhantom(task.input));
        if (queue.length) await breathe();
      }
    };
    await Promise.all([localLane(), ...pool.map(helperLane)]);
    // A helper that failed after this thread's lane ended left its phantom in the queue.
    for (let task = queue.shift(); task; task = queue.shift()) made(task.i, generatePhantom(task.input));
    return out;
  };
}
