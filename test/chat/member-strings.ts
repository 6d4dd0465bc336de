import { randomUUID } from 'node:crypto';
import { asc } from 'drizzle-orm';
import { schema } from '../../db/client.js';
import { createApp } from '../../src/app.js';
import type { Actor, Form, FormValues, Message } from '../../src/chat/index.js';
import { type Clock, fixedClock } from '../../src/clock.js';
import { catalogue } from '../../src/commands/catalogue.js';
import { helpMessage } from '../../src/commands/help.js';
import type { AppDeps } from '../../src/deps.js';
import {
  DATABASE_BUSY_KEEPING_TEXT,
  DATABASE_KEEPING_TEXT,
  DATABASE_UNAVAILABLE_TEXT,
  unexpectedErrorText,
} from '../../src/errors.js';
import { createDispatcher, createScheduler } from '../../src/jobs/index.js';
import { silentLogger } from '../../src/logger.js';
import { recordingPlatform } from '../jobs/support.js';
import type { TestDb } from '../support/db.js';
import { clicked, person, submitted, typed } from '../support/events.js';

/** One string a member would see, and where it was seen. */
export interface Seen {
  readonly text: string;
  readonly from: string;
}

/** Every string the catalogue shows in help and in the platforms' command pickers. */
export function catalogueStrings(): Seen[] {
  const out: Seen[] = [];
  for (const spec of catalogue) {
    const where = `catalogue ${spec.id}`;
    out.push({ text: spec.summary, from: `${where} summary` });
    if ('who' in spec && spec.who) out.push({ text: spec.who, from: `${where} who` });
    for (const option of spec.options)
      out.push({ text: option.description, from: `${where} option ${option.name}` });
  }
  return out;
}

/** The words of a message as each platform shows them: fallback text, blocks, buttons, choices. */
function messageStrings(message: Message): string[] {
  const out = [message.text];
  for (const block of message.blocks ?? []) {
    if (block.type === 'text' || block.type === 'heading' || block.type === 'context') out.push(block.text);
    if (block.type === 'fields') for (const f of block.fields) out.push(f.label, f.value);
    if (block.type === 'buttons') for (const b of block.buttons) out.push(b.label);
    if (block.type === 'select') {
      out.push(block.placeholder);
      for (const o of block.options) out.push(o.label, ...(o.description ? [o.description] : []));
    }
  }
  for (const file of message.files ?? []) if (file.title) out.push(file.title);
  return out;
}

function formStrings(form: Form): string[] {
  const out = [form.title, form.submitLabel];
  for (const field of form.fields) {
    out.push(field.label, ...(field.hint ? [field.hint] : []));
    if (field.kind === 'select' || field.kind === 'checkboxes')
      out.push(...field.options.map((o) => o.label));
  }
  return out;
}

const ann = person('Ann');
const sam = person('Sam', { timezone: 'Europe/London' });
const bob = person('Bob');
const kit = person('Kit');
const zed = person('Zed'); // never joins: what a stranger to the group is told

/**
 * The real core on a real database with a recording terminal platform, driven through the flows
 * a group goes through: setup, a newcomer's welcome, every command (as its example, with nothing
 * after it, and by someone not allowed to run it), polls, meetings, involvement, buddies, and two
 * weeks of scheduled jobs. Everything copro answered, opened or delivered is collected.
 */
export async function memberStrings(db: TestDb): Promise<Seen[]> {
  const clock = fixedClock('2026-11-23T10:00:00Z');
  const platform = Object.assign(recordingPlatform(clock as Clock, 'console'), {
    isChannelMember: async () => true,
  });
  const logger = silentLogger();
  const deps: AppDeps = {
    db: db.db,
    clock,
    logger,
    platforms: { console: platform },
    encryptionKey: Buffer.alloc(32, 3),
    voterSecret: Buffer.alloc(32, 7),
  };
  let app = createApp(deps);
  const dispatcher = createDispatcher({ db: db.db, clock, logger, platforms: deps.platforms });
  const scheduler = createScheduler({ db: db.db, clock, logger, handlers: app.jobs, sweeps: app.sweeps });

  const seen: Seen[] = [];
  const note = (from: string, texts: readonly string[]) => {
    for (const text of texts) seen.push({ text, from });
  };
  const forms: { form: Form; by: Actor; from: string }[] = [];
  const messages: { message: Message; by: Actor }[] = [];
  const record = (
    by: Actor,
    from: string,
    said: readonly { message: Message }[],
    opened: readonly Form[] = [],
  ) => {
    for (const s of said) {
      note(from, messageStrings(s.message));
      messages.push({ message: s.message, by });
    }
    for (const form of opened) {
      note(`${from} (form)`, formStrings(form));
      forms.push({ form, by, from });
    }
  };

  async function say(actor: Actor, text: string, channelId = 'general') {
    const { event, said, forms: opened } = typed(actor, text, channelId);
    await app.handle(event);
    record(actor, `/copro ${text}`.trim(), said, opened);
    return { said, forms: opened };
  }
  async function press(actor: Actor, actionId: string, value: string, label: string) {
    const { event, said, forms: opened } = clicked(actor, actionId, value);
    await app.handle(event);
    record(actor, `button "${label}"`, said, opened);
    return { said, forms: opened };
  }
  async function submit(actor: Actor, form: Form, values: FormValues, from: string) {
    const { event, said } = submitted(actor, form.id, values, form.state);
    const outcome = await app.handle(event);
    record(actor, `form "${form.title}" ${from}`, said);
    note(`form "${form.title}" errors`, Object.values(outcome?.formErrors ?? {}));
  }
  /** Open the bot's home, as Slack's App Home does. */
  async function home(actor: Actor) {
    const shown: { message: Message }[] = [];
    await app.handle({
      kind: 'homeOpened',
      id: randomUUID(),
      actor,
      show: async (message) => {
        shown.push({ message });
      },
    });
    record(actor, 'home', shown);
  }
  async function joins(actor: Actor, channelId = 'general') {
    await app.handle({ kind: 'memberJoined', id: randomUUID(), actor, channelId });
  }
  /** Press one button with this label on the newest message to someone that has it. */
  async function pressLabel(actor: Actor, label: string) {
    const dms = await outboxTo(actor.userId);
    for (const message of [
      ...messages.filter((m) => m.by === actor).map((m) => m.message),
      ...dms,
    ].reverse()) {
      const button = (message.blocks ?? [])
        .flatMap((b) => (b.type === 'buttons' ? b.buttons : []))
        .find((b) => b.label === label);
      if (button) return press(actor, button.actionId, button.value, label);
    }
    throw new Error(`no "${label}" button for ${actor.displayName}`);
  }
  async function outboxTo(userId: string): Promise<Message[]> {
    const rows = await db.db.select().from(schema.outbox).orderBy(asc(schema.outbox.id));
    return rows
      .filter((r) => r.recipient.endsWith(`:dm:${userId}`))
      .map((r) => r.message as unknown as Message);
  }
  async function tick() {
    await scheduler.runDue();
    await dispatcher.dispatchDue();
  }

  // A group, and a newcomer's welcome from joining to the hello in the channel.
  await say(zed, '');
  await say(ann, 'setup --name "Leaflet group" --timezone Europe/London');
  await joins(sam);
  await pressLabel(sam, 'Start');
  await pressLabel(sam, 'I have read this');
  for (let i = 0; i < 10; i++) await pressLabel(sam, 'I agree').catch(() => undefined);
  const profile = await pressLabel(sam, 'Fill in my profile');
  const profileForm = profile.forms[0];
  if (profileForm) {
    await submit(sam, profileForm, { name: 'Sam', timezone: 'Narnia/Lantern' }, 'with an unknown timezone');
    await submit(sam, profileForm, { name: 'Sam', timezone: 'EST' }, 'with a fixed offset');
    await submit(
      sam,
      profileForm,
      { name: 'Sam', pronouns: 'she\u0000her', timezone: 'Europe/London' },
      'pasted',
    );
    await submit(
      sam,
      profileForm,
      { name: 'Sam', interests: 'x'.repeat(301), timezone: 'Europe/London' },
      'too long',
    );
    await submit(
      sam,
      profileForm,
      {
        name: 'Sam',
        timezone: 'Europe/London',
        contact: 'chat',
        often: 'weekly',
        interests: 'Writing',
        lived: 'diabetes',
      },
      'filled in',
    );
  }
  const access = await pressLabel(sam, 'Yes, I agree');
  if (access.forms[0])
    await submit(
      sam,
      access.forms[0],
      { needs: ['papers-early', 'captions'], other: 'Mornings are hard', named: ['yes'] },
      'filled in',
    );
  await pressLabel(sam, 'Yes please');
  await pressLabel(sam, 'Yes please');

  // Bob starts and stops; Kit says "Not now".
  await joins(bob);
  await pressLabel(bob, 'Start');
  await joins(kit);
  await pressLabel(kit, 'Not now');

  // Help, brief and full, and for every command.
  await say(sam, '');
  await say(ann, '');
  await say(sam, 'help');
  await say(sam, 'no-such-command');
  for (const path of new Set(catalogue.map((c) => c.path.join(' ')))) await say(sam, `help ${path}`);

  // A poll from start to results.
  await say(sam, 'poll "Which day suits you for the next meeting?" "Monday" "Wednesday" --closes 3d');
  await say(sam, 'poll "Which topics matter most?" "Money" "Time" "Travel" --ranked --anonymous');
  await say(sam, 'poll "Just one?"');
  await dispatcher.dispatchDue();
  for (const post of platform.posts())
    for (const b of (post.message.blocks ?? []).flatMap((x) => (x.type === 'buttons' ? x.buttons : [])))
      for (const voter of [sam, bob]) await press(voter, b.actionId, b.value, b.label);

  // A buddy round for those who asked for one.
  for (const member of [sam, bob, kit]) await say(member, 'buddy opt-in');
  await say(ann, 'match run');

  // A meeting, with its papers and agenda.
  await say(ann, 'meeting new "Leaflet review" "next Tuesday 2pm" --where "Zoom" --length 90m');
  await say(ann, 'meeting new "Too soon" "yesterday"');

  // Things for the examples to act on, so that they reach their real answers, not "no such meeting".
  await say(sam, 'log 2h "Read the draft leaflet" --date "last Friday"');
  await say(sam, 'log expense £8.40 "Bus to the meeting" --kind travel');
  await say(sam, 'feedback "The papers came too late to read"');
  await say(ann, 'meeting new "Budget chat" "next Thursday 11am" --where "Town hall"');
  const [meeting, spare] = await db.db.select().from(schema.meetings).orderBy(asc(schema.meetings.id));
  const [poll] = await db.db.select().from(schema.polls).orderBy(asc(schema.polls.id));
  const records = await db.db
    .select()
    .from(schema.involvementRecords)
    .orderBy(asc(schema.involvementRecords.id));
  const [feedback] = await db.db.select().from(schema.feedbackItems);
  const ids = records.map((r) => String(r.id));
  const real = (id: string, example: string) =>
    example
      .replace(/^\/copro\s*/, '')
      .replace('M7K2', (id === 'meeting.cancel' ? spare : meeting)?.code ?? 'M7K2')
      .replace('P7K2', poll?.code ?? 'P7K2')
      .replace(/\bF3\b/, `F${feedback?.id ?? 3}`)
      .replace(/\b12 14\b/, ids.join(' '))
      .replace(/\b12\b/, ids[0] ?? '12');

  // Every command: as its example, bare, and by someone who may not use it.
  for (const spec of catalogue) {
    const example = real(spec.id, spec.example);
    await say(ann, example);
    await say(sam, example);
    await say(zed, example);
    await say(sam, `${spec.path.join(' ')} ${spec.options.length > 0 ? '--no-such-option' : 'extra'}`);
    if (spec.options.some((o) => 'required' in o && o.required)) await say(sam, spec.path.join(' '));
  }
  note('help on Discord', messageStrings(helpMessage(catalogue, () => true, undefined, 'discord')));
  // What anyone is told when something breaks: rare, and read at the worst moment.
  note('error answers', [
    unexpectedErrorText('K7Q2M'),
    DATABASE_UNAVAILABLE_TEXT,
    DATABASE_KEEPING_TEXT,
    DATABASE_BUSY_KEEPING_TEXT,
  ]);

  // Everyone's home view, and someone leaving the channel.
  for (const actor of [ann, sam, bob, zed]) await home(actor);
  await app.handle({ kind: 'memberLeft', id: randomUUID(), actor: kit, channelId: 'general' });

  // Every other button copro offered, pressed once by someone it was offered to.
  const people = new Map([ann, sam, bob, kit, zed].map((a) => [a.userId, a]));
  const pressed = new Set<string>();
  async function pressEveryButton() {
    for (let round = 0; round < 3; round++) {
      const rows = await db.db.select().from(schema.outbox).orderBy(asc(schema.outbox.id));
      const offered = [
        ...messages,
        ...rows.flatMap((r) => {
          const to = /:dm:(.+)$/.exec(r.recipient)?.[1];
          const by = to ? people.get(to) : sam;
          return by ? [{ message: r.message as unknown as Message, by }] : [];
        }),
      ];
      for (const { message, by } of offered)
        for (const b of (message.blocks ?? []).flatMap((x) => (x.type === 'buttons' ? x.buttons : []))) {
          const key = `${b.actionId}|${b.label}`;
          if (pressed.has(key)) continue;
          pressed.add(key);
          await press(by, b.actionId, b.value, b.label);
        }
    }
  }
  await pressEveryButton();

  // Every form copro opened: sent empty, then as it was offered.
  async function sendEveryForm() {
    for (const { form, by, from } of forms.splice(0)) {
      const empty: Record<string, FormValues[string]> = {};
      const initial: Record<string, FormValues[string]> = {};
      for (const field of form.fields) {
        empty[field.id] = undefined;
        initial[field.id] = field.initial;
      }
      await submit(by, form, empty, `from ${from}, sent empty`);
      await submit(by, form, initial, `from ${from}, sent as offered`);
    }
  }
  await sendEveryForm();

  // Two weeks of scheduled jobs: reminders, poll results, buddy rounds, digests.
  for (let day = 0; day < 15; day++) {
    clock.advance(24 * 60 * 60 * 1000);
    await tick();
  }
  await dispatcher.dispatchDue();
  await pressEveryButton();
  await sendEveryForm();

  // A copro run without its secret keys, in another channel: what its group is told instead.
  app = createApp({ db: db.db, clock, logger, platforms: { console: platform } });
  const ada = person('Ada');
  const bea = person('Bea');
  await say(ada, 'setup --name "Carers group"', 'other');
  await joins(bea, 'other');
  await pressLabel(bea, 'Start');
  await pressLabel(bea, 'I have read this');
  for (let i = 0; i < 10; i++) await pressLabel(bea, 'I agree').catch(() => undefined);
  await say(ada, 'onboarding needs', 'other');
  await say(ada, 'poll "Shall we meet online?" "Yes" "No" --anonymous', 'other');
  await dispatcher.dispatchDue();

  for (const call of platform.calls)
    if (call.message) note(`delivered (${call.op})`, messageStrings(call.message));
  const queued = await db.db.select().from(schema.outbox).orderBy(asc(schema.outbox.id));
  for (const row of queued)
    note(`queued ${row.purpose ?? ''}`.trim(), messageStrings(row.message as unknown as Message));

  // Meeting and poll codes are random ("MCHY" one run, "M5GX" the next): each is written as the
  // catalogue's example code, so that every run scores the same words.
  const meetings = await db.db.select({ code: schema.meetings.code }).from(schema.meetings);
  const polls = await db.db.select({ code: schema.polls.code }).from(schema.polls);
  const codes: [string, string][] = [
    ...meetings.map((r): [string, string] => [r.code, 'M7K2']),
    ...polls.map((r): [string, string] => [r.code, 'P7K2']),
  ];
  return seen.map(({ text, from }) => ({
    text: codes.reduce((t, [code, example]) => t.replace(new RegExp(`\\b${code}\\b`, 'g'), example), text),
    from,
  }));
}
