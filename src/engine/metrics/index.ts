// Segmentation metrics and summary statistics on plain arrays: no tf, safe anywhere (UI included).
export * from './boundary';
export * from './challenge';
export * from './components';
export * from './confusion';
export * from './edt';
export * from './grid';
export * from './hausdorff';
export * from './lesions';
export * from './overlap';
export * from '../../domain/summary';
