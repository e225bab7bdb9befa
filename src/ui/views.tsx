// The page's views besides the playground. Each view is a component taking the shared props;
// add a view by adding its id to VIEW_IDS (src/state/settings.ts) and an entry here.
import type { ComponentType } from 'react';
import type { Settings, ViewId } from '../state/settings';
import type { Playground } from '../state/usePlayground';
import { ExplorerView } from './explorer/ExplorerView';
import { HistoryView } from './history/HistoryView';
import { LessonsView } from './lessons/LessonsView';
import { YourDataView } from './io/YourDataView';
import { SweepView } from './sweep/SweepView';

export interface ViewProps {
  pg: Playground;
  settings: Settings;
  onChange: (patch: Partial<Settings>) => void;
  /** Shows a message in the page's notice bar. */
  notify: (message: string) => void;
}

export interface ViewEntry {
  id: ViewId;
  label: string;
  /** Absent: the view is not built yet and its tab is not shown. */
  component?: ComponentType<ViewProps>;
}

export const VIEWS: ViewEntry[] = [
  { id: 'playground', label: 'Playground' },
  { id: 'explorer', label: 'Loss explorer', component: ExplorerView },
  { id: 'lessons', label: 'Lessons', component: LessonsView },
  { id: 'sweeps', label: 'Sweeps', component: SweepView },
  { id: 'history', label: 'History', component: HistoryView },
  { id: 'data', label: 'Your data', component: YourDataView },
];
