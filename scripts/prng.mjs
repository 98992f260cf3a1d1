// The seeded generator of src/shared/prng.ts, for the fixture generators and evaluations
// (from dist: `npm install` builds it).
export { prng } from '../dist/shared/prng.js';
