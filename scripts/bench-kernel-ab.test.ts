// `npm run bench:kernel-ab` end to end on a tiny net: it prints both medians and their ratio (no timing is
// asserted), restores our kernel, and refuses a kernel whose stock version is wrong on wasm.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const run = (args: string[]) =>
  spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/bench-kernel-ab.ts', ...args], {
    encoding: 'utf8',
    timeout: 110_000,
  });

describe('npm run bench:kernel-ab', () => {
  it('prints ours, stock and ours/stock for a kernel over whole steps', { timeout: 120_000 }, () => {
    const r = run(['--kernel=BatchMatMul', '--network=unet2d', '--size=16', '--batch=2', '--rounds=2']);
    expect(r.status, r.stderr).toBe(0);
    const m = r.stdout.match(/ours ([\d.]+) ms\/step, stock ([\d.]+): ours\/stock ([\d.]+)/);
    expect(m, r.stdout).not.toBeNull();
    const [ours, stock, ratio] = m!.slice(1).map(Number);
    expect(ours).toBeGreaterThan(0);
    expect(stock).toBeGreaterThan(0);
    expect(Math.abs(ratio - ours / stock)).toBeLessThan(0.01);
  });

  it('compares whole steps with and without the SIMD filter gradient', { timeout: 120_000 }, () => {
    const r = run(['--kernel=Conv2DBackpropFilter', '--network=unet2d', '--size=16', '--batch=2', '--rounds=2']);
    expect(r.status, r.stderr).toBe(0);
    const m = r.stdout.match(/ours ([\d.]+) ms\/step, xnnpack ([\d.]+): ours\/xnnpack ([\d.]+)/);
    expect(m, r.stdout).not.toBeNull();
    const [ours, xnnpack, ratio] = m!.slice(1).map(Number);
    expect(Math.abs(ratio - ours / xnnpack)).toBeLessThan(0.01);
  });

  it('refuses a kernel whose stock wasm version computes wrongly', { timeout: 60_000 }, () => {
    const r = run(['--kernel=MaxPoolGrad', '--network=unet2d', '--size=16', '--rounds=1']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/--kernel must be one of BatchMatMul/);
  });
});
