import { describe, expect, it } from 'vitest';
import { presetSpec } from '../domain/sweep/presets';
import { newSweepRecord } from '../domain/sweep/record';
import type { SweepRecord } from '../domain/sweep/types';
import { memoryStore, StorageFullError } from './persist/db';
import { createSweepStore } from './sweep-store';

const rec = (id: string, at: string, state: SweepRecord['state'] = 'done') => ({
  ...newSweepRecord({ id, spec: presetSpec('quick'), backend: 'wasm', now: new Date(at) }),
  state,
});

describe('sweep store', () => {
  it('saves, lists newest first, removes; running records come back interrupted', async () => {
    const store = createSweepStore({ kv: memoryStore<SweepRecord>() });
    await store.save(rec('a', '2024-01-01T00:00:00Z'));
    await store.save(rec('b', '2024-02-01T00:00:00Z', 'running'));
    await store.save(rec('c', '2024-03-01T00:00:00Z', 'paused'));
    const list = await store.list();
    expect(list.map((r) => [r.id, r.state])).toEqual([
      ['c', 'interrupted'],
      ['b', 'interrupted'],
      ['a', 'done'],
    ]);
    await store.remove('b');
    expect((await store.list()).map((r) => r.id)).toEqual(['c', 'a']);
  });

  it('skips junk and reports a full disk as StorageFullError', async () => {
    const kv = memoryStore<SweepRecord>({ quotaBytes: 3000 });
    await kv.put('junk', { nope: 1 } as unknown as SweepRecord);
    const store = createSweepStore({ kv });
    expect(await store.list()).toEqual([]);
    const big = { ...rec('x', '2024-01-01T00:00:00Z'), message: 'x'.repeat(5000) };
    await expect(store.save(big)).rejects.toBeInstanceOf(StorageFullError);
  });

  it('falls back to memory where IndexedDB is missing (Node)', () => {
    expect(createSweepStore().kind).toBe('memory');
  });
});
