// The trivial baseline per difficulty: the best single-threshold Dice (validation subject) of the data
// the page trains on, for seeds 1-5, 96x96x72, tumour and WMH at 1% and 0.1% burden (docs/phantoms.md).
// Usage: npm run phantom:figures [-- --seeds 1,2 --difficulty realistic --lesion wmh --fraction 0.01 --noise 0.05]
import { DIFFICULTY_IDS, type Difficulty } from '../src/domain/difficulty';
import type { LesionKind } from '../src/domain/phantom';
import { buildDataset } from '../src/engine/train/dataset';
import { DEFAULT_SETTINGS } from '../src/state/settings';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}
const list = (name: string, fallback: string) => (arg(name) ?? fallback).split(',');

const seeds = list('seeds', '1,2,3,4,5').map(Number);
const difficulties = list('difficulty', DIFFICULTY_IDS.join(',')) as Difficulty[];
const kinds = list('lesion', 'tumour,wmh') as LesionKind[];
const fractions = list('fraction', '0.01,0.001').map(Number);
const noise = Number(arg('noise') ?? DEFAULT_SETTINGS.noise);
const shape: [number, number, number] = [96, 96, 72];

console.log(
  `best single-threshold Dice on the validation subject (2 training subjects searched), ${shape.join('x')}, noise ${noise}`,
);
const head = `${'difficulty'.padEnd(11)}${'lesion'.padEnd(8)}${'burden'.padStart(7)}  ${seeds.map((s) => `seed ${s}`.padStart(7)).join('')}${'mean'.padStart(7)}${'max'.padStart(7)}  best modality/direction`;
console.log(head);
for (const difficulty of difficulties) {
  for (const lesion of kinds) {
    for (const fraction of fractions) {
      const dice: number[] = [];
      const how = new Map<string, number>();
      for (const seed of seeds) {
        const ds = buildDataset({ seed, lesion, fraction, noise, difficulty, patch: 64, batch: 3, network: 'unet2d', shape });
        const b = ds.baseline!;
        dice.push(b.dice);
        const key = `${b.modality} ${b.direction}`;
        how.set(key, (how.get(key) ?? 0) + 1);
      }
      const mean = dice.reduce((a, b) => a + b, 0) / dice.length;
      const cells = dice.map((d) => d.toFixed(3).padStart(7)).join('');
      const modes = [...how].map(([k, n]) => `${k} x${n}`).join(', ');
      console.log(
        `${difficulty.padEnd(11)}${lesion.padEnd(8)}${`${fraction * 100}%`.padStart(7)}  ${cells}${mean.toFixed(3).padStart(7)}${Math.max(
          ...dice,
        )
          .toFixed(3)
          .padStart(7)}  ${modes}`,
      );
    }
  }
}
