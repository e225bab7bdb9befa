// A phantom helper's work, apart from its worker scope (tested in Node over MessagePorts): it answers the
// engine's requests and, started by the page for a link, makes that link's phantom before it is asked
// (the engine has not loaded yet), then answers the matching request with it.
import { generatePhantom, type Phantom, type PhantomInput } from '../engine/data/phantom';
import { warmUpPhantomCode } from '../engine/data/phantom-warmup';
import { collectTransferables } from './protocol';

export type HelperRequest = { id: number; input: PhantomInput } | { kind: 'settle' };

/** What the page sends a helper it starts: the port to the engine, and what to make meanwhile. */
export interface HelperLinkMessage {
  port: MessagePort;
  /** The phantom the engine is expected to ask of this helper first (the link's prefetch). */
  speculate?: PhantomInput;
  /** Else: a phantom whose code paths to compile now. */
  warm?: PhantomInput;
}

export interface Endpoint {
  postMessage(msg: unknown, transfer: Transferable[]): void;
  onmessage: ((ev: MessageEvent<HelperRequest>) => void) | null;
}

export interface HelperOptions {
  make?: (input: PhantomInput) => Phantom;
  /** Whether the engine's store holds this input's phantom (it reads that back: none is made ahead). */
  isStored?: (input: PhantomInput) => Promise<boolean>;
  /** Told of a phantom made ahead and then asked for (e2e, benchmarks). */
  onUsed?: () => void;
}

const keyOf = (input: PhantomInput) => JSON.stringify(input);

export function createPhantomHelper(o: HelperOptions = {}) {
  const make = o.make ?? generatePhantom;
  let ahead: { key: string; phantom: Phantom } | null = null;
  let asked = false; // a request came: nothing is made ahead any more

  /** Answers each request on `at`: with the phantom made ahead when it is the one asked, else made now. */
  const answer =
    (at: Endpoint) =>
    (ev: MessageEvent<HelperRequest>): void => {
      const msg = ev.data;
      asked = true; // a request or a settle: nothing more is made ahead
      if ('kind' in msg) {
        at.postMessage({ kind: 'settled' }, []); // answered after whatever was being made ahead
        return;
      }
      const { id, input } = msg;
      try {
        let phantom: Phantom;
        if (ahead?.key === keyOf(input)) {
          phantom = ahead.phantom;
          o.onUsed?.();
        } else {
          warmUpPhantomCode(input);
          phantom = make(input);
        }
        ahead = null; // one phantom ahead at most, used or not (~40 MB)
        at.postMessage({ id, phantom }, collectTransferables(phantom));
      } catch (err) {
        at.postMessage({ id, error: err instanceof Error ? err.message : String(err) }, []);
      }
    };

  /** The page's link: requests on its port from now; the expected phantom made meanwhile, unless stored. */
  const link = async (msg: HelperLinkMessage): Promise<void> => {
    const port = msg.port as unknown as Endpoint;
    port.onmessage = answer(port); // requests wait in the port while this thread makes the phantom
    const input = msg.speculate ?? msg.warm;
    if (!input) return;
    const stored = msg.speculate && o.isStored ? await o.isStored(input).catch(() => false) : false;
    if (stored) return; // a revisit: the engine reads the phantoms back, this thread may not be asked at all
    warmUpPhantomCode(input);
    if (!msg.speculate || asked) return;
    ahead = { key: keyOf(input), phantom: make(input) };
  };

  return { answer, link };
}
