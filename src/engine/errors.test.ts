import { describe, expect, it } from 'vitest';
import { EngineError, engineError, isOutOfMemory } from './errors';

describe('engineError', () => {
  it('classifies out-of-memory messages from wasm, WebGPU, WebGL and JS', () => {
    for (const m of [
      'Aborted(OOM)',
      'RangeError: WebAssembly.Memory.grow(): Maximum memory size exceeded',
      'Cannot enlarge memory arrays to size 2147483648 bytes',
      'Failed to allocate buffer of size 1073741824',
      'RangeError: Array buffer allocation failed',
      'GPUOutOfMemoryError: Out of memory',
      'Requested texture size [16384x16384] greater than WebGL maximum on this browser / GPU [8192x8192]. exceeds the max',
    ]) {
      expect(isOutOfMemory(m), m).toBe(true);
      expect(engineError(new Error(m)).code, m).toBe('out-of-memory');
    }
    for (const m of ['loss became NaN at step 3', 'unknown loss', 'patch 20 must be a multiple of 8']) {
      expect(isOutOfMemory(m), m).toBe(false);
      expect(engineError(new Error(m)).code, m).toBe('internal');
    }
  });

  it('an AbortError is aborted and a lost GPU device is device-lost', () => {
    expect(engineError(new DOMException('stopped', 'AbortError')).code).toBe('aborted');
    expect(engineError(new Error('GPU device was lost')).code).toBe('device-lost');
  });

  it('keeps an EngineError as it is and keeps the name and message of anything else', () => {
    const own = new EngineError('no-data', 'no data yet');
    expect(engineError(own)).toBe(own);
    const other = engineError(new TypeError('x is not a function'));
    expect(other).toBeInstanceOf(EngineError);
    expect([other.name, other.code, other.message]).toEqual(['TypeError', 'internal', 'x is not a function']);
    expect(engineError('a thrown string').message).toBe('a thrown string');
  });
});
