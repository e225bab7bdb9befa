// The versions the exported project was checked with in this repository's tests (Debian's packages).
// The CLI (npm run export) records the versions it finds on the machine instead.
export const CHECKED_VERSIONS: Record<string, string> = {
  python: '3.11.2',
  torch: '1.13.0a0 (Debian python3-torch)',
  nibabel: '5.0.0',
  numpy: '1.24.2',
  '@tensorflow/tfjs': '4.22.0',
};
