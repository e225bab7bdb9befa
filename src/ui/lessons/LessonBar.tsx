// While a lesson step is applied, a banner above the view says which step it is and what to do,
// with one click back to the lesson or on to the next step.
import { findLesson, stepSettings } from '../../lessons';
import './lessons.css';
import type { Settings } from '../../state/settings';

export interface LessonBarProps {
  settings: Settings;
  onChange: (patch: Partial<Settings>) => void;
}

export function LessonBar({ settings, onChange }: LessonBarProps) {
  const lesson = settings.lesson ? findLesson(settings.lesson) : undefined;
  if (!lesson || settings.view === 'lessons') return null;
  const n = Math.min(settings.step, lesson.steps.length);
  const step = lesson.steps[n - 1];
  const last = n >= lesson.steps.length;
  return (
    <section className="lesson-bar" aria-label="Lesson step" data-control="lesson_bar">
      <p>
        <strong>{lesson.title}</strong> · step {n} of {lesson.steps.length}: <em>{step.title}</em>. {step.text}
      </p>
      <div className="lesson-bar-actions">
        <button type="button" onClick={() => onChange({ view: 'lessons' })}>
          Back to lesson
        </button>
        <button
          type="button"
          className="primary"
          disabled={last}
          onClick={() => onChange(stepSettings({ lesson, step: n + 1, current: settings }))}
        >
          Next step
        </button>
        <button type="button" aria-label="Leave lesson" onClick={() => onChange({ lesson: '', step: 1 })}>
          ×
        </button>
      </div>
    </section>
  );
}
