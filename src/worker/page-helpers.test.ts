// The page's phantom helpers and the engine's end of them, over real MessagePorts (Node has MessageChannel,
// not Worker: the workers here only hold their port; e2e/startup-helpers.spec.ts runs the real ones).
import { describe, expect, it } from 'vitest';
import { createHelperLink } from './helper-link';
import { startPageHelpers } from './page-helpers';
import type { HelperNote } from './protocol';

/** A worker that keeps the port the page sends it and records the rest. */
function holdingWorker() {
  const w = {
    got: [] as unknown[],
    port: null as MessagePort | null,
    terminated: false,
    onerror: null as (() => void) | null,
    postMessage(msg: { port?: MessagePort }) {
      w.got.push(msg);
      if (msg.port) w.port = msg.port;
    },
    terminate() {
      w.terminated = true;
    },
  };
  return w;
}

describe('page helpers', () => {
  it('each helper gets a port and a warm-up; the engine gets the other ends and hears of a failure by index', async () => {
    const workers: ReturnType<typeof holdingWorker>[] = [];
    const told: HelperNote[] = [];
    const engine = { postMessage: (msg: HelperNote) => told.push(msg) };
    const helpers = startPageHelpers(engine as unknown as Worker, [], 2, () => {
      const w = holdingWorker();
      workers.push(w);
      return w as unknown as Worker;
    });
    expect(helpers.count).toBe(2);
    expect(workers.map((w) => (w.got[0] as { warm?: unknown }).warm)).toEqual([{}, {}]);
    expect(told[0].kind).toBe('helpers');

    // The engine's end: a request on helper 1 arrives at worker 1's port, and its reply comes back.
    const link = createHelperLink();
    expect(link.helpers()).toBeNull(); // nothing until the page's note
    link.take(told[0]);
    const [, second] = link.helpers() ?? [];
    const reply = new Promise((resolve) => {
      second.onmessage = (ev: MessageEvent) => resolve(ev.data);
    });
    const asked = new Promise((resolve) => {
      (workers[1].port as MessagePort).onmessage = (ev) => resolve(ev.data);
    });
    second.postMessage({ id: 4, input: { seed: 9 } });
    expect(await asked).toEqual({ id: 4, input: { seed: 9 } });
    workers[1].port?.postMessage({ id: 4, error: 'no' });
    expect(await reply).toEqual({ id: 4, error: 'no' });

    // Worker 1 fails: the engine is told, and its helper's onerror runs there.
    let failed = false;
    second.onerror = () => {
      failed = true;
    };
    workers[1].onerror?.();
    expect(told[1]).toEqual({ kind: 'helper-failed', index: 1 });
    link.take(told[1]);
    expect(failed).toBe(true);

    helpers.terminate();
    expect(workers.every((w) => w.terminated)).toBe(true);
    for (const w of workers) w.port?.close();
    for (const h of link.helpers() ?? []) h.onmessage = null;
  });

  it('where workers are refused, the engine is told there are none (it makes the phantoms itself)', () => {
    const told: HelperNote[] = [];
    const helpers = startPageHelpers({ postMessage: (msg: HelperNote) => told.push(msg) } as unknown as Worker, [], 3, () => {
      throw new Error('CSP');
    });
    expect(helpers.count).toBe(0);
    expect(told).toEqual([{ kind: 'helpers', ports: [] }]);
    const link = createHelperLink();
    link.take(told[0]);
    expect(link.helpers()).toEqual([]);
  });
});
