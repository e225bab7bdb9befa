// Phantom difficulty presets: how far the synthetic brain departs from an easy, one-threshold task.
// The URL, the data panel, sweeps and the CLI share these ids; the engine owns what each one does.
export const DIFFICULTY_IDS = ['easy', 'realistic', 'hard'] as const;
export type Difficulty = (typeof DIFFICULTY_IDS)[number];

/** What the page trains on when nothing says otherwise. */
export const DEFAULT_DIFFICULTY: Difficulty = 'realistic';

/** One line per preset, for the data panel and the docs. */
export const DIFFICULTY_DESCRIPTIONS: Record<Difficulty, string> = {
  easy: 'the original phantom: bright, uniform lesions that one FLAIR threshold segments well',
  realistic:
    'lesion intensities overlap normal tissue, FLAIR-bright structures that are not lesions, heterogeneous lesions, varied subjects',
  hard: 'realistic with weaker lesion contrast, more mimics, stronger bias and noise, and wider differences between subjects',
};

export const isDifficulty = (v: unknown): v is Difficulty =>
  typeof v === 'string' && (DIFFICULTY_IDS as readonly string[]).includes(v);
