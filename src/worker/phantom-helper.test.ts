// A page helper makes the link's phantom before the engine asks, and answers the matching request with it;
// any other request is made as asked; a phantom the engine's store holds is not made ahead. Over real
// MessagePorts (Node's), with the real generator.
import { describe, expect, it } from 'vitest';
import { generatePhantom, type Phantom, type PhantomInput } from '../engine/data/phantom';
import { createPhantomHelper } from './phantom-helper';

const input = (seed: number): PhantomInput => ({ seed, shape: [24, 24, 16], lesion: { kind: 'tumour', fraction: 0.01 } });

/** A helper linked over a real channel; `ask` sends the engine's request and waits for the reply. */
function linked(o: { stored?: boolean; speculate?: PhantomInput }) {
  const made: number[] = [];
  let used = 0;
  const helper = createPhantomHelper({
    make: (i) => {
      made.push(i.seed as number);
      return generatePhantom(i);
    },
    isStored: async () => o.stored ?? false,
    onUsed: () => used++,
  });
  const { port1, port2 } = new MessageChannel();
  const linking = helper.link({ port: port1, ...(o.speculate ? { speculate: o.speculate } : { warm: {} }) });
  let next = 0;
  const ask = (msg: object) =>
    new Promise<{ id?: number; phantom?: Phantom; kind?: string }>((resolve) => {
      port2.onmessage = (ev) => resolve(ev.data);
      port2.postMessage(msg);
    });
  const close = () => {
    port1.close();
    port2.close();
  };
  return {
    made,
    used: () => used,
    linking,
    ask: (i: PhantomInput) => ask({ id: next++, input: i }),
    settle: () => ask({ kind: 'settle' }),
    close,
  };
}

describe('page phantom helper', () => {
  it('makes the link’s phantom ahead and answers the matching request with it, equal to generatePhantom’s', async () => {
    const h = linked({ speculate: input(3) });
    await h.linking;
    expect(h.made).toEqual([3]); // made before anything was asked
    const reply = await h.ask(input(3));
    expect(h.made).toEqual([3]); // not made again
    expect(h.used()).toBe(1);
    expect(reply.phantom?.images[0].data).toEqual(generatePhantom(input(3)).images[0].data);
    // Used once: asked again, it is made again (the one ahead was handed over).
    await h.ask(input(3));
    expect(h.made).toEqual([3, 3]);
    h.close();
  });

  it('another request is made as asked; a settle is answered after what was made ahead', async () => {
    const h = linked({ speculate: input(4) });
    const settled = h.settle();
    expect((await settled).kind).toBe('settled');
    expect(h.made).toEqual([4]); // the settle waited for it
    const reply = await h.ask(input(5));
    expect(reply.phantom?.options.seed).toBe(5);
    expect(h.used()).toBe(0);
    // The one made ahead was dropped with that request (one at most is kept).
    await h.ask(input(4));
    expect(h.made).toEqual([4, 5, 4]);
    h.close();
  });

  it('a phantom the engine’s store holds is not made ahead; without a link prefetch none is', async () => {
    const stored = linked({ speculate: input(6), stored: true });
    await stored.linking;
    expect(stored.made).toEqual([]);
    stored.close();
    const plain = linked({});
    await plain.linking;
    expect(plain.made).toEqual([]);
    expect((await plain.ask(input(7))).phantom?.options.seed).toBe(7);
    plain.close();
  });
});

describe('page phantom helper, asked while it looks in the store', () => {
  it('a settle that comes before the phantom is begun stops it being made ahead at all', async () => {
    let answerStore = (_: boolean) => {};
    const made: number[] = [];
    const helper = createPhantomHelper({
      make: (i) => {
        made.push(i.seed as number);
        return generatePhantom(i);
      },
      isStored: () => new Promise<boolean>((r) => (answerStore = r)),
    });
    const { port1, port2 } = new MessageChannel();
    const linking = helper.link({ port: port1, speculate: input(8) });
    const settled = new Promise((resolve) => {
      port2.onmessage = (ev) => resolve(ev.data);
    });
    port2.postMessage({ kind: 'settle' });
    expect(await settled).toEqual({ kind: 'settled' });
    answerStore(false);
    await linking;
    expect(made).toEqual([]); // backends may be timed now: nothing runs beside them
    port1.close();
  });
});
