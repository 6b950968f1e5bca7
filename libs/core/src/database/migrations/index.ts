import { Foundation1763900000000 } from './1763900000000-foundation';

/** Every migration, in order. Listed explicitly so the same list runs from ts (tests) and js (dist). */
export const MIGRATIONS = [Foundation1763900000000];
