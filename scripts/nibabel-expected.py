#!/usr/bin/python3
"""Independent reference for the NIfTI reader: what nibabel says about each fixture.

Run with /usr/bin/python3 (Debian's python3-nibabel): `/usr/bin/python3 scripts/nibabel-expected.py`.
1. Writes the derived fixtures (a NIfTI-2 file, a NIfTI-1 .hdr/.img pair, ANALYZE 7.5 and SPM .hdr) from the
   copied real files with nibabel's own writers; deterministic, so reruns give the same bytes.
2. Writes tests/fixtures/nifti/expected.json: per file, nibabel's shape, datatype, affine, header fields
   and data statistics after scaling. Shares no code with the TypeScript reader.
3. Writes tests/fixtures/nifti/user-expected.json: what the Your data checks must find in real files (label
   value counts of an atlas, the time mean of a series, box means after RAS reorientation), with numpy.
"""

import gzip
import json
import pathlib
import subprocess

import nibabel as nib
import numpy as np

HERE = pathlib.Path(__file__).resolve().parent.parent / 'tests' / 'fixtures' / 'nifti'

# Copied as-is from /work/shared/data/real-nifti (sources in README.md).
REAL = [
    'nib_anatomical.nii',
    'nib_functional.nii',
    'nib_standard.nii.gz',
    'nv_hippo.nii.gz',
    'nv_inia19-NeuroMaps.nii.gz',
    'nv_lesion.nii.gz',
    'nv_minimal.nii.gz',
]
# A real NIfTI-2 (CIFTI-2 dense connectome): 6D, so the reader must refuse it by name.
REFUSED = {'nib_row_major.dconn.nii': r'dim\[5\] = 10: only 3D and 4D'}


def make_derived():
    """nibabel-written variants of real files; returns {name: (header file, image file or None)}."""
    func = nib.load(HERE / 'nib_functional.nii')
    raw = np.asanyarray(func.dataobj.get_unscaled())  # int16 as stored
    slope, inter = float(func.dataobj.slope), float(func.dataobj.inter)

    # NIfTI-2, big-endian, same int16 values and scaling, same qform/sform, TR and units.
    h2 = nib.Nifti2Header.from_header(func.header)
    h2 = h2.as_byteswapped('>') if h2.endianness == '<' else h2
    n2 = nib.Nifti2Image(raw, None, header=h2)
    n2.header.set_slope_inter(slope, inter)
    n2.header.set_qform(func.header.get_qform(), int(func.header['qform_code']))
    n2.header.set_sform(func.header.get_sform(), int(func.header['sform_code']))
    n2.header['intent_code'] = 1002  # NIFTI_INTENT_LABEL, only to carry an intent through NIfTI-2
    n2.header['intent_name'] = b'nib2 test'
    n2.to_filename(HERE / 'nib2_functional_be.nii')

    # NIfTI-1 pair ('ni1', vox_offset 0 in the .img): keeps scaling, codes and TR.
    pair = nib.Nifti1Pair(raw, None, header=func.header.copy())
    pair.header.set_slope_inter(slope, inter)
    pair.to_filename(HERE / 'nib_functional_pair.hdr')

    # Plain Analyze 7.5 pair of the big-endian anatomical image: no orientation fields at all.
    anat = nib.load(HERE / 'nib_anatomical.nii')
    analyze = nib.AnalyzeImage(np.asanyarray(anat.dataobj), anat.affine)
    analyze.header.set_zooms(anat.header.get_zooms())
    analyze.to_filename(HERE / 'nib_anatomical_analyze.hdr')

    # SPM's ANALYZE variant: the same voxels, with the origin field set from the real affine. Only its
    # .hdr is kept; its .img is byte-identical to the plain ANALYZE one (checked here).
    spm = nib.Spm99AnalyzeImage(np.asanyarray(anat.dataobj), None)
    spm.header.set_zooms(anat.header.get_zooms())
    spm.header['origin'][:3] = [17, 21, 9]  # 1-based voxel of world 0: the real file's qform centre
    spm.to_filename(HERE / 'nib_anatomical_spm.hdr')  # no .mat side file without an affine
    same = (HERE / 'nib_anatomical_spm.img').read_bytes() == (HERE / 'nib_anatomical_analyze.img').read_bytes()
    assert same, 'SPM and ANALYZE .img differ'
    return {
        'nib2_functional_be.nii': ('nib2_functional_be.nii', None),
        'nib_functional_pair.hdr': ('nib_functional_pair.hdr', 'nib_functional_pair.img'),
        'nib_anatomical_analyze.hdr': ('nib_anatomical_analyze.hdr', 'nib_anatomical_analyze.img'),
        'nib_anatomical_spm.hdr': ('nib_anatomical_spm.hdr', 'nib_anatomical_analyze.img'),
    }


def text(field):
    return field.tobytes().split(b'\0')[0].decode('latin-1')


def floats(xs):
    return [float(x) for x in np.asarray(xs, dtype=np.float64).ravel()]


def sample_indices(shape, data):
    """Fixed voxel positions: first, centre, last, and the first maximum (x fastest, like the files)."""
    shape = tuple(int(s) for s in shape)
    picks = [tuple(0 for _ in shape), tuple(s // 2 for s in shape), tuple(s - 1 for s in shape)]
    flat = np.ravel(data, order='F')
    picks.append(tuple(int(i) for i in np.unravel_index(int(np.argmax(flat)), shape, order='F')))
    picks.append(tuple(int(i) for i in np.unravel_index(len(flat) // 3, shape, order='F')))
    out = []
    for p in picks:
        out.append({'index': list(p), 'flat': int(np.ravel_multi_index(p, shape, order='F')), 'value': float(data[p])})
    return out


def describe(path):
    img = nib.load(path)
    h = img.header
    data = img.get_fdata(dtype=np.float64)  # scaling applied in float64
    entry = {
        'nibabelClass': type(img).__name__,
        'shape': [int(s) for s in img.shape],
        'datatypeCode': int(h['datatype']),
        'dtype': np.dtype(h.get_data_dtype()).newbyteorder('=').name,
        'littleEndian': h.endianness == '<',
        'sizeofHdr': int(h.sizeof_hdr),
        'affine': floats(img.affine),
        'pixdim': floats(h['pixdim']),
        'description': text(h['descrip']),
        'slope': None if img.dataobj.slope is None else float(img.dataobj.slope),
        'inter': None if img.dataobj.inter is None else float(img.dataobj.inter),
        'stats': {
            'sum': float(data.sum()),
            'absSum': float(np.abs(data).sum()),
            'min': float(data.min()),
            'max': float(data.max()),
            'samples': sample_indices(img.shape, data),
        },
    }
    if isinstance(h, nib.Nifti1Header):  # Nifti2Header is a subclass
        entry.update(
            {
                'qformCode': int(h['qform_code']),
                'sformCode': int(h['sform_code']),
                'quatern': floats([h['quatern_b'], h['quatern_c'], h['quatern_d']]),
                'qoffset': floats([h['qoffset_x'], h['qoffset_y'], h['qoffset_z']]),
                'srow': floats([h['srow_x'], h['srow_y'], h['srow_z']]),
                'qformAffine': floats(h.get_qform()),
                'xyztUnits': int(h['xyzt_units']),
                'timeUnit': h.get_xyzt_units()[1],
                'intentCode': int(h['intent_code']),
                'intentName': text(h['intent_name']),
                'voxOffset': int(h['vox_offset']),
            }
        )
    return entry


def shrink_factors(shape, spacing, max_voxels):
    """Smallest common voxel size t = finest spacing * m / 1000 (m integer) whose factors max(1, t / s) fit."""
    finest = min(spacing)

    def factors(m):
        return [min(d, max(1.0, (finest * m) / 1000 / s)) for d, s in zip(shape, spacing)]

    def count(fs):
        return int(np.prod([np.floor((d - 0.5) / f) + 1 for d, f in zip(shape, fs)]))

    m = 1000
    while count(factors(m)) > max_voxels:
        m += 1
    return factors(m)


def box_mean(data, factors):
    """Mean over boxes [i f, (i + 1) f) of voxel centres per axis (the last box takes the rest), x-fastest kept."""
    out = data
    for axis, f in enumerate(factors):
        d = out.shape[axis]
        n = int(np.floor((d - 0.5) / f)) + 1
        starts = np.maximum(0, np.ceil(np.arange(n) * f - 0.5)).astype(np.int64)
        sums = np.add.reduceat(out, starts, axis=axis)
        counts = np.diff(np.append(starts, d))
        shape = [1, 1, 1]
        shape[axis] = len(counts)
        out = sums / counts.reshape(shape)
    return out


def thick_flair():
    """Every 3rd slice (third voxel axis) of the example FLAIR as a 3 mm scan; gzip without a time stamp."""
    src = nib.load(HERE.parent.parent.parent / 'public' / 'examples' / 'niivue-example_FLAIR.nii.gz')
    data = np.asanyarray(src.dataobj)[:, :, ::3]
    affine = src.affine.copy()
    affine[:3, 2] *= 3
    img = nib.Nifti1Image(data, affine, header=src.header.copy())
    img.header.set_zooms(tuple(src.header.get_zooms()[:2]) + (float(src.header.get_zooms()[2]) * 3,))
    img.set_qform(affine, int(src.header['qform_code']))
    img.set_sform(affine, int(src.header['sform_code']))
    (HERE / 'nv_flair_thick.nii.gz').write_bytes(gzip.compress(img.to_bytes(), mtime=0))
    return img


def canonical(path):
    """The image in the nearest RAS voxel order (nibabel's own reorientation), data in float64."""
    return nib.as_closest_canonical(nib.load(path))


def user_expected():
    out = {}
    # An atlas of 725 labels: distinct values, and the voxel counts of its three largest labels.
    atlas = np.asanyarray(nib.load(HERE / 'nv_inia19-NeuroMaps.nii.gz').dataobj).astype(np.int64)
    values, counts = np.unique(atlas, return_counts=True)
    nz = values != 0
    top = np.argsort(-counts[nz], kind='stable')[:3]
    out['nv_inia19-NeuroMaps.nii.gz'] = {
        'distinct': int(len(values)),
        'nonzeroValues': int(nz.sum()),
        'nonzeroVoxels': int(counts[nz].sum()),
        'largest': [{'value': int(values[nz][i]), 'count': int(counts[nz][i])} for i in top],
    }
    # A 20-frame series with 8 mm slices: time mean, then in-plane box means to fit 300 voxels (its slices kept).
    func = canonical(HERE / 'nib_functional.nii')
    series = func.get_fdata(dtype=np.float64)
    mean = series.mean(axis=3)
    f300 = shrink_factors(mean.shape, [float(z) for z in func.header.get_zooms()[:3]], 300)
    out['nib_functional.nii'] = {
        'canonicalShape': [int(s) for s in mean.shape],
        'meanSum': float(mean.sum()),
        'frame5Sum': float(series[..., 5].sum()),
        'factors300': f300,
        'blockMean300': floats(box_mean(mean, f300).ravel(order='F')),
    }
    # Over 2^25 voxels: read, then box means by the smallest real factor that fits 160^3.
    big = canonical(HERE / 'dm_bigbrain.nii.gz')
    data = big.get_fdata(dtype=np.float64)
    big_factors = shrink_factors(data.shape, [float(z) for z in big.header.get_zooms()[:3]], 160**3)
    small = box_mean(data, big_factors)
    out['dm_bigbrain.nii.gz'] = {
        'shape': [int(s) for s in big.shape],
        'voxels': int(data.size),
        'factors': big_factors,
        'downsampledShape': [int(s) for s in small.shape],
        'downsampledSum': float(small.sum()),
        'downsampledSamples': [
            {'index': list(map(int, p)), 'value': float(small[p])}
            for p in [(0, 0, 0), tuple(d // 2 for d in small.shape), (40, 60, 50)]
        ],
    }
    # Thick slices: every 3rd slice of the real niivue FLAIR (public/examples/), 3 mm apart, written here; over
    # a 64^3 working size it shrinks in-plane only (its slices kept), by numpy's factor search and box means.
    thick = thick_flair()
    t_data = np.asanyarray(nib.as_closest_canonical(thick).dataobj).astype(np.float64)
    t_zooms = [float(z) for z in nib.as_closest_canonical(thick).header.get_zooms()[:3]]
    t_factors = shrink_factors(t_data.shape, t_zooms, 64**3)
    t_small = box_mean(t_data, t_factors)
    out['nv_flair_thick.nii.gz'] = {
        'canonicalShape': [int(s) for s in t_data.shape],
        'spacing': t_zooms,
        'factors64': t_factors,
        'downsampledShape64': [int(s) for s in t_small.shape],
        'downsampledSum64': float(t_small.sum()),
    }
    return out


def write_json(target, out):
    target.write_text(json.dumps(out, indent=2) + '\n')
    # The repository's formatter owns JSON layout; without it `npx biome check .` would flag the file.
    biome = HERE.parent.parent.parent / 'node_modules' / '.bin' / 'biome'
    if biome.exists():
        subprocess.run([str(biome), 'format', '--write', str(target)], check=True, capture_output=True)
    else:
        print(f'node_modules/.bin/biome not found: run `npx biome format --write` on {target.name}')


def main():
    files = {}
    for name in REAL:
        files[name] = {'image': None, **describe(HERE / name)}
    for name, (hdr, image) in make_derived().items():
        files[name] = {'image': image, **describe(HERE / hdr)}
    (HERE / 'nib_anatomical_spm.img').unlink()
    for name, message in REFUSED.items():
        nh = nib.load(HERE / name).nifti_header
        files[name] = {
            'image': None,
            'refused': message,
            'nibabelClass': 'Cifti2Image',
            'sizeofHdr': int(nh.sizeof_hdr),
            'dim': [int(d) for d in nh['dim']],
        }
    out = {'generator': f'nibabel {nib.__version__}, numpy {np.__version__}', 'files': files}
    target = HERE / 'expected.json'
    write_json(target, out)
    print(f'wrote {target}: {len(files)} files')
    user = {'generator': out['generator'], 'files': user_expected()}
    write_json(HERE / 'user-expected.json', user)
    print(f'wrote user-expected.json: {len(user["files"])} files')


if __name__ == '__main__':
    main()
