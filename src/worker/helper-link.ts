// The engine worker's end of the page's phantom helpers: a HelperWorker over each port the page sent, whose
// onerror the page's "helper-failed" note calls (a port never reports its worker's crash itself).
import type { HelperWorker } from './phantom-pool';
import type { HelperNote } from './protocol';

export interface HelperLink {
  /** Takes a note from the page. */
  take(note: HelperNote): void;
  /** The page's helpers; null until the page has said (it says before its first request). */
  helpers(): HelperWorker[] | null;
}

type PortLike = Pick<MessagePort, 'postMessage' | 'onmessage'>;

/** A port dressed as the worker behind it. */
function portHelper(port: PortLike): HelperWorker {
  return {
    onerror: null,
    postMessage: (msg: unknown, transfer?: Transferable[]) => port.postMessage(msg, transfer ?? []),
    get onmessage() {
      return port.onmessage;
    },
    set onmessage(handler) {
      port.onmessage = handler;
    },
  } as HelperWorker;
}

export function createHelperLink(): HelperLink {
  let helpers: HelperWorker[] | null = null;
  return {
    take(note) {
      if (note.kind === 'helpers') helpers = note.ports.map(portHelper);
      else (helpers?.[note.index]?.onerror as (() => void) | null | undefined)?.();
    },
    helpers: () => helpers,
  };
}
