import { describe, expect, it } from 'vitest';
import { axialOutline } from './overlays';

/** Rows of a one-slice label, top row first, as a flat x-fastest array. */
const grid = (rows: string[]) => Uint8Array.from(rows.join(''), (c) => Number(c));
const show = (out: Uint8Array, nx: number) =>
  Array.from({ length: out.length / nx }, (_, y) => Array.from(out.subarray(y * nx, (y + 1) * nx)).join(''));

describe('axialOutline', () => {
  it('marks the rim of a binary region, not its inside', () => {
    const label = grid(['000000', '011110', '011110', '011110', '000000']);
    expect(show(axialOutline(label, [6, 5, 1]), 6)).toEqual(['000000', '011110', '010010', '011110', '000000']);
  });

  it('marks where two foreground classes meet, on both sides of the border', () => {
    const label = grid(['0000000', '0111220', '0111220', '0111220', '0000000']);
    // With every foreground merged the border between 1 and 2 would vanish; kept apart it is drawn.
    expect(show(axialOutline(label, [7, 5, 1]), 7)).toEqual(['0000000', '0111110', '0101110', '0111110', '0000000']);
  });
});
