import { createCipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { asc, like } from 'drizzle-orm';
import { expect } from 'vitest';
import { schema } from '../../db/client.js';
import { createApp } from '../../src/app.js';
import type { Actor, Message } from '../../src/chat/index.js';
import type { fixedClock } from '../../src/clock.js';
import type { AppDeps } from '../../src/deps.js';
import { createDispatcher, createScheduler } from '../../src/jobs/index.js';
import { createLogger } from '../../src/logger.js';
import { recordingPlatform } from '../jobs/support.js';
import { buttonOf } from '../onboarding/support.js';
import { pollMessageRef } from '../polls/support.js';
import type { TestDb } from '../support/db.js';
import { clicked, person, submitted, typed } from '../support/events.js';

export const KEY = randomBytes(32);

/** A value as copro sealed it before each value named its key: "v1.<iv>.<tag>.<body>". */
export function sealedTheOldWay(key: Buffer, plaintext: string, context: string): string {
  const sub = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'copro special-category data v1', 32));
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sub, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), body]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/** People with names and ids that appear nowhere else, so a search for them finds only them. */
export const ann = person('Ann');
export const samira = person('Samira Quillfeather', { userId: 'u0samira7' });
export const bo = person('Bo');
export const cy = person('Cy');
export const dov = person('Dov');

/** The real core on a real database, behind a recording terminal platform. */
export function privacyWorld(
  db: TestDb,
  clock: ReturnType<typeof fixedClock>,
  keys: Pick<AppDeps, 'encryptionKey' | 'voterSecret'> = { encryptionKey: KEY, voterSecret: KEY },
) {
  const platform = Object.assign(recordingPlatform(clock, 'console'), { isChannelMember: async () => true });
  /** Every log line, as written: what an operator could read later. */
  const logged: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logged.push(String(chunk));
      done();
    },
  });
  const logger = createLogger('trace', sink);
  const deps: AppDeps = {
    db: db.db,
    clock,
    logger,
    platforms: { console: platform },
    ...keys,
  };
  const app = createApp(deps);
  const dispatcher = createDispatcher({ db: db.db, clock, logger, platforms: deps.platforms });
  const scheduler = createScheduler({ db: db.db, clock, logger, handlers: app.jobs, sweeps: app.sweeps });

  async function say(actor: Actor, text: string, channelId = 'general') {
    const { event, said, forms } = typed(actor, text, channelId);
    await app.handle(event);
    return { text: said.map((s) => s.message.text).join('\n'), said, forms, last: said.at(-1)?.message };
  }

  async function press(actor: Actor, message: Message | undefined, label: string) {
    const b = buttonOf(message, label);
    const { event, said, forms } = clicked(actor, b.actionId, b.value);
    const ref = b.actionId.startsWith('poll.')
      ? await pollMessageRef(db, b.value.split(':')[0] ?? '')
      : undefined;
    await app.handle({ ...event, ...(ref ? { message: ref, channelId: ref.channelId } : {}) });
    return { message: said.at(-1)?.message, text: said.map((s) => s.message.text).join('\n'), forms };
  }

  async function submit(
    actor: Actor,
    formId: string,
    values: Record<string, string | string[]>,
    state?: string,
  ) {
    const { event, said } = submitted(actor, formId, values, state);
    const outcome = await app.handle(event);
    expect(outcome?.formErrors).toBeUndefined();
    return said.at(-1)?.message;
  }

  async function dms(userId: string): Promise<Message[]> {
    const rows = await db.db
      .select()
      .from(schema.outbox)
      .where(like(schema.outbox.recipient, `%:dm:${userId}`))
      .orderBy(asc(schema.outbox.id));
    return rows.map((r) => r.message as unknown as Message);
  }

  const joined = (actor: Actor) =>
    app.handle({
      kind: 'memberJoined',
      id: `join-${actor.userId}-${Math.random()}`,
      actor,
      channelId: 'general',
    });

  /** Start a poll (as Ann unless said) and deliver it, so its buttons can be pressed; the poll message. */
  async function poll(text: string, by: Actor = ann): Promise<Message> {
    const answer = await say(by, text);
    const code = /poll (P[A-Z0-9]+) is posted/.exec(answer.text)?.[1];
    if (!code) throw new Error(`no poll code in: ${answer.text}`);
    await dispatcher.dispatchDue();
    const posted = platform.posts().find((p) => p.text.includes(code));
    if (!posted) throw new Error(`poll ${code} was not posted`);
    return posted.message;
  }

  return { app, deps, platform, dispatcher, scheduler, logged, say, press, submit, dms, joined, poll };
}

export type World = ReturnType<typeof privacyWorld>;

/**
 * A member's life in the group, through the same commands, buttons and forms people use: Samira
 * joins and does the whole welcome (with access needs and lived experience), is given a role,
 * votes in an ordinary and an anonymous poll, is paired in a buddy round and says they met, and
 * asks not to be paired with Cy (and Cy with her) and with Dov (who then deletes his data), and
 * plans and goes to a meeting. Bo is her buddy
 * pair; Ann coordinates.
 */
export async function aMembersLife(world: World, clock: ReturnType<typeof fixedClock>): Promise<void> {
  const { say, press, submit, dms, joined } = world;
  await say(ann, 'setup --name "Leaflet group"');
  for (const p of [samira, bo, cy]) await joined(p);

  let message = (await dms(samira.userId))[0];
  ({ message } = await press(samira, message, 'Start'));
  ({ message } = await press(samira, message, 'I have read this'));
  while (message?.text.includes('Choices: I agree,')) ({ message } = await press(samira, message, 'I agree'));
  const profile = await press(samira, message, 'Fill in my profile');
  await submit(
    samira,
    profile.forms[0]!.id,
    {
      name: 'Samira',
      pronouns: 'she/her',
      timezone: 'Europe/London',
      contact: 'chat',
      often: 'weekly',
      interests: 'mental health, writing',
      lived: 'bipolar disorder',
    },
    profile.forms[0]!.state,
  );
  message = (await dms(samira.userId)).at(-1);
  const consent = await press(samira, message, 'Yes, I agree');
  await submit(
    samira,
    consent.forms[0]!.id,
    {
      needs: ['papers-early', 'large-print'],
      other: 'Mornings are hard for me',
      named: ['yes'],
    },
    consent.forms[0]!.state,
  );
  message = (await dms(samira.userId)).at(-1);
  ({ message } = await press(samira, message, 'Yes please'));
  await press(samira, message, 'Yes please');

  await say(ann, `role add @${samira.userId} researcher`);
  await say(ann, `role remove @${samira.userId} researcher`);
  await say(ann, `role add @${bo.userId} buddy`);
  await say(samira, 'buddy request');
  await say(ann, `match forbid @${samira.userId} @${cy.userId}`);

  const ordinary = await world.poll('poll "Which day suits you?" "Monday" "Friday"');
  await press(samira, ordinary, 'Friday');
  await press(bo, ordinary, 'Monday');
  const secret = await world.poll('poll "Should we change the leaflet title?" "Yes" "No" --anonymous');
  await press(samira, secret, 'Yes');
  // Both close: a closed poll's counts are what erasure must leave as they are.
  for (const { code } of await world.deps.db.select({ code: schema.polls.code }).from(schema.polls)) {
    await say(ann, `poll close ${code}`);
  }
  await world.poll('poll "Tea or coffee at meetings?" "Tea" "Coffee"', samira);
  await world.poll('poll "Shall we meet in January?" "Yes" "No" --closes 3d');
  clock.set('2026-11-25T10:30:00Z');
  await world.scheduler.runDue();
  await world.dispatcher.dispatchDue();
  const reminder = (await dms(samira.userId)).find((m) => m.text.includes('January'));
  await press(samira, reminder, 'Turn off poll reminders');
  clock.set('2026-11-25T11:00:00Z');

  for (const p of [samira, bo]) await say(p, 'buddy opt-in');
  await say(samira, `buddy avoid @${cy.userId}`);
  await say(cy, `buddy avoid @${samira.userId}`);
  // Dov, whom Samira asked not to be paired with and a coordinator kept apart from her, deletes
  // his data: both rules stay, without his name, in case he comes back.
  await joined(dov);
  await say(samira, `buddy avoid @${dov.userId}`);
  await say(ann, `match forbid @${samira.userId} @${dov.userId}`);
  await press(dov, (await say(dov, 'forget-me')).last, 'Yes, delete my data');
  await say(ann, 'match run');
  clock.set('2026-12-02T12:00:00Z');
  await world.scheduler.runDue();
  const ask = (await dms(samira.userId)).find((m) => m.text.includes('Did you get a chance to meet'));
  await press(samira, ask, 'We met');
  clock.set('2026-12-02T13:00:00Z');

  // Standing in as a coordinator, Samira plans a meeting; she adds an item, says she is going,
  // and turns meeting reminders off from the first one. (After the meeting, below, she says she
  // was there, and as a coordinator again records its notes and confirms the attendance.)
  await say(ann, `role add @${samira.userId} coordinator`);
  const planned = await say(samira, 'meeting new "Leaflet review" "3 December 2026 14:00"');
  await say(ann, `role remove @${samira.userId} coordinator`);
  const code = /Meeting (M\w+):/.exec(planned.text)?.[1];
  await say(samira, `agenda add ${code} "Payment for reviewers"`);
  await press(samira, (await say(samira, 'meetings')).last, 'Going');
  clock.set('2026-12-02T14:00:00Z');
  await world.scheduler.runDue();
  const nudge = (await dms(samira.userId)).find((m) => m.text.includes('Leaflet review is tomorrow'));
  await press(samira, nudge, 'Turn off meeting reminders');

  await say(ann, 'payments rate meeting £25');
  await say(samira, 'my-involvement pay 50%');
  await say(samira, 'log 2h "Read the leaflet draft" --type meeting');
  await say(samira, 'log expense £8.40 "Bus fare" --kind travel --receipt "ticket kept"');
  await say(ann, `log 1h "Interview panel" --for @${samira.userId} --type panel`);
  await say(ann, 'payments approve all');
  await say(ann, 'payments paid all');
  await say(samira, 'feedback "Papers arrive too late to read"');
  await say(ann, 'feedback close F1 "Papers now go out a week ahead"');
  await say(ann, `role add @${samira.userId} coordinator`);
  await say(bo, 'feedback "More breaks in meetings"');
  await say(samira, 'feedback close F2 "Every meeting has a 10 minute break"');
  clock.set('2026-12-04T14:30:00Z');
  await world.scheduler.runDue();
  const asked = (await dms(samira.userId)).find((m) => m.text.startsWith('Were you at'));
  await press(samira, asked, 'I was there');
  const notes = await say(samira, `meeting notes ${code}`);
  await submit(
    samira,
    notes.forms[0]!.id,
    { decisions: '1: Reviewers are paid', actions: '' },
    notes.forms[0]!.state,
  );
  await press(samira, (await say(samira, `meeting attendance ${code}`)).last, 'Confirm 1 person');
  await say(ann, `role remove @${samira.userId} coordinator`);
}

/**
 * Where `aMembersLife` leaves things, lived once in a test file and its rows copied back for each
 * later test (it takes a few hundred commands); the clock is set to where the life ends.
 */
export async function afterAMembersLife(
  db: TestDb,
  world: World,
  clock: ReturnType<typeof fixedClock>,
): Promise<void> {
  const ended = await db.startFrom("a member's life", async () => {
    await aMembersLife(world, clock);
    return clock.now();
  });
  clock.set(ended);
}
