// tfjs's Adam with its per-variable update done in one pass over the wasm heap: tfjs applies each
// variable's update as ~12 small kernels (about half of a 2D U-Net step's ~600 kernel calls on wasm).
// Same arithmetic in the same order, each operation rounded to float32 as the kernels round it, so
// the weights and moments are bit-identical to tfjs's; other backends use tfjs's own update.
import * as tf from '@tensorflow/tfjs';
import { asWasm } from './wasm-kernel-ops';

const f32 = Math.fround;

type NamedGradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];
interface Slot {
  originalName: string;
  variable: tf.Variable;
}
/** AdamOptimizer's fields this class reads (protected in tfjs's typings). */
interface AdamFields {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: Slot[];
  accumulatedSecondMoment: Slot[];
  incrementIterations(): void;
}

export class FusedAdamOptimizer extends tf.AdamOptimizer {
  override applyGradients(variableGradients: NamedGradients): void {
    const grads: (readonly [string, tf.Tensor | undefined])[] = Array.isArray(variableGradients)
      ? variableGradients.map((v) => [v.name, v.tensor] as const)
      : Object.entries(variableGradients);
    if (tf.getBackend() !== 'wasm' || grads.some(([, g]) => g && g.dtype !== 'float32')) {
      super.applyGradients(variableGradients);
      return;
    }
    const self = this as unknown as AdamFields;
    const backend = asWasm(tf.backend());
    const registered = tf.engine().registeredVariables;
    const [b1, b2, c1, c2] = [f32(self.beta1), f32(self.beta2), f32(1 - self.beta1), f32(1 - self.beta2)];
    const eps = f32(self.epsilon);
    const minusLr = f32(-self.learningRate);
    const accB1 = backend.typedArrayFromHeap(self.accBeta1)[0];
    const accB2 = backend.typedArrayFromHeap(self.accBeta2)[0];
    const [om1, om2] = [f32(1 - accB1), f32(1 - accB2)];
    tf.tidy(() => {
      grads.forEach(([name, gradient], i) => {
        const value = registered[name];
        self.accumulatedFirstMoment[i] ??= {
          originalName: `${name}/m`,
          variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
        };
        self.accumulatedSecondMoment[i] ??= {
          originalName: `${name}/v`,
          variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
        };
        if (gradient == null) return;
        const m = self.accumulatedFirstMoment[i].variable;
        const v = self.accumulatedSecondMoment[i].variable;
        // Outputs first, views after: a malloc may grow (and detach) the heap.
        const outs = [m, v, value].map((t) => backend.makeOutput([...t.shape], 'float32'));
        const [g, m0, v0, w0, m1, v1, w1] = [gradient, m, v, value, ...outs].map(
          (t) => backend.typedArrayFromHeap(t) as Float32Array,
        );
        const n = w0.length;
        for (let k = 0; k < n; k++) {
          const gk = g[k];
          const mk = f32(f32(m0[k] * b1) + f32(gk * c1));
          const vk = f32(f32(v0[k] * b2) + f32(f32(gk * gk) * c2));
          const mHat = f32(mk / om1);
          const vHat = f32(vk / om2);
          m1[k] = mk;
          v1[k] = vk;
          w1[k] = f32(f32(f32(mHat / f32(f32(Math.sqrt(vHat)) + eps)) * minusLr) + w0[k]);
        }
        const [mT, vT, wT] = outs.map((o) => tf.engine().makeTensorFromTensorInfo(o));
        m.assign(mT);
        v.assign(vT);
        value.assign(wT);
      });
      self.accBeta1.assign(tf.scalar(f32(accB1 * b1)));
      self.accBeta2.assign(tf.scalar(f32(accB2 * b2)));
    });
    self.incrementIterations();
  }
}

/** tf.train.adam's defaults (beta 0.9/0.999, the backend's epsilon), with the fused update on wasm. */
export function createAdam(learningRate: number): tf.AdamOptimizer {
  return new FusedAdamOptimizer(learningRate, 0.9, 0.999);
}
