// Segmentation metrics and summary statistics on plain arrays: no tf, safe anywhere (UI included).
export * from './confusion';
export * from './overlap';
export * from './summary';
