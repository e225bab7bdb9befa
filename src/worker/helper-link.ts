// The engine worker's end of the page's phantom helpers: a HelperWorker over each port the page sent, whose
// onerror the page's "helper-failed" note calls (a port never reports its worker's crash itself), and a way
// to wait until every helper has finished what it was making before it was asked (backends are timed alone).
import type { HelperWorker } from './phantom-pool';
import type { HelperNote } from './protocol';

export interface HelperLink {
  /** Takes a note from the page. */
  take(note: HelperNote): void;
  /** The page's helpers; null until the page has said (it says before its first request). */
  helpers(): HelperWorker[] | null;
  /** Resolves once each helper has answered a settle (after whatever it was making); failed ones count. */
  settled(): Promise<void>;
}

type PortLike = Pick<MessagePort, 'postMessage' | 'onmessage'>;

interface Linked {
  worker: HelperWorker;
  port: PortLike;
  failed: boolean;
  waiting: (() => void)[];
}

/** A port dressed as the worker behind it; its "settled" answers go to `linked`, the rest to the pool. */
function link(port: PortLike): Linked {
  let handler: ((ev: MessageEvent) => void) | null = null;
  const linked: Linked = {
    port,
    failed: false,
    waiting: [],
    worker: {
      onerror: null,
      postMessage: (msg: unknown, transfer?: Transferable[]) => port.postMessage(msg, transfer ?? []),
      get onmessage() {
        return handler;
      },
      set onmessage(h) {
        handler = h;
      },
    } as HelperWorker,
  };
  port.onmessage = (ev: MessageEvent) => {
    if ((ev.data as { kind?: string } | null)?.kind !== 'settled') return handler?.(ev);
    for (const w of linked.waiting.splice(0)) w();
  };
  return linked;
}

export function createHelperLink(): HelperLink {
  let linked: Linked[] | null = null;
  return {
    take(note) {
      if (note.kind === 'helpers') {
        linked = note.ports.map(link);
        return;
      }
      const l = linked?.[note.index];
      if (!l) return;
      l.failed = true;
      for (const w of l.waiting.splice(0)) w();
      (l.worker.onerror as (() => void) | null)?.();
    },
    helpers: () => linked?.map((l) => l.worker) ?? null,
    async settled() {
      const asking = (linked ?? [])
        .filter((l) => !l.failed)
        .map(
          (l) =>
            new Promise<void>((resolve) => {
              l.waiting.push(resolve);
              l.port.postMessage({ kind: 'settle' });
            }),
        );
      await Promise.all(asking);
    },
  };
}
