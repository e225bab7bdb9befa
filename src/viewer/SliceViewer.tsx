// The only place that imports niivue. Each mount creates its own canvas and Niivue instance and
// on unmount releases the WebGL context, so StrictMode's double mount leaks nothing.
import { NVImage, Niivue, SLICE_TYPE } from '@niivue/niivue';
import { useEffect, useRef } from 'react';
import type { VolumeData } from '../engine/api';

const NIFTI_FLOAT32 = 16;
// NVImage.new's typings list all 20 parameters; the trailing ones have defaults at run time.
const newImage = NVImage.new as unknown as (
  buf: ArrayBuffer,
  name: string,
  colormap: string,
  opacity: number,
) => Promise<NVImage>;

export interface SliceViewerProps {
  volume: VolumeData | null;
  label?: string;
}

function toNifti(v: VolumeData): Uint8Array {
  return NVImage.createNiftiArray(
    [...v.dims],
    [...v.spacing],
    v.affine,
    NIFTI_FLOAT32,
    new Uint8Array(v.data.buffer, v.data.byteOffset, v.data.byteLength),
  );
}

export function SliceViewer({ volume, label = 'Slice viewer' }: SliceViewerProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const nvRef = useRef<Niivue | null>(null);

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const canvas = document.createElement('canvas');
    canvas.setAttribute('aria-label', label);
    canvas.dataset.testid = 'niivue-canvas';
    host.appendChild(canvas);
    const nv = new Niivue({ backColor: [0, 0, 0, 1], show3Dcrosshair: false, isResizeCanvas: true });
    nvRef.current = nv;
    nv.attachToCanvas(canvas).then(() => nv.setSliceType(SLICE_TYPE.AXIAL));
    return () => {
      nvRef.current = null;
      nv.cleanup();
      canvas.getContext('webgl2')?.getExtension('WEBGL_lose_context')?.loseContext();
      canvas.remove();
    };
  }, [label]);

  useEffect(() => {
    const nv = nvRef.current;
    if (!nv || !volume) return;
    let cancelled = false;
    (async () => {
      const bytes = toNifti(volume);
      const image = await newImage(bytes.buffer as ArrayBuffer, `${volume.name}.nii`, 'gray', 1);
      if (cancelled || nvRef.current !== nv) return;
      for (const old of [...nv.volumes]) nv.removeVolume(old);
      nv.addVolume(image);
      nv.setSliceType(SLICE_TYPE.AXIAL);
    })();
    return () => {
      cancelled = true;
    };
  }, [volume]);

  return <div ref={hostRef} className="viewer" data-testid="viewer" />;
}
