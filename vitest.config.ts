import { defineConfig } from 'vitest/config';

/**
 * Two projects. `fast` runs in-process against fakes and a per-file database copied from one
 * migrated once, and is what `npm test` runs. `e2e` holds what takes seconds per test by nature:
 * real processes (`npm start`'s program, helper scripts) and databases built from nothing (on
 * disk, or migrated from the first migration); `npm run test:e2e` runs them with deadlines that
 * hold on a busy machine. Such a test file is named `*.e2e.test.ts`.
 */
const e2e = 'test/**/*.e2e.test.ts';

export default defineConfig({
  test: {
    pool: 'forks',
    globalSetup: ['test/support/global-setup.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'fast',
          // Files share a worker's loaded modules (discord.js, Bolt, PGlite) and its database
          // instead of loading their own: about half the CPU time. Each file starts with no rows.
          isolate: false,
          // One worker a core. A third or fourth was measured slower on two cores (79 s and 86 s
          // against 58-62 s): each loads its own PGlite and modules, and they take turns on the CPU.
          maxWorkers: 2,
          include: ['test/**/*.test.ts'],
          exclude: [e2e],
          // Generous for a busy machine: a passing test takes what it takes, a hung one still fails.
          // (A few tests do seconds of real work: 200 votes, property runs, a database on disk.)
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          maxWorkers: 2,
          include: [e2e],
          // Starting a process takes seconds on a quiet machine and minutes on a crowded one.
          testTimeout: 420_000,
          hookTimeout: 420_000,
        },
      },
    ],
  },
});
