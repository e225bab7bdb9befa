// Every lesson file in this folder (bundled by Vite), validated; a file with problems is listed in
// LESSON_ERRORS instead of crashing the page.
import { type Lesson, parseLesson } from './schema';

export * from './schema';

const files = import.meta.glob<unknown>('./*.json', { eager: true, import: 'default' });

const loaded = Object.entries(files).map(([path, json]) => {
  const name = path.replace(/^.*\//, '').replace(/\.json$/, '');
  const { lesson, problems } = parseLesson(json);
  if (lesson && lesson.id !== name) problems.push(`id '${lesson.id}' differs from the file name '${name}.json'`);
  return { name, lesson: problems.length ? null : lesson, problems };
});

export const LESSONS: readonly Lesson[] = loaded
  .flatMap((l) => (l.lesson ? [l.lesson] : []))
  .sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));

export const LESSON_ERRORS: readonly { file: string; problems: string[] }[] = loaded
  .filter((l) => l.problems.length > 0)
  .map((l) => ({ file: `${l.name}.json`, problems: l.problems }));

export function findLesson(id: string): Lesson | undefined {
  return LESSONS.find((l) => l.id === id);
}
