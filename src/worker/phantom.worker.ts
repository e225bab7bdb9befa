// A helper thread that generates phantoms for the engine worker (several at once on a multi-core machine).
// Started by the page, it gets a port to the engine first (and makes the link's phantom it will be asked
// for, or warms its code up); started by the engine worker itself, requests come on its own scope.
import { generatePhantom, type PhantomInput } from '../engine/data/phantom';
import { type Endpoint, createPhantomHelper, type HelperLinkMessage } from './phantom-helper';
import { indexedDbPhantomStore } from './phantom-idb';

const scope = self as unknown as Omit<Endpoint, 'onmessage'> & {
  onmessage: ((ev: MessageEvent<HelperLinkMessage | { id: number; input: PhantomInput }>) => void) | null;
};
const store = indexedDbPhantomStore();
const helper = createPhantomHelper({
  make: (input) => {
    const phantom = generatePhantom(input);
    performance.mark('slp:phantom-made'); // where phantoms were made (e2e, bench:startup's lanes)
    return phantom;
  },
  ...(store ? { isStored: (input: PhantomInput) => store.holdsInput(input) } : {}),
  onUsed: () => performance.mark('slp:phantom-ahead-used'),
});

const onScope = helper.answer(scope as Endpoint);
scope.onmessage = (ev) => {
  if (!('port' in ev.data)) return onScope(ev as MessageEvent<{ id: number; input: PhantomInput }>);
  performance.mark('slp:helper-linked'); // started by the page, linked to the engine by this port (e2e)
  void helper.link(ev.data);
};
