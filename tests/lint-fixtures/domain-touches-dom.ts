export const x = window.location.search;
