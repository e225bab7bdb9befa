// niivue computes a 3D gradient texture of the base image on every base upload (a blur and a Sobel pass
// over every slice), but only gradient-lit volume rendering samples it (gradientAmount or gradientOpacity
// above 0, never set here). On a software GPU those passes cost ~0.3 s at start-up and on each new dataset.
import type { Niivue } from '@niivue/niivue';

/** The niivue internals this reads (public fields of its class, not part of its documented API). */
interface GradientInternals {
  gl: WebGL2RenderingContext | null;
  gradientTextureAmount: number;
  opts: { gradientOpacity?: number };
  blurShader: { program: WebGLProgram } | null;
  gradientPrePassShader: { program: WebGLProgram } | null;
  sobelFirstOrderShader: { program: WebGLProgram } | null;
  sobelSecondOrderShader: { program: WebGLProgram } | null;
}

/** The URL flag that turns the skip off (`_debug=gradients`), so a test can compare the pixels with and without. */
export function gradientsRequested(search: string): boolean {
  return (new URLSearchParams(search).get('_debug') ?? '').split(',').includes('gradients');
}

/**
 * Runs `upload` (an updateGLVolume) with the gradient passes' draws left out when nothing will sample
 * the texture; returns the number of draws left out (0 when the gradients are used or niivue changed).
 */
export function withoutUnusedGradients(nv: Niivue, upload: () => void, opts: { keep?: boolean } = {}): number {
  const n = nv as unknown as GradientInternals;
  const gl = n.gl;
  const used = n.gradientTextureAmount > 0 || (n.opts.gradientOpacity ?? 0) > 0;
  const programs = new Set(
    [n.blurShader, n.gradientPrePassShader, n.sobelFirstOrderShader, n.sobelSecondOrderShader].flatMap((s) =>
      s?.program ? [s.program] : [],
    ),
  );
  if (!gl || used || opts.keep || programs.size === 0) {
    upload();
    return 0;
  }
  let skipped = 0;
  const draw = gl.drawArrays;
  const own = Object.hasOwn(gl, 'drawArrays');
  // An own property shadows the prototype's method for the upload only.
  gl.drawArrays = (mode, first, count) => {
    if (programs.has(gl.getParameter(gl.CURRENT_PROGRAM))) {
      skipped++;
      return;
    }
    draw.call(gl, mode, first, count);
  };
  try {
    upload();
  } finally {
    if (own) gl.drawArrays = draw;
    else delete (gl as { drawArrays?: unknown }).drawArrays;
  }
  return skipped;
}
