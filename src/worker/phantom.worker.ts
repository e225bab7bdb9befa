// A helper thread that generates phantoms for the engine worker (several at once on a multi-core machine).
// Started by the page, it gets a port to the engine first (and warms its code up); started by the engine
// worker itself (where the page gave it none), requests come on its own scope.
import { generatePhantom, type PhantomInput } from '../engine/data/phantom';
import { warmUpPhantomCode } from '../engine/data/phantom-warmup';
import { collectTransferables } from './protocol';

type Request = { id: number; input: PhantomInput };
type Link = { port: MessagePort; warm?: PhantomInput };

interface Endpoint {
  postMessage(msg: unknown, transfer: Transferable[]): void;
  onmessage: ((ev: MessageEvent<Request>) => void) | null;
}
const scope = self as unknown as Omit<Endpoint, 'onmessage'> & { onmessage: ((ev: MessageEvent<Request | Link>) => void) | null };

/** Answers each request on `at` with its phantom, buffers moved. */
function answer(at: Endpoint): (ev: MessageEvent<Request>) => void {
  return (ev) => {
    const { id, input } = ev.data;
    try {
      warmUpPhantomCode(input);
      const phantom = generatePhantom(input);
      performance.mark('slp:phantom-made'); // where phantoms were made (e2e, bench:startup's lanes)
      at.postMessage({ id, phantom }, collectTransferables(phantom));
    } catch (err) {
      at.postMessage({ id, error: err instanceof Error ? err.message : String(err) }, []);
    }
  };
}

const onScope = answer(scope as Endpoint);
scope.onmessage = (ev) => {
  const data = ev.data;
  if (!('port' in data)) return onScope(ev as MessageEvent<Request>);
  performance.mark('slp:helper-linked'); // started by the page, linked to the engine by this port (e2e)
  const port = data.port as unknown as Endpoint;
  port.onmessage = answer(port); // requests that come during the warm-up wait in the port
  if (data.warm) warmUpPhantomCode(data.warm);
};
