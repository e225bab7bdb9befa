// The engine API's exportProject on a live session: after two steps the zip holds the dataset, the
// Python sources as shipped, and each run's current weights with the step they were taken at.
import { unzipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createEngineHost } from '../host';
import { resolveSpec } from '../../domain/network-spec';
import { createNetwork } from '../networks';
import { onnxModel } from './onnx';
import { ort } from './testing/ort';
import { PYTHON_DIR } from './testing/python';
import { exportWeights, type WeightIndex } from './weights';
import { PYTHON_FILES } from './readme';

describe('engine exportProject', () => {
  it('zips the session: dataset, Python project, trained weights at their step', async () => {
    const host = createEngineHost(() => {});
    await host.init({ backend: 'cpu' });
    await host.prepareData({
      seed: 2,
      lesion: 'tumour',
      fraction: 0.02,
      noise: 0.02,
      patch: 16,
      batch: 2,
      network: 'unet2d',
      shape: [24, 24, 12],
    });
    const runs = ['gdl', 'wce'].map((loss) => ({
      runId: `${loss}-2`,
      loss: loss as 'gdl' | 'wce',
      lossOptions: {},
      lr: 1e-3,
      network: 'unet2d' as const,
      steps: 10,
      seed: 2,
    }));
    await expect(host.exportProject({ name: 'none', query: '', runs: [] })).rejects.toThrow(/no runs/);
    await host.createRuns({ runs });
    await host.control({ action: 'step' });
    await host.control({ action: 'step' });
    const out = await host.exportProject({ name: 'page export', query: 'losses=gdl,wce', runs });
    expect(out.name).toBe('page_export.zip');
    expect(out.trainedRuns).toEqual(['gdl-2', 'wce-2']);
    const files = unzipSync(out.bytes);
    expect(Object.keys(files).length).toBe(out.files);
    for (const f of PYTHON_FILES)
      expect(new TextDecoder().decode(files[`page_export/${f}`])).toBe(readFileSync(`${PYTHON_DIR}${f}`, 'utf8'));
    const index = JSON.parse(new TextDecoder().decode(files['page_export/weights/gdl-2.json']));
    expect(index.step).toBe(2);
    expect(index.spec).toMatchObject({ kind: 'unet2d', inChannels: 3, numClasses: 2, seed: 2 });
    const names = Object.keys(files);
    expect(names).toContain('page_export/nnUNet_raw/Dataset501_page_export/dataset.json');
    expect(names.filter((n) => n.includes('/imagesTr/')).length).toBe(2 * 3);
    expect(new TextDecoder().decode(files['page_export/experiment.json'])).toContain('"query": "losses=gdl,wce"');

    // Each run's ONNX model is the trained one (step 2), not the seed's initial weights.
    expect(names.filter((n) => n.endsWith('.onnx')).sort()).toEqual([
      'page_export/onnx/gdl-2.onnx',
      'page_export/onnx/wce-2.onnx',
    ]);
    if (!ort) return void console.warn('host-export.test: ONNX outputs not compared, onnxruntime-node is not installed');
    const x = new ort.Tensor(
      'float32',
      Float32Array.from({ length: 3 * 16 * 16 }, (_, i) => Math.sin(i)),
      [1, 3, 16, 16],
    );
    const predict = async (model: Uint8Array) => {
      const session = await ort!.InferenceSession.create(model);
      const out = (await session.run({ image: x })).probabilities.data as Float32Array;
      await session.release();
      return [...out];
    };
    const fromZip = onnxModel({ index: index as WeightIndex, bin: files['page_export/weights/gdl-2.bin'], producerVersion: '' });
    const initial = createNetwork(resolveSpec({ kind: 'unet2d', seed: 2 }));
    const atStart = onnxModel({
      ...exportWeights({ model: initial, spec: resolveSpec({ kind: 'unet2d', seed: 2 }) }),
      producerVersion: '',
    });
    initial.dispose();
    const shipped = await predict(files['page_export/onnx/gdl-2.onnx']);
    expect(shipped).toEqual(await predict(fromZip));
    expect(shipped).not.toEqual(await predict(atStart));
  });
});
