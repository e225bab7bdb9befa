// Proves the layering lint rules fire: each fixture is linted as if it lived in the guarded folder.
import { execFileSync } from 'node:child_process';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const biome = join(root, 'node_modules/.bin/biome');

function lintAs(fixture: string, folder: string): { code: number; output: string } {
  const target = join(root, folder, `__lint_probe_${process.pid}_${fixture}`);
  copyFileSync(join(root, 'tests/lint-fixtures', fixture), target);
  try {
    const output = execFileSync(biome, ['lint', '--colors=off', target], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
    return { code: 0, output };
  } catch (err) {
    const e = err as { status: number; stdout: string; stderr: string };
    return { code: e.status, output: `${e.stdout}${e.stderr}` };
  } finally {
    rmSync(target, { force: true });
  }
}

describe('layering lint', () => {
  it.each([
    ['engine-imports-react.ts', 'src/engine', 'must not import React'],
    ['engine-imports-niivue.ts', 'src/engine', 'must not import niivue'],
    ['engine-imports-recharts.ts', 'src/engine', 'must not import recharts'],
    ['engine-touches-dom.ts', 'src/engine', 'must not touch the DOM'],
    ['ui-imports-tfjs.ts', 'src/ui', 'must not import tfjs'],
    ['ui-imports-worker.ts', 'src/ui', 'must not import the worker'],
    ['domain-imports-tfjs.ts', 'src/domain', 'src/domain is plain data'],
    ['domain-imports-react.ts', 'src/domain', 'src/domain is plain data'],
    ['domain-touches-dom.ts', 'src/domain', 'must not touch the DOM'],
    ['domain-imports-engine.ts', 'src/domain', 'must not import other layers'],
  ])('%s in %s fails lint', (fixture, folder, message) => {
    const { code, output } = lintAs(fixture, folder);
    expect(code).not.toBe(0);
    expect(output).toContain(message);
  });

  it('a clean engine file passes, and tfjs is allowed outside src/ui', () => {
    expect(lintAs('engine-clean.ts', 'src/engine').code).toBe(0);
    expect(lintAs('ui-imports-tfjs.ts', 'src/state').code).toBe(0);
    expect(lintAs('domain-clean.ts', 'src/domain').code).toBe(0);
    // The worker client is for src/state: the same import passes there.
    expect(lintAs('ui-imports-worker.ts', 'src/state').code).toBe(0);
  });
});
