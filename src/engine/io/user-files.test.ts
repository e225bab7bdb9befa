// User files are sent once (addUserFiles) and held by id; later checks send choices only.
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../domain/errors';
import { writeNifti } from '../data/nifti';
import { createVolume } from '../data/volume';
import { Session } from '../train/session';
import { IoController } from './io-host';

const image = (seed: number) =>
  writeNifti(createVolume({ dims: [6, 5, 4], data: Float32Array.from({ length: 120 }, (_, i) => (i * seed) % 7) }));
const label = () =>
  writeNifti(createVolume({ dims: [6, 5, 4], data: Uint8Array.from({ length: 120 }, (_, i) => (i % 9 === 0 ? 1 : 0)) }));

const rejection = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: EngineError) => ({ isEngineError: e instanceof EngineError, code: e.code, problems: e.problems }),
  );

describe('user files held by the engine', () => {
  it('checks the held files with new choices, without the bytes again; removing and re-adding by name', async () => {
    const io = new IoController(new Session(() => {}));
    const ids = io.addUserFiles({
      files: [
        { name: 's1_T1.nii', bytes: image(1) },
        { name: 's1_label.nii', bytes: label() },
      ],
    });
    expect(ids).toEqual({ ids: ['s1_T1.nii', 's1_label.nii'] });
    const first = await io.validateUserData({ choices: {} });
    expect(first.subjects.map((s) => [s.id, s.images, s.label])).toEqual([['s1', ['s1_T1.nii'], 's1_label.nii']]);
    expect(first.trainable).toBe(true);

    // A role change is choices only: the label read as an image makes the subject unlabelled.
    const relabelled = await io.validateUserData({ choices: { roles: { 's1_label.nii': 'image' } } });
    expect(relabelled.subjects[0].label).toBeNull();
    expect(relabelled.trainable).toBe(false);

    expect(io.addUserFiles({ files: [{ name: 's1_T2.nii', bytes: image(3) }] }).ids).toEqual([
      's1_T1.nii',
      's1_label.nii',
      's1_T2.nii',
    ]);
    expect((await io.validateUserData({ choices: {} })).subjects[0].images).toEqual(['s1_T1.nii', 's1_T2.nii']);
    expect(io.removeUserFiles({ ids: ['s1_T2.nii', 'not-there.nii'] }).ids).toEqual(['s1_T1.nii', 's1_label.nii']);
    expect((await io.validateUserData({ choices: {} })).subjects[0].images).toEqual(['s1_T1.nii']);

    // A file sent again under a held name replaces it (here: something unreadable).
    io.addUserFiles({ files: [{ name: 's1_T1.nii', bytes: new Uint8Array(400) }] });
    const broken = await io.validateUserData({ choices: {} });
    expect(broken.ok).toBe(false);
    expect(await rejection(io.prepareUserData({ choices: {}, seed: 1, patch: 16, batch: 1, network: 'unet2d' }))).toEqual({
      isEngineError: true,
      code: 'invalid-request',
      problems: broken.errors.map((message) => ({ field: 'files', message })),
    });
    expect(broken.errors[0]).toMatch(/^s1_T1.nii: /);
  });

  it('the deprecated validateUserData({ files }) still replaces every held file', async () => {
    const io = new IoController(new Session(() => {}));
    io.addUserFiles({ files: [{ name: 'a_T1.nii', bytes: image(1) }] });
    const report = await io.validateUserData({ files: [{ name: 'b_T1.nii', bytes: image(2) }], choices: {} });
    expect(report.files.map((f) => f.name)).toEqual(['b_T1.nii']);
    expect(io.removeUserFiles({ ids: [] }).ids).toEqual(['b_T1.nii']);
  });

  it('refuses files without a name or bytes as invalid-request', async () => {
    const io = new IoController(new Session(() => {}));
    const bad = [{ files: [{ name: 'x.nii' }] }, { files: [{ bytes: new Uint8Array(2) }] }, {}] as never[];
    for (const req of bad) {
      expect(() => io.addUserFiles(req)).toThrow(EngineError);
      try {
        io.addUserFiles(req);
      } catch (e) {
        expect((e as EngineError).code).toBe('invalid-request');
      }
    }
    expect(io.removeUserFiles({ ids: [] }).ids).toEqual([]);
    // The deprecated path checks before it forgets what is held.
    io.addUserFiles({ files: [{ name: 'kept_T1.nii', bytes: image(1) }] });
    await expect(io.validateUserData({ files: [{ name: 'x.nii' }] as never, choices: {} })).rejects.toBeInstanceOf(EngineError);
    expect(io.removeUserFiles({ ids: [] }).ids).toEqual(['kept_T1.nii']);
  });
});
