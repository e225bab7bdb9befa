// Spreads a dataset's phantoms over helper workers and this thread, so the cores a machine has
// generate them side by side: each lane takes the next phantom when it is free; this thread's lane
// waits while its gate is held (the backend starting). A helper that fails leaves its work to the others.
// The helpers are the page's (adopted, over ports) or, where the page started none, spawned here.
import { generatePhantom, type Phantom, type PhantomInput } from '../engine/data/phantom';
import type { PhantomMaker, ThreadGate } from '../engine/data/phantom-maker';
import { warmUpPhantomCode } from '../engine/data/phantom-warmup';
import { helperCount } from './helper-count';

type Reply = { id: number; phantom?: Phantom; error?: string };

/** The part of a Worker the pool uses (tests hand in their own). */
export type HelperWorker = Pick<Worker, 'postMessage' | 'onmessage' | 'onerror'>;

interface Helper {
  worker: HelperWorker;
  waiting: Map<number, { resolve: (p: Phantom) => void; reject: (e: Error) => void }>;
}

export interface PoolOptions {
  count?: number;
  /** Held while this thread is needed elsewhere; helpers go on meanwhile. */
  gate?: ThreadGate;
  /** Helpers started elsewhere (the page's, over ports), asked for at the first request; null: none were, spawn them here. */
  adopt?: () => HelperWorker[] | null;
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
  /** The helpers to use: the adopted ones, else `count` spawned here (as many as the platform allows). */
  const workers = (): HelperWorker[] => {
    const adopted = opts.adopt?.();
    if (adopted) return adopted;
    const out: HelperWorker[] = [];
    for (let i = 0; i < count; i++) {
      try {
        const worker = opts.spawn ? opts.spawn() : spawnWorker();
        if (!worker) break;
        out.push(worker);
      } catch {
        break; // no nested workers here: this thread makes them all
      }
    }
    return out;
  };
  const start = (): Helper[] => {
    if (helpers) return helpers;
    helpers = [];
    for (const worker of workers()) {
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
    }
    return helpers;
  };
  const ask = (h: Helper, input: PhantomInput): Promise<Phantom> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      h.waiting.set(id, { resolve, reject });
      h.worker.postMessage({ id, input });
    });
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
    // A phantom sent to a helper: its task and the reply.
    type Sent = { task: (typeof queue)[number]; reply: Promise<Phantom> };
    const send = (h: Helper): Sent | null => {
      const task = queue.shift();
      if (!task) return null;
      const reply = ask(h, task.input);
      reply.catch(() => undefined); // a phantom sent ahead to a helper that then fails is never awaited
      return { task, reply };
    };
    // Each helper's phantom sent ahead, waiting in its port behind the one it is making.
    const ahead = new Map<Helper, Sent>();
    const running = new Set<Helper>();
    const helperLane = async (h: Helper) => {
      running.add(h);
      try {
        await helperLoop(h);
      } finally {
        running.delete(h);
      }
    };
    const helperLoop = async (h: Helper) => {
      for (let sent = send(h); sent; sent = ahead.get(h) ?? send(h)) {
        ahead.delete(h);
        let phantom: Phantom;
        try {
          phantom = await sent.reply;
        } catch {
          // This helper is done; the others (and this thread) take its phantoms.
          const next = ahead.get(h);
          if (next) queue.unshift(next.task);
          ahead.delete(h);
          queue.unshift(sent.task);
          return;
        }
        made(sent.task.i, phantom);
      }
    };
    const localLane = async () => {
      if (opts.gate) {
        await opts.gate.free();
        await breathe(); // the reply that ended the hold (init's) goes out before this thread is busy
      }
      for (let task = queue.shift(); task; task = queue.shift()) {
        // This thread hears a helper's reply only after its own phantom: a busy helper gets its next one now.
        for (const h of running) if (!ahead.has(h) && queue.length) ahead.set(h, send(h) as Sent);
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
