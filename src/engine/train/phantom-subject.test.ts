// A phantom's subject is made once (the engine worker makes it as the phantom arrives) and is the one
// subjectFromPhantom gives; a dataset of the same phantoms uses it.
import { describe, expect, it } from 'vitest';
import type { DataRequest } from '../api';
import { generatePhantom } from '../data/phantom';
import { subjectFromPhantom } from '../data/subjects';
import { buildDatasetWith, phantomInputs, phantomSubject } from './dataset';

describe('phantomSubject', () => {
  it('is made once per phantom, equals subjectFromPhantom, and is what a dataset of that phantom trains on', async () => {
    const req: DataRequest = {
      seed: 4,
      lesion: 'tumour',
      fraction: 0.02,
      noise: 0.02,
      patch: 16,
      batch: 2,
      network: 'unet2d',
      shape: [32, 32, 24],
    };
    const phantoms = phantomInputs(req).map((o) => generatePhantom(o));
    const early = phantomSubject(phantoms[0]);
    expect(phantomSubject(phantoms[0])).toBe(early);
    const fresh = subjectFromPhantom(phantoms[0]);
    expect(early.channels).toEqual(fresh.channels);
    expect(early.label).toEqual(fresh.label);
    const ds = await buildDatasetWith(req, async () => phantoms);
    expect(ds.train[0]).toBe(early);
    expect(ds.validation[0]).toBe(phantomSubject(phantoms[2]));
  });
});
