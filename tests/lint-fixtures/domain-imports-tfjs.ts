import * as tf from '@tensorflow/tfjs';
export const x = tf.tensor1d([1]);
