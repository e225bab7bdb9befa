import { describe, expect, it } from 'vitest';
import { Observable } from './observable';

class Counter extends Observable<{ n: number; label: string }> {
  bump() {
    this.set({ n: this.getState().n + 1 });
  }
}

describe('Observable', () => {
  it('set makes a new state object with the patch and tells subscribers until they leave', () => {
    const c = new Counter({ n: 0, label: 'a' });
    const before = c.getState();
    let calls = 0;
    const off = c.subscribe(() => calls++);
    c.bump();
    expect(c.getState()).toEqual({ n: 1, label: 'a' });
    expect(c.getState()).not.toBe(before);
    expect(before).toEqual({ n: 0, label: 'a' });
    off();
    c.bump();
    expect(calls).toBe(1);
  });
});
