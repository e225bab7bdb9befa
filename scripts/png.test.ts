import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodePng } from './png';

/** Chunks of a PNG file: type, data and stored CRC. */
function chunks(png: Uint8Array): { type: string; data: Uint8Array; crc: number }[] {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const out = [];
  for (let at = 8; at < png.length; ) {
    const len = view.getUint32(at);
    out.push({
      type: Buffer.from(png.subarray(at + 4, at + 8)).toString('latin1'),
      data: png.subarray(at + 8, at + 8 + len),
      crc: view.getUint32(at + 8 + len),
    });
    at += 12 + len;
  }
  return out;
}

describe('encodePng', () => {
  it('writes the signature, an IHDR for the size and type, filter-0 rows that inflate to the pixels, and IEND', () => {
    const pixels = Uint8Array.from({ length: 3 * 3 * 2 }, (_, i) => (i * 37) % 256);
    const png = encodePng({ width: 3, height: 2, channels: 3, pixels });
    expect(Array.from(png.subarray(0, 8))).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    const [ihdr, idat, iend] = chunks(png);
    expect([ihdr.type, idat.type, iend.type]).toEqual(['IHDR', 'IDAT', 'IEND']);
    const h = new DataView(ihdr.data.buffer, ihdr.data.byteOffset, 13);
    expect([h.getUint32(0), h.getUint32(4), ihdr.data[8], ihdr.data[9]]).toEqual([3, 2, 8, 2]);
    const raw = inflateSync(idat.data);
    expect(Array.from(raw)).toEqual([0, ...pixels.subarray(0, 9), 0, ...pixels.subarray(9)]);
    // The CRC of an empty IEND is the same in every PNG.
    expect(iend.crc).toBe(0xae426082);
    const grey = chunks(encodePng({ width: 1, height: 1, channels: 1, pixels: Uint8Array.of(7) }))[0].data;
    expect(grey[9]).toBe(0);
  });
});
