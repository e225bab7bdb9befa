// hidden.css must hold exactly one rule per hideable name (it is static: the CSP forbids <style>).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VIEW_IDS } from '../../state/settings';
import { HIDEABLE, hideAttribute, hideRule, isHideable } from './hideable';

const css = readFileSync(join(process.cwd(), 'src/ui/lessons/hidden.css'), 'utf8');

describe('teacher mode names', () => {
  it('are unique, URL-safe, and each has its rule in hidden.css', () => {
    const names = HIDEABLE.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[a-zA-Z_]{1,32}$/);
    const selectors = [...css.matchAll(/\[data-hide~="([a-zA-Z_]+)"\] \[data-control~="([a-zA-Z_]+)"\]/g)];
    for (const [, a, b] of selectors) expect(a).toBe(b);
    expect(selectors.map((m) => m[1]).sort()).toEqual([...names].sort());
    for (const n of names) expect(css).toContain(hideRule(n));
    expect(css).toMatch(/display: none !important/);
  });

  it('keep only known names in the attribute; every view tab has a name', () => {
    expect(hideAttribute(['lr', 'nope', 'tab_explorer'])).toBe('lr tab_explorer');
    expect(isHideable('lambda')).toBe(true);
    for (const v of VIEW_IDS) expect(isHideable(`tab_${v}`), v).toBe(true);
  });
});
