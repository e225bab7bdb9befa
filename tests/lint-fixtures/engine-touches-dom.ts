export const x = document.createElement('canvas');
