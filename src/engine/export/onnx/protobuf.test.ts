// The writer against the byte strings of the protocol-buffers encoding guide (protobuf.dev/programming-guides/encoding).
import { describe, expect, it } from 'vitest';
import { ProtoWriter } from './protobuf';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('ProtoWriter', () => {
  it('writes the guide examples: a varint 150, a string, an embedded message', () => {
    expect(hex(new ProtoWriter().int(1, 150).finish())).toBe('089601');
    expect(hex(new ProtoWriter().string(2, 'testing').finish())).toBe('120774657374696e67');
    expect(hex(new ProtoWriter().message(3, (m) => m.int(1, 150)).finish())).toBe('1a03089601');
  });

  it('negative int64 take ten bytes; floats are little-endian fixed32; repeated ints are unpacked', () => {
    expect(hex(new ProtoWriter().int(1, -2).finish())).toBe('08feffffffffffffffff01');
    expect(hex(new ProtoWriter().float(2, 1).finish())).toBe('150000803f');
    expect(hex(new ProtoWriter().ints(4, [3, 270]).finish())).toBe('2003208e02');
  });
});
