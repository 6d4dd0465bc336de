import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp, defaultFeatures } from '../src/app.js';
import type { Actor } from '../src/chat/index.js';
import { textMessage } from '../src/chat/index.js';
import { fixedClock } from '../src/clock.js';
import type { AppDeps } from '../src/deps.js';
import { defineFeature } from '../src/features.js';
import { createDispatcher, createScheduler, enqueueMessage, scheduleJob } from '../src/jobs/index.js';
import { silentLogger } from '../src/logger.js';
import { recordingPlatform } from './jobs/support.js';
import { openTestDb, type TestDb } from './support/db.js';
import { person, typed } from './support/events.js';

/**
 * A feature written only here, the way a new folder under src/ would be: it implements a
 * catalogue command (in place of copro's own involvement feature), runs a job with its own catch-up policy, and
 * adds a section to the weekly digest. Nothing in src/ knows about it.
 */
declare module '../src/jobs/jobs.js' {
  interface JobPayloads {
    'toy.thanks': { readonly userId: string; readonly workspaceId: string; readonly minutes: number };
  }
}

const HOUR = 3_600_000;
let logged: { groupId: number; minutes: number; at: Date }[] = [];

const involvement = defineFeature({
  name: 'involvement (toy)',
  commands: {
    async 'log.time'(ctx) {
      const at = ctx.deps.clock.now();
      logged.push({ groupId: ctx.group.id, minutes: ctx.args.time, at });
      await scheduleJob(ctx.deps.db, {
        kind: 'toy.thanks',
        key: `toy.thanks:${ctx.member.id}:${at.toISOString()}`,
        runAt: new Date(at.getTime() + HOUR),
        expiresAt: new Date(at.getTime() + 24 * HOUR),
        groupId: ctx.group.id,
        payload: { userId: ctx.member.userId, workspaceId: ctx.member.workspaceId, minutes: ctx.args.time },
      });
      return { message: textMessage(`Logged ${ctx.args.time / 60} hours: ${ctx.args.what}.`) };
    },
  },
  jobs: {
    'toy.thanks': {
      // A thank-you a day late reads oddly: drop it if copro was down past its day.
      policy: 'drop-if-past',
      async run({ tx, now, payload, job }) {
        await enqueueMessage(tx, now, {
          purpose: `toy.thanks:${job.key}`,
          platform: 'console',
          destination: { kind: 'dm', userId: payload.userId, workspaceId: payload.workspaceId },
          message: textMessage(`Thank you for the ${payload.minutes / 60} hours you gave the group.`),
        });
      },
    },
  },
  digestSections: [
    async ({ group, since, until }) => {
      const minutes = logged
        .filter((l) => l.groupId === group.id && l.at > since && l.at <= until)
        .reduce((sum, l) => sum + l.minutes, 0);
      return minutes > 0 ? { title: 'Involvement', lines: [`${minutes / 60} hours logged.`] } : undefined;
    },
  ],
});

let db: TestDb;
const clock = fixedClock('2026-11-18T10:00:00Z');
const ann = person('Ann');

beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => db.close());
beforeEach(async () => {
  await db.reset();
  logged = [];
  clock.set('2026-11-18T10:00:00Z');
});

/** copro's features without its own involvement records, which the toy stands in for. */
const withoutInvolvement = () => defaultFeatures().filter((f) => f.name !== 'involvement');

function start(deps: Omit<AppDeps, 'db' | 'clock' | 'logger'>) {
  const base = { db: db.db, clock, logger: silentLogger(), ...deps };
  const app = createApp(base, [...withoutInvolvement(), involvement]);
  const scheduler = createScheduler({ ...base, handlers: app.jobs, sweeps: app.sweeps });
  const dispatcher = createDispatcher(base);
  async function say(actor: Actor, text: string): Promise<string> {
    const { event, said } = typed(actor, text);
    await app.handle(event);
    return said.map((s) => s.message.text).join('\n');
  }
  return { app, scheduler, dispatcher, say };
}

describe('a feature added from outside src/', () => {
  it('answers its command, runs its job, and shows its section in the digest', async () => {
    const console = recordingPlatform(clock, 'console');
    const { scheduler, dispatcher, say } = start({ platforms: { console } });
    await say(ann, 'setup --name "Leaflet group"');

    expect(await say(ann, 'log 2h "Reviewed the leaflet"')).toBe('Logged 2 hours: Reviewed the leaflet.');

    clock.advance(HOUR);
    await scheduler.runDue();
    await dispatcher.dispatchDue();
    const thanks = console.posts().filter((p) => p.to?.kind === 'dm');
    expect(thanks.map((p) => p.text)).toEqual(['Thank you for the 2 hours you gave the group.']);

    expect(await say(ann, 'digest preview')).toContain('Involvement:\n- 2 hours logged.');
  });

  it('applies the catch-up policy its job declares: a thank-you missed by a day is dropped', async () => {
    const console = recordingPlatform(clock, 'console');
    const { scheduler, dispatcher, say } = start({ platforms: { console } });
    await say(ann, 'setup --name "Leaflet group"');
    await say(ann, 'log 30m "Read the minutes"');

    clock.advance(2 * 24 * HOUR); // copro was not running for two days
    expect(await scheduler.catchUp()).toMatchObject({ overdue: 1, dropped: 1 });
    await scheduler.runDue();
    await dispatcher.dispatchDue();
    expect(console.posts().filter((p) => p.to?.kind === 'dm')).toEqual([]);
  });

  it('without the feature, the same command is still answered as coming soon', async () => {
    const app = createApp({ db: db.db, clock, logger: silentLogger(), platforms: {} }, withoutInvolvement());
    const { event, said } = typed(ann, 'log 2h "Reviewed the leaflet"');
    await app.handle(event);
    expect(said[0]?.message.text).toContain('coming soon');
  });
});

describe('two features claiming one id', () => {
  const deps = () => ({ db: db.db, clock, logger: silentLogger(), platforms: {} });

  it('stops copro at start, naming both features and the command', () => {
    const rival = defineFeature({
      name: 'rival polls',
      commands: { polls: async () => ({ message: textMessage('mine') }) },
    });
    expect(() => createApp(deps(), [...defaultFeatures(), rival])).toThrow(
      'copro cannot start: the polls and rival polls features both handle the command "polls".',
    );
  });

  it('stops copro at start for a job kind, a button or a form claimed twice', () => {
    const twice = defineFeature({
      name: 'second digest',
      jobs: { 'digest.send': { policy: 'run-once', run: async () => {} } },
    });
    expect(() => createApp(deps(), [...defaultFeatures(), twice])).toThrow(
      'the digest and second digest features both handle the job "digest.send"',
    );
    const button = defineFeature({ name: 'voting', actions: { 'poll.vote': async () => {} } });
    expect(() => createApp(deps(), [...defaultFeatures(), button])).toThrow(
      'the polls and voting features both handle the action "poll.vote"',
    );
    const form = defineFeature({ name: 'ranking', forms: { 'poll.rank': async () => undefined } });
    expect(() => createApp(deps(), [...defaultFeatures(), form])).toThrow(
      'the polls and ranking features both handle the form "poll.rank"',
    );
  });
});
