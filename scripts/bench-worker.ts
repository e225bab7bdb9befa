// Cost of one edit in "Your data" (a role or subject change) through the real worker protocol (a
// MessageChannel: structured cloning and transfer lists), files held by the engine vs sent again as
// the page did before addUserFiles (here one copy per edit, as File.arrayBuffer() made, then a transfer;
// the old post copied the bytes once more). Medians after a warm-up; ratio against the choices-only edit.
// Usage: npx tsx scripts/bench-worker.ts [--reps 5] [--side 128]
import { writeNifti } from '../src/engine/data/nifti';
import { createVolume } from '../src/engine/data/volume';
import { createEngineHost } from '../src/engine/host';
import { createChannelClient } from '../src/worker/channel';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const REPS = arg('--reps', 5);
const SIDE = arg('--side', 128);
const dims = [SIDE, SIDE, Math.round(0.75 * SIDE)];
const n = dims[0] * dims[1] * dims[2];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

const client = createChannelClient(createEngineHost);
await client.call('init', { backend: 'cpu' });

// One subject: three images and a label, as a user drops them.
const files = ['T1', 'T2', 'FLAIR'].map((m, k) => ({
  name: `sub01_${m}.nii`,
  bytes: writeNifti(createVolume({ dims, data: Float32Array.from({ length: n }, (_, i) => ((i * (k + 3)) % 101) / 100) })),
}));
files.push({
  name: 'sub01_label.nii',
  bytes: writeNifti(createVolume({ dims, data: Uint8Array.from({ length: n }, (_, i) => (i % 97 === 0 ? 1 : 0)) })),
});
const total = files.reduce((s, f) => s + f.bytes.byteLength, 0);
// Copies, as File.arrayBuffer() gives the page each time (the sent ones are detached).
const copies = () => files.map((f) => ({ name: f.name, bytes: f.bytes.slice() }));

// Alternating choices, so every edit is a new check (the engine caches the last one).
const choices = (r: number) => ({ roles: { 'sub01_label.nii': r % 2 ? ('image' as const) : ('label' as const) } });
// Interleaved reps, so drift (JIT, GC, other load) hits both edits alike.
async function timeBoth(...edits: ((r: number) => Promise<unknown>)[]): Promise<number[]> {
  for (const edit of edits) await edit(-1);
  const ts = edits.map(() => [] as number[]);
  for (let r = 0; r < REPS; r++) {
    for (const [k, edit] of edits.entries()) {
      const t0 = performance.now();
      await edit(r);
      ts[k].push(performance.now() - t0);
    }
  }
  return ts.map(median);
}

await client.call('addUserFiles', { files: copies() });
const [held, resent] = await timeBoth(
  (r) => client.call('validateUserData', { choices: choices(r) }),
  (r) => client.call('validateUserData', { files: copies(), choices: choices(r) }),
);

console.log(
  `Your data edit, ${files.length} files of ${dims.join('x')} (${(total / 2 ** 20).toFixed(1)} MiB), median of ${REPS}`,
);
console.log(`${'edit'.padEnd(40)}${'ms'.padStart(9)}${'ratio'.padStart(8)}${'MiB sent'.padStart(10)}`);
const row = (name: string, ms: number, mib: number) =>
  console.log(
    `${name.padEnd(40)}${ms.toFixed(1).padStart(9)}${(ms / held).toFixed(2).padStart(8)}${mib.toFixed(1).padStart(10)}`,
  );
row('choices only (files held by the engine)', held, 0);
row('files sent again (the page before)', resent, total / 2 ** 20);
client.dispose();
