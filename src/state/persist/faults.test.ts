import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EngineError } from '../../domain/errors';
import { describeFault, fallbacksFor, memoryAdvice, withMemoryAdvice } from './faults';
import { startHeartbeat } from './heartbeat';

describe('faults', () => {
  it('adds memory advice by the error code, not by the wording', () => {
    const settings = { patch: 64, batch: 4, network: 'unet2d', size: 128 };
    const oom = new EngineError('out-of-memory', 'Failed to allocate buffer');
    expect(withMemoryAdvice(oom, settings)).toMatch(/^Failed to allocate buffer — out of memory\. Try a smaller patch/);
    // Same words, no code: the engine did not say so, the page does not guess.
    expect(withMemoryAdvice(new Error('Failed to allocate buffer'), settings)).toBe('Failed to allocate buffer');
    expect(withMemoryAdvice(new EngineError('no-data', 'no data yet'), settings)).toBe('no data yet');
  });

  it('advises smaller patch and batch first, then a 2D net and a smaller phantom', () => {
    const big = memoryAdvice({ patch: 88, batch: 8, network: 'unet3d', size: 192 });
    expect(big).toMatch(/smaller patch \(now 88 px; try 40/);
    expect(big).toMatch(/smaller batch \(now 8; try 4\)/);
    expect(big).toMatch(/2D network/);
    expect(big).toMatch(/smaller phantom \(now 192; try 96\)/);
    expect(big.indexOf('patch')).toBeLessThan(big.indexOf('batch'));
    expect(memoryAdvice({ patch: 16, batch: 1, network: 'unet2d', size: 48 })).toMatch(/Close other tabs/);
  });

  it('falls back away from a lost GPU, and retries the same backend after a silent worker', () => {
    expect(fallbacksFor({ cause: 'device-lost', backend: 'webgpu' })[0]).toBe('wasm');
    expect(fallbacksFor({ cause: 'device-lost', backend: 'webgpu' })).not.toContain('webgpu');
    expect(fallbacksFor({ cause: 'context-lost', backend: 'webgl' })).not.toContain('webgl');
    expect(fallbacksFor({ cause: 'worker-silent', backend: 'wasm' })).toEqual(['webgl', 'webgpu', 'cpu', 'wasm']);
    const f = describeFault({
      cause: 'worker-silent',
      backend: 'wasm',
      settings: { patch: 64, batch: 4, network: 'unet2d', size: 128 },
    });
    expect(f.message).toMatch(/stopped answering/);
    expect(f.advice).toMatch(/smaller patch/);
  });
});

describe('heartbeat', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('reports a silent engine once after the timeout and alive again when it answers', async () => {
    let t = 0;
    let answer: (() => void) | null = null;
    let pings = 0;
    const events: string[] = [];
    const beat = startHeartbeat({
      ping: () => {
        pings++;
        return new Promise<void>((r) => {
          answer = r;
        });
      },
      onSilent: (ms) => events.push(`silent ${ms}`),
      onAlive: () => events.push('alive'),
      everyMs: 100,
      timeoutMs: 1000,
      now: () => t,
    });
    const advance = async (ms: number) => {
      for (let i = 0; i < ms / 100; i++) {
        t += 100;
        await vi.advanceTimersByTimeAsync(100);
      }
    };
    answer!();
    await advance(300);
    expect(pings).toBe(2); // one answered, one outstanding
    await advance(1500);
    expect(events).toEqual(['silent 1000']);
    expect(pings).toBe(2);
    answer!();
    await advance(100);
    expect(events).toEqual(['silent 1000', 'alive']);
    beat.stop();
    await advance(500);
    expect(pings).toBe(3);
  });

  it('takes events from a busy engine as signs of life, and reports it once they stop', async () => {
    let t = 0;
    const events: string[] = [];
    // The engine is inside one long step: pings wait, but it posts 'alive' between kernels.
    const beat = startHeartbeat({
      ping: () => new Promise(() => {}),
      onSilent: (ms) => events.push(`silent ${ms}`),
      everyMs: 100,
      timeoutMs: 1000,
      now: () => t,
    });
    for (let i = 0; i < 50; i++) {
      t += 100;
      if (i % 5 === 0) beat.sign();
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(events).toEqual([]);
    for (let i = 0; i < 12; i++) {
      t += 100;
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(events).toEqual(['silent 1000']);
    beat.stop();
  });

  // One silent stretch of `ms` after a sign carrying `kernelMs`: the first silence reported, if any.
  async function silenceAfter(p: { kernelMs?: number; expectedStepMs?: number; ms: number }): Promise<string[]> {
    let t = 0;
    const events: string[] = [];
    const beat = startHeartbeat({
      ping: () => new Promise(() => {}),
      onSilent: (ms) => events.push(`silent ${ms}`),
      everyMs: 100,
      timeoutMs: 1000,
      expectedStepMs: p.expectedStepMs === undefined ? undefined : () => p.expectedStepMs!,
      now: () => t,
    });
    beat.sign(p.kernelMs);
    for (let i = 0; i < p.ms / 100; i++) {
      t += 100;
      await vi.advanceTimersByTimeAsync(100);
    }
    beat.stop();
    return events;
  }

  it('allows twice the longest kernel the worker reported before calling it silent', async () => {
    expect(await silenceAfter({ kernelMs: 300, ms: 1500 })).toEqual(['silent 1000']); // short kernels: the timeout
    expect(await silenceAfter({ kernelMs: 4000, ms: 7900 })).toEqual([]);
    expect(await silenceAfter({ kernelMs: 4000, ms: 8500 })).toEqual(['silent 8000']);
  });

  it('allows half the expected step before any kernel is known, and the timeout for a fast one', async () => {
    expect(await silenceAfter({ expectedStepMs: 10_000, ms: 4900 })).toEqual([]);
    expect(await silenceAfter({ expectedStepMs: 10_000, ms: 5500 })).toEqual(['silent 5000']);
    expect(await silenceAfter({ expectedStepMs: 50, ms: 1500 })).toEqual(['silent 1000']);
  });
});
