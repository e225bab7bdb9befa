// Peak memory and time of reading BigBrain (310 x 374 x 317 uint8, 36.8 M voxels, 92 KB gzip) into the
// default 160^3 working size: the streamed path (loadUserSubjects: inflated chunk by chunk into the boxes)
// against the whole-file path (stream: false: readNifti, then reorient and downsample), each in its own fresh
// process so neither inherits the other's heap. Peak = the kernel's high-water resident set (getrusage
// maxRSS) minus the resident set just before the read, after a full GC: every ArrayBuffer and heap byte the
// read touched, however briefly. Also the time of the read (one cold run and the median of 3 warm ones).
// Usage: npx tsx scripts/bench-streamed-read.ts            (both paths, one child process each)
//        node --expose-gc --import tsx scripts/bench-streamed-read.ts stream|whole   (one path, prints JSON)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadUserSubjects } from '../src/engine/io/validate';

export interface ReadMemory {
  path: 'stream' | 'whole';
  /** Resident set before the read (after GC), the high-water mark after it, their difference (MB). */
  rssBeforeMB: number;
  maxRssMB: number;
  peakMB: number;
  /** Was the high-water mark set by the read (not by start-up)? */
  peakFromRead: boolean;
  /** Kept after the read, after GC (the subject itself: ~16 MB of float32). */
  retainedArrayBuffersMB: number;
  coldMs: number;
  warmMs: number;
  workingDims: number[];
  imageSum: number;
}

const FILE = 'tests/fixtures/nifti/dm_bigbrain.nii.gz';
const MB = 2 ** 20;

function measure(path: 'stream' | 'whole'): ReadMemory {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  const files = [{ name: 'bigbrain_T1w.nii.gz', bytes: new Uint8Array(readFileSync(FILE)) }];
  const read = () => loadUserSubjects({ files, stream: path === 'stream' });
  gc();
  gc();
  const maxBefore = process.resourceUsage().maxRSS * 1024;
  const rssBefore = process.memoryUsage().rss;
  let t0 = performance.now();
  let result: ReturnType<typeof read> | null = read();
  const coldMs = performance.now() - t0;
  const maxRss = process.resourceUsage().maxRSS * 1024;
  const s = result.subjects[0];
  let imageSum = 0;
  for (const v of s.images[0].data) imageSum += v;
  const workingDims = [...s.working.dims];
  gc();
  gc();
  const retained = process.memoryUsage().arrayBuffers;
  result = null;
  const warm: number[] = [];
  for (let r = 0; r < 3; r++) {
    t0 = performance.now();
    read();
    warm.push(performance.now() - t0);
  }
  warm.sort((a, b) => a - b);
  return {
    path,
    rssBeforeMB: rssBefore / MB,
    maxRssMB: maxRss / MB,
    peakMB: (maxRss - rssBefore) / MB,
    peakFromRead: maxRss > maxBefore,
    retainedArrayBuffersMB: retained / MB,
    coldMs,
    warmMs: warm[1],
    workingDims,
    imageSum,
  };
}

/** Runs one path in a fresh Node process and returns what it measured. */
export function measureInChild(path: 'stream' | 'whole'): ReadMemory {
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'scripts/bench-streamed-read.ts', path], {
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').pop()!) as ReadMemory;
}

const arg = process.argv[2];
const isMain = process.argv[1]?.endsWith('bench-streamed-read.ts');
if (isMain && (arg === 'stream' || arg === 'whole')) console.log(JSON.stringify(measure(arg)));
else if (isMain) {
  const rows = [measureInChild('whole'), measureInChild('stream')];
  for (const r of rows)
    console.log(
      `${r.path.padEnd(6)} peak ${r.peakMB.toFixed(1)} MB over ${r.rssBeforeMB.toFixed(1)} MB (max RSS ${r.maxRssMB.toFixed(1)} MB${r.peakFromRead ? '' : ', set before the read'}), retained ${r.retainedArrayBuffersMB.toFixed(1)} MB, cold ${r.coldMs.toFixed(0)} ms, warm ${r.warmMs.toFixed(0)} ms`,
    );
  console.log(`streamed / whole peak: ${(rows[1].peakMB / rows[0].peakMB).toFixed(3)}`);
}
