import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { Actor } from '../../src/chat/index.js';
import { fixedClock } from '../../src/clock.js';
import type { AppDeps } from '../../src/deps.js';
import { createDispatcher } from '../../src/jobs/index.js';
import { recordingPlatform } from '../jobs/support.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { person, typed } from '../support/events.js';
import { commandLine, errorsIn, recordingLogger, runs, typedSoFar, uglyPart } from './support.js';

/**
 * Whatever someone types after /copro, the core answers in plain words (or says nothing) and
 * never throws. One group is built once, with a poll and a meeting in it, and every run types
 * into it: later lines meet what earlier ones left behind, as in a real group.
 */
let db: TestDb;
const { logger, lines } = recordingLogger();
const clock = fixedClock('2026-11-23T10:00:00Z');
const platform = recordingPlatform(clock, 'console');
let deps: AppDeps;
let app: ReturnType<typeof createApp>;
const ann = person('Ann');
const sam = person('Sam');
const newcomer = person('Newcomer');
/** Codes of things in the group, so random lines can name them. */
const known: string[] = [];
/** What every earlier run typed: its words may be quoted back in later answers. */
const earlier = typedSoFar();

async function say(actor: Actor, text: string, channelId = 'general') {
  const { event, said, forms } = typed(actor, text, channelId);
  const outcome = await app.handle(event);
  return { said, forms, outcome, text: said.map((s) => s.message.text).join('\n') };
}

beforeAll(async () => {
  db = await openTestDb();
  deps = {
    db: db.db,
    clock,
    logger,
    platforms: { console: platform },
    voterSecret: randomBytes(32),
    encryptionKey: randomBytes(32),
  };
  app = createApp(deps);
  await say(ann, 'setup --timezone Europe/London');
  await app.handle({ kind: 'memberJoined', id: 'sam-joins', actor: sam, channelId: 'general' });
  const poll = await say(ann, 'poll "Tea or coffee?" "Tea" "Coffee" --closes 3d');
  const meeting = await say(ann, 'meeting new "Leaflet review" "next Tuesday 2pm" --length 90m');
  const feedback = await say(sam, 'feedback "Papers arrive too late"');
  for (const answer of [poll.text, meeting.text, feedback.text])
    known.push(...(answer.match(/\b[PMF][A-Z0-9]{1,5}\b/g) ?? []));
  expect(known.length).toBeGreaterThanOrEqual(3);
  expect(errorsIn(lines)).toEqual([]);
});
afterAll(async () => db.close());

describe('random command lines', () => {
  it('are answered in plain words or not at all, and never throw', async () => {
    const dispatcher = createDispatcher({ db: db.db, clock, logger, platforms: deps.platforms });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(ann, sam, newcomer),
        fc.constantFrom('general', 'elsewhere', 'D-ann'),
        commandLine(known),
        async (actor, channelId, line) => {
          lines.length = 0;
          const answer = await say(actor, line, channelId);
          earlier.add(line);
          const ugly = (text: string) => uglyPart(text, line, earlier.kinds);
          for (const s of answer.said) {
            expect(ugly(JSON.stringify(s.message))).toBeUndefined();
          }
          for (const form of answer.forms) expect(ugly(JSON.stringify(form))).toBeUndefined();
          // What the line queued for the channel or for someone's messages reads as plainly.
          const before = platform.calls.length;
          await dispatcher.dispatchDue();
          for (const call of platform.calls.slice(before))
            expect(ugly(JSON.stringify(call.message))).toBeUndefined();
          expect(errorsIn(lines)).toEqual([]);
        },
      ),
      { numRuns: runs(250) },
    );
  });
});
