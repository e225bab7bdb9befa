// The engine's end of the page's helpers: settled() waits for each helper's answer, and a failed helper
// neither holds it up nor keeps its phantoms (its onerror runs).
import { describe, expect, it } from 'vitest';
import { createHelperLink } from './helper-link';

describe('helper link', () => {
  it('settled waits for every live helper’s answer; a helper that fails counts as settled', async () => {
    const a = new MessageChannel();
    const b = new MessageChannel();
    const link = createHelperLink();
    await link.settled(); // no note yet: nothing to wait for
    link.take({ kind: 'helpers', ports: [a.port2, b.port2] });
    const asked: string[] = [];
    a.port1.onmessage = (ev) => asked.push(`a:${ev.data.kind}`);
    b.port1.onmessage = (ev) => asked.push(`b:${ev.data.kind}`);
    let done = false;
    const settling = link.settled().then(() => {
      done = true;
    });
    await expect.poll(() => asked.sort()).toEqual(['a:settle', 'b:settle']);
    a.port1.postMessage({ kind: 'settled' });
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false); // b has not answered
    let failed = false;
    const [, second] = link.helpers() ?? [];
    second.onerror = () => {
      failed = true;
    };
    link.take({ kind: 'helper-failed', index: 1 });
    await settling;
    expect(failed).toBe(true);
    // The pool's own replies still reach it: only "settled" is taken out.
    const [first] = link.helpers() ?? [];
    const got = new Promise((resolve) => {
      first.onmessage = (ev: MessageEvent) => resolve(ev.data);
    });
    a.port1.postMessage({ id: 1, error: 'x' });
    expect(await got).toEqual({ id: 1, error: 'x' });
    for (const c of [a, b]) c.port1.close();
  });
});
