// Guided lessons: pick one, read a step, apply it (one click sets the playground and switches view).
// Lessons are JSON files in src/lessons/; a teacher can also try a file here before adding it.
import { useEffect, useState } from 'react';
import { findLesson, LESSON_ERRORS, LESSONS, type Lesson, parseLesson, stepQuery, stepSettings } from '../../lessons';
import type { ViewProps } from '../views';
import { TeacherPanel } from './TeacherPanel';
import './lessons.css';

function LessonList({ onOpen, lessons }: { onOpen: (l: Lesson) => void; lessons: readonly Lesson[] }) {
  return (
    <ul className="lesson-list" aria-label="Lesson list">
      {lessons.map((l) => (
        <li key={l.id} className="lesson-card">
          <h3>{l.title}</h3>
          <p>{l.summary}</p>
          <p className="hint">{l.steps.length} steps</p>
          <button type="button" className="primary" onClick={() => onOpen(l)} aria-label={`Open lesson: ${l.title}`}>
            Open
          </button>
        </li>
      ))}
    </ul>
  );
}

function LessonFile({ onLoad }: { onLoad: (l: Lesson) => void }) {
  const [problems, setProblems] = useState<string[]>([]);
  const read = async (file: File) => {
    try {
      const { lesson, problems: p } = parseLesson(JSON.parse(await file.text()));
      setProblems(p);
      if (lesson) onLoad(lesson);
    } catch (err) {
      setProblems([`${file.name} is not JSON: ${err instanceof Error ? err.message : String(err)}`]);
    }
  };
  return (
    <div className="lesson-file">
      <label>
        Try a lesson file (JSON, same format as src/lessons/*.json){' '}
        <input
          type="file"
          accept=".json,application/json"
          onChange={(e) => e.target.files?.[0] && void read(e.target.files[0])}
        />
      </label>
      {problems.length > 0 && (
        <ul role="alert" aria-label="Lesson file problems" className="explorer-errors">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function LessonsView({ settings, onChange, notify }: ViewProps) {
  const [custom, setCustom] = useState<Lesson | null>(null);
  const lesson = settings.lesson
    ? (findLesson(settings.lesson) ?? (custom?.id === settings.lesson ? custom : undefined))
    : undefined;
  const open = (l: Lesson) => onChange({ lesson: l.id, step: 1 });
  const missing = settings.lesson && !lesson ? settings.lesson : '';
  useEffect(() => {
    if (missing) notify(`No lesson '${missing}': pick one from the list.`);
  }, [missing, notify]);
  const n = lesson ? Math.min(Math.max(1, settings.step), lesson.steps.length) : 1;
  const step = lesson?.steps[n - 1];
  return (
    <section className="lessons" aria-label="Lessons">
      {!lesson || !step ? (
        <>
          <h2>Lessons</h2>
          <p className="hint">Short guided tours: each step sets up the playground or the loss explorer in one click.</p>
          <LessonList lessons={LESSONS} onOpen={open} />
          {LESSON_ERRORS.map((e) => (
            <p key={e.file} role="alert" className="explorer-errors">
              {e.file}: {e.problems.join('; ')}
            </p>
          ))}
          <LessonFile
            onLoad={(l) => {
              setCustom(l);
              open(l);
            }}
          />
        </>
      ) : (
        <article className="lesson" aria-label={`Lesson: ${lesson.title}`}>
          <button type="button" onClick={() => onChange({ lesson: '', step: 1 })}>
            ← All lessons
          </button>
          <h2>{lesson.title}</h2>
          <p>{lesson.summary}</p>
          <ol className="lesson-steps" aria-label="Steps">
            {lesson.steps.map((s, i) => (
              <li key={s.title}>
                <button type="button" aria-current={i + 1 === n ? 'step' : undefined} onClick={() => onChange({ step: i + 1 })}>
                  {i + 1}. {s.title}
                </button>
              </li>
            ))}
          </ol>
          <section className="lesson-step" aria-label="Current step">
            <h3>
              Step {n} of {lesson.steps.length}: {step.title}
            </h3>
            <p>{step.text}</p>
            <p className="hint">
              Sets <code>{[...new URLSearchParams(stepQuery(lesson, n))].map(([k, v]) => `${k}=${v}`).join(' · ')}</code>
            </p>
            <div className="lesson-actions">
              <button type="button" disabled={n <= 1} onClick={() => onChange({ step: n - 1 })}>
                Previous
              </button>
              <button
                type="button"
                className="primary"
                onClick={() => onChange(stepSettings({ lesson, step: n, current: settings }))}
              >
                Apply this step
              </button>
              <button type="button" disabled={n >= lesson.steps.length} onClick={() => onChange({ step: n + 1 })}>
                Next
              </button>
            </div>
          </section>
        </article>
      )}
      <TeacherPanel settings={settings} onChange={onChange} />
    </section>
  );
}
