// The warm-up runs once per thread, only before phantoms large enough to gain, and leaves no state that
// changes the phantoms made after it.
import { describe, expect, it } from 'vitest';
import { generatePhantom, type Phantom } from './phantom';
import { WARM_UP_SHAPE, warmUpPhantomCode } from './phantom-warmup';

const bytes = (p: Phantom) =>
  [...p.images, p.label, p.brainMask, p.tissue].map((v) => Buffer.from(v.data.buffer, v.data.byteOffset, v.data.byteLength));

describe('warmUpPhantomCode', () => {
  const big = { seed: 5, shape: [64, 64, 48] as [number, number, number], lesion: { kind: 'wmh' as const } };

  it('skips phantoms under 8x its own size, then runs once, then never again', () => {
    const [wx, wy, wz] = WARM_UP_SHAPE;
    expect(warmUpPhantomCode({ shape: [2 * wx, 2 * wy, 2 * wz - 1] })).toBe(false);
    const before = generatePhantom(big);
    expect(warmUpPhantomCode(big)).toBe(true);
    expect(warmUpPhantomCode(big)).toBe(false);
    const after = generatePhantom(big);
    expect(bytes(after)).toEqual(bytes(before));
    expect(after.meta).toEqual(before.meta);
  });
});
