// Implements EngineApi on whatever thread imports it (worker or main thread).
import * as tf from '@tensorflow/tfjs';
import type { EngineApi, Emit } from './api';
import { selectBackend } from './train/backend';
import { Session } from './train/session';

export function createEngineHost(emit: Emit): EngineApi {
  const session = new Session(emit);
  return {
    async init({ backend }) {
      const report = await selectBackend({ requested: backend });
      emit('log', { level: 'info', message: `backend ${report.active}` });
      return report;
    },
    async matmul({ a, b }) {
      const out = tf.tidy(() => tf.matMul(tf.tensor2d(a), tf.tensor2d(b)));
      const result = (await out.array()) as number[][];
      out.dispose();
      return { result, backend: tf.getBackend() };
    },
    prepareData: (req) => session.prepareData(req),
    createRuns: ({ runs }) => session.createRuns(runs),
    control: ({ action }) => session.control(action),
    async setLearningRate({ lr, runId }) {
      session.setLearningRate(lr, runId);
    },
    setSnapshotSlice: ({ z }) => session.setSnapshotSlice(z),
  };
}
