// `npm run sweep` end to end on a tiny grid with 2 seeds: the CSV's per-seed columns are each run's window
// median in the JSON it wrote, the mean and interval follow from them, and the report pairs GDL with WCE.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSweepFile } from '../src/domain/sweep/format';

// An independent median: the middle of the sorted values, or the mean of the two middle ones.
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

describe('npm run sweep with 2 seeds', () => {
  it('writes each seed\u2019s value, the mean [95% CI] and the paired comparison', { timeout: 180_000 }, () => {
    const out = join(mkdtempSync(join(tmpdir(), 'sweep-seeds-')), 'tiny');
    const args = ['--preset', 'quick', '--losses', 'wce,gdl', '--lrs', '1e-2', '--patches', 'S=16x2'];
    args.push('--seeds', '2', '--first-seed', '4', '--steps', '6', '--last', '3', '--size', '32', '--out', out);
    const run = spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/sweep.ts', ...args], {
      encoding: 'utf8',
      timeout: 170_000,
    });
    expect(run.stderr).not.toMatch(/sweep:/);
    expect(run.status).toBe(0);

    const parsed = parseSweepFile(readFileSync(`${out}.json`, 'utf8'));
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const results = parsed.record.results;
    expect(results.map((r) => `${r.loss}/${r.seed}`).sort()).toEqual(['gdl/4', 'gdl/5', 'wce/4', 'wce/5']);

    const [header, ...lines] = readFileSync(`${out}.csv`, 'utf8').trim().split('\n');
    const cols = header.split(',');
    expect(cols.slice(15)).toEqual(['mean', 'ci_lo', 'ci_hi', 'seeds_used', 'seed_4', 'seed_5']);
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      const v = Object.fromEntries(line.split(',').map((x, i) => [cols[i], x]));
      const mine = results.filter((r) => r.loss === v.loss).sort((a, b) => a.seed - b.seed);
      // Each run trained to the end (no divergence here), so its value is the median of its last 3 Dice.
      const want = mine.map((r) => (r.status === 'diverged' ? 0 : median(r.window.slice(-3))));
      expect(Number(v.seed_4)).toBeCloseTo(want[0], 5);
      expect(Number(v.seed_5)).toBeCloseTo(want[1], 5);
      const mean = (want[0] + want[1]) / 2;
      // Two values: the t interval's half width is t(0.975, 1) x |a - b| / 2.
      const half = (12.706204736174705 * Math.abs(want[0] - want[1])) / 2;
      expect(Number(v.mean)).toBeCloseTo(mean, 4);
      expect(Number(v.ci_lo)).toBeCloseTo(mean - half, 4);
      expect(Number(v.ci_hi)).toBeCloseTo(mean + half, 4);
      expect(v.seeds_used).toBe('2');
    }

    const md = readFileSync(`${out}.md`, 'utf8');
    expect(md).toContain("Mean [95% CI] across 2 seeds of each seed's median of training Dice over the last 3 of 6 steps");
    expect(md).toContain("Each seed's value (seeds 4, 5, in that order; the median of its window):");
    // Two matched pairs (one cell x two seeds): a comparison is reported, and Wilcoxon with 2 pairs cannot separate.
    expect(md).toMatch(
      /- GDL vs WCE: better in \d of 2 pairs, paired difference [+-]\d\.\d\d \[.*\], Wilcoxon p = .*: not separated/,
    );
    expect(md).toContain("The paper's claim is not shown in this sweep: GDL is not separated from WCE.");
    expect(run.stdout).toContain('## GDL paired against each loss');
  });
});
