// Teaching: the loss explorer draws engine curves that respond to options; every lesson step opens from
// its URL and reaches the state it describes; controls hidden by `_hide` stay hidden.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { type Lesson, stepQuery } from '../src/lessons/schema';
import { parseSettings, type Settings } from '../src/state/settings';
import { formatPercent } from '../src/ui/format';
import { readStep } from './helpers';

const FAST = 'backend=wasm&size=48&patch=16&batch=2';
// Screenshots go where TEACH_SHOTS says (test-results/ is shared by parallel sessions).
const SHOTS = process.env.TEACH_SHOTS ?? 'test-results';
const dir = join(process.cwd(), 'src/lessons');
const LESSONS: Lesson[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
const VIEW_LABELS: Record<string, string> = { playground: 'Playground', explorer: 'Loss explorer', lessons: 'Lessons' };

async function waitForCurves(page: Page) {
  await expect(page.getByRole('status', { name: 'Explorer status' })).toHaveText(/Up to date/, { timeout: 120_000 });
}

function curvePath(page: Page, chart: string, nth = 0) {
  return page.locator(`[aria-label="${chart}"] .recharts-line-curve`).nth(nth);
}

test('explorer: engine curves, option sliders move them, the printed GDL gradient is flagged', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/?${FAST}&view=explorer&losses=ce,dice,ss,gdl&fraction=0.01`);
  await waitForCurves(page);
  // Four losses: four lines in each probe chart; the sweep adds 1 - accuracy and 1 - Dice.
  await expect(page.locator('[aria-label="Loss against lesion probability"] .recharts-line-curve')).toHaveCount(4);
  await expect(page.locator('[aria-label="Loss against foreground fraction"] .recharts-line-curve')).toHaveCount(6);
  await expect(page.locator('[aria-label="Gradient at a background voxel"] .recharts-line-curve')).toHaveCount(4);
  const note = page.getByRole('note', { name: "The paper's printed gradient" });
  await expect(note).toContainText('wrong sign');
  const ratio = await note.getByRole('status', { name: 'Printed over autodiff' }).textContent();
  const [lo, hi] = (ratio ?? '').split(' and ').map(Number);
  expect(lo).toBeGreaterThan(-1.01);
  expect(hi).toBeLessThan(-0.99);
  await expect(page.getByRole('status', { name: 'Absent-lesion weights' })).toHaveText('background 0.5, lesion 0.5');
  await page.screenshot({ path: `${SHOTS}/teach-explorer.png`, fullPage: true });

  // SS is the third series: lambda moves its curve in the paper variant.
  const ssLine = () => curvePath(page, 'Gradient at a lesion voxel', 2).getAttribute('d');
  const before = await ssLine();
  const explorer = page.getByRole('complementary', { name: 'Explorer controls' });
  await explorer.getByLabel('lambda', { exact: true }).fill('0.5');
  await expect(page).toHaveURL(/lambda=0.5/);
  await waitForCurves(page);
  await expect.poll(ssLine).not.toBe(before);

  // NiftyNet's variant: lambda no longer changes anything.
  await explorer.getByLabel('ssVariant').selectOption('niftynet');
  await waitForCurves(page);
  const nn = await ssLine();
  await explorer.getByLabel('lambda', { exact: true }).fill('0.9');
  await expect(page).toHaveURL(/lambda=0.9/);
  await waitForCurves(page);
  expect(await ssLine()).toBe(nn);

  // A pinned copy adds one dashed line per loss, until unpinned.
  const lesionLoss = page.locator('[aria-label="Loss against lesion probability"] .recharts-line-curve');
  await page.getByRole('button', { name: 'Pin these curves' }).click();
  await expect(lesionLoss).toHaveCount(8);
  await page.getByRole('button', { name: 'Unpin' }).click();
  await expect(lesionLoss).toHaveCount(4);
  expect(errors).toEqual([]);
});

/** Checks that the page shows a step's settings: in the URL, then in the controls of the view. */
async function expectState(page: Page, query: string, lesson: Lesson, n: number) {
  const want = parseSettings(query).settings;
  const tab = page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: VIEW_LABELS[want.view] });
  await expect(tab).toHaveAttribute('aria-current', 'page');
  await expect.poll(() => parseSettings(new URL(page.url()).search).settings.lesson).toBe(lesson.id);
  const keys = [...new URLSearchParams(query).keys()];
  const got = parseSettings(new URL(page.url()).search);
  expect(got.notices).toEqual([]);
  const s = got.settings;
  expect(s.lesson).toBe(lesson.id);
  expect(s.step).toBe(n);
  expect(s.backend).toBe('wasm');
  for (const k of keys) {
    if (k === '_hide') for (const h of want.hide) expect(s.hide).toContain(h);
    else if (k in want.lossOptions) expect(s.lossOptions[k], k).toBe(want.lossOptions[k]);
    else expect(s[k as keyof Settings], k).toEqual(want[k as keyof Settings]);
  }
  const view = want.view;
  const bar = page.getByRole('region', { name: 'Lesson step' });
  await expect(bar).toContainText(`step ${n} of ${lesson.steps.length}`);
  const losses = want.losses.length ? want.losses : [want.loss];
  if (view === 'explorer') {
    const panel = page.getByRole('complementary', { name: 'Explorer controls' });
    for (const id of losses) await expect(panel.getByRole('checkbox', { name: id, exact: true })).toBeChecked();
    await expect(page.getByRole('status', { name: 'Explorer foreground fraction' })).toHaveText(formatPercent(want.fraction));
    for (const [k, v] of Object.entries(want.lossOptions)) await expect(panel.getByLabel(k, { exact: true })).toHaveValue(v);
  } else {
    const panel = page.getByRole('complementary', { name: 'Controls' });
    if (want.losses.length)
      for (const id of losses) await expect(panel.getByRole('checkbox', { name: id, exact: true })).toBeChecked();
    else await expect(panel.getByLabel('Loss', { exact: true })).toHaveValue(want.loss);
    await expect(panel.getByRole('status', { name: 'Requested lesion burden' })).toHaveText(formatPercent(want.fraction));
    await expect(panel.getByLabel('Learning rate value')).toHaveValue(String(want.lr));
    await expect(panel.getByLabel('Batch size')).toHaveValue(String(want.batch));
    await expect(panel.getByLabel('Steps')).toHaveValue(String(want.steps));
    if (typeof want.patch === 'number') await expect(panel.getByLabel('Patch size')).toHaveValue(String(want.patch));
    for (const [k, v] of Object.entries(want.lossOptions)) await expect(panel.getByLabel(k, { exact: true })).toHaveValue(v);
  }
}

for (const lesson of LESSONS) {
  test(`lesson ${lesson.id}: every step opens from its link and reaches its state`, async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    for (const [i, step] of lesson.steps.entries()) {
      const n = i + 1;
      await page.goto(`/?backend=wasm&view=lessons&lesson=${lesson.id}&step=${n}`);
      const current = page.getByRole('region', { name: 'Current step' });
      await expect(current.getByRole('heading')).toHaveText(`Step ${n} of ${lesson.steps.length}: ${step.title}`);
      await expect(current).toContainText(step.text);
      await current.getByRole('button', { name: 'Apply this step' }).click();
      await expectState(page, stepQuery(lesson, n), lesson, n);
      if (lesson.id === 'ss-lambda' && n === 1) await page.screenshot({ path: `${SHOTS}/teach-lesson-explorer.png` });
    }
    expect(errors).toEqual([]);
  });
}

// The seam a lesson relies on: each step that sets up the playground trains once applied.
const PLAYGROUND_STEPS = LESSONS.flatMap((lesson) =>
  lesson.steps.flatMap((_, i) =>
    parseSettings(stepQuery(lesson, i + 1)).settings.view === 'playground' ? [{ lesson, n: i + 1 }] : [],
  ),
);
test(`every lesson step that sets up the playground trains (${PLAYGROUND_STEPS.length} steps)`, async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  for (const { lesson, n } of PLAYGROUND_STEPS) {
    await page.goto(`/?backend=wasm&view=lessons&lesson=${lesson.id}&step=${n}`);
    await page.getByRole('region', { name: 'Current step' }).getByRole('button', { name: 'Apply this step' }).click();
    await expectState(page, stepQuery(lesson, n), lesson, n);
    const train = page.getByRole('button', { name: 'Train', exact: true });
    await expect(train).toBeEnabled();
    await train.click();
    await expect.poll(() => readStep(page), { message: `${lesson.id} step ${n}`, timeout: 90_000 }).toBeGreaterThan(0);
    await expect(page.getByRole('alert')).toHaveCount(0);
    const rows = page.getByRole('table', { name: 'Runs' }).getByRole('row');
    for (const row of await rows.all()) await expect(row, `${lesson.id} step ${n}`).not.toContainText('error');
  }
  expect(errors).toEqual([]);
});

test('the lesson bar goes to the next step in one click and back to the lesson', async ({ page }) => {
  const lesson = LESSONS.find((l) => l.id === 'ce-vs-dice') as Lesson;
  await page.goto(`/?backend=wasm&view=lessons&lesson=${lesson.id}&step=1`);
  await expect(page.getByRole('article', { name: `Lesson: ${lesson.title}` })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/teach-lesson.png` });
  await page.getByRole('button', { name: 'Apply this step' }).click();
  await expectState(page, stepQuery(lesson, 1), lesson, 1);
  await page.getByRole('region', { name: 'Lesson step' }).getByRole('button', { name: 'Next step' }).click();
  await expectState(page, stepQuery(lesson, 2), lesson, 2);
  await page.screenshot({ path: `${SHOTS}/teach-lesson-bar.png` });
  await page.getByRole('button', { name: 'Back to lesson' }).click();
  await expect(page.getByRole('region', { name: 'Current step' }).getByRole('heading')).toHaveText(/^Step 2 of 5/);
});

test('teacher mode: hidden controls stay hidden through changes, views, lessons and reloads', async ({ page }) => {
  const hide = ['lr', 'steps', 'compare', 'layers', 'tab_explorer', 'data', 'train', 'lambda', 'teacher_panel'];
  await page.goto(`/?${FAST}&loss=ss&_hide=${hide.join(',')}`);
  await expect(page.getByRole('status', { name: 'Active backend' })).toHaveText('wasm');
  const controls = page.getByRole('complementary', { name: 'Controls' });
  const expectHidden = async () => {
    await expect(page.getByLabel('Learning rate value')).toBeHidden();
    await expect(page.getByLabel('Steps')).toBeHidden();
    await expect(page.getByRole('group', { name: 'Compare losses' })).toBeHidden();
    await expect(page.getByLabel('Reference opacity')).toBeHidden();
    await expect(page.getByLabel('Errors opacity')).toBeHidden();
    await expect(page.getByLabel('Lesion type')).toBeHidden();
    await expect(page.getByRole('button', { name: 'Train' })).toBeHidden();
    await expect(page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Loss explorer' })).toBeHidden();
    expect(new URL(page.url()).searchParams.get('_hide')?.split(',')).toEqual(expect.arrayContaining(hide));
  };
  await expectHidden();
  // What is not hidden is still there.
  await expect(controls.getByLabel('Loss', { exact: true })).toBeVisible();
  await expect(controls.getByLabel('Batch size')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Reset' })).toBeVisible();
  await expect(page.getByLabel('Prediction', { exact: true })).toBeHidden(); // one of the layers
  await expect(controls.getByLabel('ssVariant')).toBeVisible();
  await expect(controls.getByLabel('lambda', { exact: true })).toBeHidden();
  await page.screenshot({ path: `${SHOTS}/teach-hidden.png` });

  // Re-render with other settings: the loss options panel is rebuilt.
  await controls.getByLabel('Loss', { exact: true }).selectOption('gdl');
  await controls.getByLabel('Loss', { exact: true }).selectOption('ss');
  await expectHidden();
  await expect(controls.getByLabel('lambda', { exact: true })).toBeHidden();

  // Another view and back; the lessons view without its teacher panel; a lesson step applied.
  await page.getByRole('button', { name: 'Lessons' }).click();
  await expect(page.getByText('Teacher mode: hide controls')).toBeHidden();
  await page.getByRole('button', { name: 'Open lesson: Why lambda does nothing' }).click();
  await page.getByRole('button', { name: 'Apply this step' }).click();
  const explorer = page.getByRole('complementary', { name: 'Explorer controls' });
  await expect(explorer).toBeVisible();
  await expect(explorer.getByLabel('lambda', { exact: true })).toBeHidden();
  await expect(explorer.getByLabel('ssVariant')).toBeVisible();
  await page.getByRole('button', { name: 'Playground' }).click();
  await expectHidden();
  await page.reload();
  await expectHidden();
});

test('an unknown _hide name is reported, not fatal', async ({ page }) => {
  await page.goto(`/?${FAST}&_hide=nonsense,lr`);
  await expect(page.getByRole('status', { name: 'Notices' })).toContainText('no control named nonsense');
  await expect(page.getByLabel('Learning rate value')).toBeHidden();
});

// README screenshots: TEACH_DOCS=docs/screenshots npx playwright test e2e/teach.spec.ts -g screenshots
test('screenshots for the README', async ({ page }) => {
  const out = process.env.TEACH_DOCS;
  test.skip(!out, 'set TEACH_DOCS to a folder to write them');
  await page.goto('/?backend=wasm&view=explorer&fraction=0.001');
  await waitForCurves(page);
  await page.screenshot({ path: `${out}/explorer.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('/?backend=wasm&view=lessons&lesson=ss-lambda&step=4');
  await page.getByRole('button', { name: 'Apply this step' }).click();
  await waitForCurves(page);
  await page.screenshot({ path: `${out}/lesson.png` });
});
