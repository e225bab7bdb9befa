// V8 optimises the phantom's long voxel loops late when it first meets them on a full-size volume, so
// most of a thread's first phantom runs unoptimised (~0.84 s cold against ~0.5 s warm in Node, worse in a
// browser whose cores are busy compiling). A small phantom first gets them optimised for a fraction of that.
import { generatePhantom, type PhantomInput, resolvePhantomOptions } from './phantom';

/** The warm-up's shape: in Node, 32x32x24 first brought the next 128x128x96 phantom to warm speed (~130 ms spent). */
export const WARM_UP_SHAPE: [number, number, number] = [32, 32, 24];
let warmed = false;

/**
 * Once per thread, before its first large phantom: makes a small one with the same options, so the
 * code paths `input` takes are compiled. Returns whether it ran.
 */
export function warmUpPhantomCode(input: PhantomInput): boolean {
  if (warmed) return false;
  const [nx, ny, nz] = resolvePhantomOptions(input).shape;
  const [wx, wy, wz] = WARM_UP_SHAPE;
  // A phantom not much larger than the warm-up gains less than the warm-up costs.
  if (nx * ny * nz < 8 * wx * wy * wz) return false;
  warmed = true;
  generatePhantom({ ...input, shape: [...WARM_UP_SHAPE] });
  return true;
}
