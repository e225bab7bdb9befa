// tfjs-core 4.22 has no gradient for Conv3DBackpropInputV2, so conv3dTranspose cannot train on
// any backend. This mirrors its 2D twin (Conv2DBackpropInput's gradient) for every backend.
import * as tf from '@tensorflow/tfjs';

const KERNEL = 'Conv3DBackpropInputV2';

/** Registers the missing gradient once; keeps any gradient tfjs itself provides. */
export function registerConv3dTransposeGradient(): void {
  if (tf.getGradient(KERNEL)) return;
  tf.registerGradient({
    kernelName: KERNEL,
    inputsToSave: ['dy', 'filter'],
    gradFunc: (ddx, saved, attrs) => {
      const [dy, filter] = saved as [tf.Tensor5D, tf.Tensor5D];
      const { strides, pad } = attrs as unknown as { strides: [number, number, number]; pad: 'same' | 'valid' };
      const grad = Array.isArray(ddx) ? ddx[0] : ddx;
      return {
        dy: () => tf.conv3d(grad as tf.Tensor5D, filter, strides, pad),
        filter: () =>
          tf.engine().runKernel(
            'Conv3DBackpropFilterV2',
            { x: grad, dy },
            {
              strides,
              pad,
              filterShape: filter.shape,
            },
          ) as tf.Tensor5D,
      };
    },
  });
}
