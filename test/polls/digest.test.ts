import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { Actor } from '../../src/chat/index.js';
import { fixedClock } from '../../src/clock.js';
import type { AppDeps } from '../../src/deps.js';
import { createDispatcher } from '../../src/jobs/index.js';
import { silentLogger } from '../../src/logger.js';
import { recordingPlatform } from '../jobs/support.js';
import { pollMessageRef } from '../polls/support.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { clicked, person, submitted, typed } from '../support/events.js';

/** Polls, as the weekly digest reports them, driven through copro's own commands and buttons. */
let db: TestDb;
const clock = fixedClock('2026-11-16T10:00:00Z'); // a Monday
const ann = person('Ann');
const bo = person('Bo');
const cy = person('Cy');
let app: ReturnType<typeof createApp>;
let platforms: AppDeps['platforms'];

async function say(actor: Actor, text: string): Promise<string> {
  const { event, said } = typed(actor, text);
  await app.handle(event);
  return said.map((s) => s.message.text).join('\n');
}

/** A click on the poll's message, once copro has posted it. */
async function vote(actor: Actor, code: string, option: number) {
  await createDispatcher({ db: db.db, clock, logger: silentLogger(), platforms }).dispatchDue();
  const message = await pollMessageRef(db, code);
  await app.handle({
    ...clicked(actor, 'poll.vote', `${code}:${option}`).event,
    ...(message ? { message } : {}),
  });
}

async function openPoll(text: string): Promise<string> {
  const code = /poll (P[A-Z0-9]+) is posted/.exec(await say(ann, text))?.[1];
  if (!code) throw new Error(`no poll code for ${text}`);
  return code;
}

beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => db.close());
beforeEach(async () => {
  await db.reset();
  clock.set('2026-11-16T10:00:00Z');
  platforms = { console: recordingPlatform(clock, 'console') };
  app = createApp({ db: db.db, clock, logger: silentLogger(), platforms });
  await say(ann, 'setup --timezone Europe/London --name "Leaflet group"');
  await say(bo, 'roles');
  await say(cy, 'roles');
});

describe('polls in the weekly digest', () => {
  it('lists open polls with their deadline and turnout, and the results of polls closed this week', async () => {
    clock.set('2026-11-17T10:00:00Z');
    const title = await openPoll('poll "Which leaflet title?" "Your voice" "Have your say"');
    await vote(bo, title, 0);
    await vote(cy, title, 0);
    await vote(ann, title, 1);
    await say(ann, `poll close ${title}`);
    const room = await openPoll('poll "Which room?" "Library" "Online"');
    await vote(bo, room, 0);
    await vote(cy, room, 1);
    await say(ann, `poll close ${room}`);
    const date = await openPoll('poll "Which date suits?" "Tuesday" "Thursday" --closes 3d');
    await vote(bo, date, 1);

    clock.set('2026-11-18T12:00:00Z');
    const preview = await say(bo, 'digest preview');
    expect(preview).toContain(
      'Open polls:\n- “Which date suits?” closes Friday 20 November at 10:00. 1 of 3 members has voted.',
    );
    expect(preview).toContain('- “Which leaflet title?”: “Your voice” had the most votes (2 of 3).');
    expect(preview).toContain(
      '- “Which room?”: “Library” and “Online” tied, with 1 vote each, from 2 voters.',
    );
  });

  it('says a ranked poll level at the top is a tie, not a win', async () => {
    clock.set('2026-11-17T10:00:00Z');
    const code = await openPoll('poll "Study first?" "Sleep" "Pain" --ranked');
    await app.handle(submitted(bo, 'poll.rank', { rank1: '0', rank2: '1' }, code).event);
    await app.handle(submitted(cy, 'poll.rank', { rank1: '1', rank2: '0' }, code).event);
    await say(ann, `poll close ${code}`);
    clock.set('2026-11-18T12:00:00Z');
    expect(await say(bo, 'digest preview')).toContain(
      '- “Study first?”: “Sleep” and “Pain” tied at the top of the ranking, from 2 voters.',
    );
  });

  it('leaves out results of polls closed before the last digest', async () => {
    const old = await openPoll('poll "Old question?" "Yes" "No"');
    await vote(bo, old, 0);
    await say(ann, `poll close ${old}`);
    clock.set('2026-11-16T11:00:00Z');
    await say(ann, 'digest now');
    clock.set('2026-11-18T12:00:00Z');
    expect(await say(bo, 'digest preview')).not.toContain('Old question?');
  });
});
