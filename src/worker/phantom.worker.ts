// A helper thread that generates phantoms for the engine worker (several at once on a multi-core machine).
import { generatePhantom, type PhantomInput } from '../engine/data/phantom';
import { warmUpPhantomCode } from '../engine/data/phantom-warmup';
import { collectTransferables } from './protocol';

interface Scope {
  postMessage(msg: unknown, transfer: Transferable[]): void;
  onmessage: ((ev: MessageEvent<{ id: number; input: PhantomInput }>) => void) | null;
}
const scope = self as unknown as Scope;

scope.onmessage = (ev) => {
  const { id, input } = ev.data;
  try {
    warmUpPhantomCode(input);
    const phantom = generatePhantom(input);
    scope.postMessage({ id, phantom }, collectTransferables(phantom));
  } catch (err) {
    scope.postMessage({ id, error: err instanceof Error ? err.message : String(err) }, []);
  }
};
