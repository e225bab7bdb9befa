// The phantom helper workers, started by the page beside the engine worker rather than by it: a worker the
// engine starts waits for the engine's script (~1.7 MB, ~0.3 s) and for its thread to be free, while one
// started here has loaded and compiled its phantom code by the time the engine asks for the first phantom.
// Each talks to the engine over a MessagePort of its own; the page tells the engine of one that fails.
import type { PhantomInput } from '../engine/data/phantom';
import { helperCount } from './helper-count';
import type { HelperLinkMessage } from './phantom-helper';
import type { HelperNote } from './protocol';

export interface PageHelpers {
  /** How many started. */
  readonly count: number;
  terminate(): void;
}

/** The members of the engine worker used here. */
type EngineWorker = Pick<Worker, 'postMessage'>;

/**
 * Starts the helpers and hands `engine` a port to each (before any request, so the engine's pool has them
 * at the first); with none (one core, no nested workers here) the engine is told so and makes phantoms itself.
 * `ahead`: the phantoms the engine will ask for first (the link's prefetch), in its order; helper i makes
 * the i-th meanwhile (the engine's pool asks helper i for it first), the others warm their code up.
 */
export function startPageHelpers(
  engine: EngineWorker,
  ahead: readonly PhantomInput[] = [],
  count = helperCount(globalThis.navigator?.hardwareConcurrency),
  spawn: () => Worker = () => new Worker(new URL('./phantom.worker.ts', import.meta.url), { type: 'module' }),
): PageHelpers {
  const workers: Worker[] = [];
  const ports: MessagePort[] = [];
  for (let index = 0; index < count; index++) {
    let worker: Worker;
    try {
      worker = spawn();
    } catch {
      break; // workers refused here (CSP): the engine makes the phantoms itself
    }
    const { port1, port2 } = new MessageChannel();
    // Its first phantom is made (or, with none expected, the default phantom's code compiled) before it is asked.
    const link: HelperLinkMessage = ahead[index] ? { port: port1, speculate: ahead[index] } : { port: port1, warm: {} };
    worker.postMessage(link, [port1]);
    worker.onerror = () => engine.postMessage({ kind: 'helper-failed', index } satisfies HelperNote);
    workers.push(worker);
    ports.push(port2);
  }
  engine.postMessage({ kind: 'helpers', ports } satisfies HelperNote, ports);
  return {
    count: workers.length,
    terminate: () => {
      for (const w of workers) w.terminate();
    },
  };
}
