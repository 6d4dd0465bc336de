import { defineConfig } from 'vitest/config';

/**
 * Three projects. `fast` runs in-process against fakes and a per-file database copied from one
 * migrated once, and is what `npm test` runs. `e2e` holds what takes seconds per test by nature:
 * real processes (`npm start`'s program, helper scripts) and databases built from nothing (on
 * disk, or migrated from the first migration); `npm run test:e2e` runs them with deadlines that
 * hold on a busy machine. Such a test file is named `*.e2e.test.ts`. `faults` starts copro as
 * processes on a Postgres server and breaks what is around them (a replica killed, the database
 * cut off or slow, Slack refusing with 429s); `npm run test:faults` runs it, with
 * TEST_DATABASE_URL set. Such a file is `test/faults/*.fault.test.ts`.
 */
const e2e = 'test/**/*.e2e.test.ts';
const faults = 'test/faults/**/*.fault.test.ts';

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
          exclude: [e2e, faults],
          // Generous for a busy machine: a passing test takes what it takes, a hung one still fails.
          // (A few tests do seconds of real work: a burst of votes, property runs, a member's whole life.)
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
          exclude: [faults],
          // Starting a process takes seconds on a quiet machine and minutes on a crowded one.
          testTimeout: 420_000,
          hookTimeout: 420_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'faults',
          // One file at a time: each starts several copro processes, and two files' worth on two
          // cores would make the one deadline that counts (Slack's 3 s acknowledgement) the CPU's.
          maxWorkers: 1,
          include: [faults],
          testTimeout: 600_000,
          hookTimeout: 420_000,
        },
      },
    ],
  },
});
