import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.js';
import { createApp } from '../../src/app.js';
import type { Actor, Button, Message } from '../../src/chat/index.js';
import { fixedClock } from '../../src/clock.js';
import { silentLogger } from '../../src/logger.js';
import { recordingPlatform, rejected } from '../jobs/support.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { clicked, person, typed } from '../support/events.js';

let db: TestDb;
const clock = fixedClock('2026-11-21T10:00:00Z');
let platform: ReturnType<typeof recordingPlatform>;
let app: ReturnType<typeof createApp>;
const ann = person('Ann');
const sam = person('Sam');
const bo = person('Bo');

async function run(actor: Actor, text: string) {
  const { event, said } = typed(actor, text);
  await app.handle(event);
  expect(said).toHaveLength(1);
  return said[0]!.message;
}

async function click(actor: Actor, button: Button) {
  const { event, said } = clicked(actor, button.actionId, button.value);
  await app.handle(event);
  return said;
}

const buttons = (message: Message | undefined): Button[] =>
  (message?.blocks ?? []).flatMap((b) => (b.type === 'buttons' ? b.buttons : []));
/** The show and hide buttons (a profile also holds buttons for its other answers). */
const roleButtons = (message: Message | undefined) =>
  buttons(message).filter((b) => b.actionId === 'role.visibility');
const everything = (message: Message) =>
  [message.text, ...(message.blocks ?? []).map((b) => JSON.stringify(b))].join('\n');
/** What a /copro roles answer says about one role: its line of text and its block. */
const aboutRole = (message: Message, name: string) =>
  [
    ...message.text.split('\n').filter((l) => l.startsWith(`${name}:`)),
    ...(message.blocks ?? []).flatMap((b) =>
      b.type === 'text' && b.text.startsWith(`**${name}**`) ? [b.text] : [],
    ),
  ].join('\n');

beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => db.close());
beforeEach(async () => {
  await db.reset();
  platform = recordingPlatform(clock, 'console');
  app = createApp({ db: db.db, clock, logger: silentLogger(), platforms: { console: platform } });
  await run(ann, 'setup --name "Leaflet group"');
  await run(bo, 'roles');
  await run(sam, 'roles');
});

describe('who can see the holder of a sensitive role in /copro roles', () => {
  beforeEach(async () => {
    await run(ann, 'role add @sam carer');
    await run(ann, 'role add @bo researcher');
  });

  it('does not show a member who holds expert by experience or carer privately', async () => {
    const seen = await run(bo, 'roles');
    expect(seen.text).toContain('carer: nobody who has chosen to show it.');
    expect(aboutRole(seen, 'carer')).not.toContain('<@sam>');
    expect(aboutRole(seen, 'carer')).toContain(
      'Only coordinators and the person with the role can see who has it',
    );
    expect(seen.text).toContain('researcher: <@bo>.');
  });

  it('reads the same to a member whether or not anyone holds the role privately', async () => {
    const withHolder = await run(bo, 'roles');
    await run(ann, 'role remove @sam carer');
    const withoutHolder = await run(bo, 'roles');
    expect(withoutHolder.text).toBe(withHolder.text);
  });

  it('shows coordinators every holder, marking the private ones', async () => {
    const seen = await run(ann, 'roles');
    expect(seen.text).toContain('carer: <@sam> (private).');
  });

  it('shows holders their own private role, saying who else can see it', async () => {
    const seen = await run(sam, 'roles');
    expect(seen.text).toContain('carer: you (only you and coordinators can see this).');
  });

  it('shows the holder to everyone once the holder chooses to show it', async () => {
    const profile = await run(sam, 'profile');
    const show = roleButtons(profile).find((b) => b.label.startsWith('Show'));
    expect(show?.label).toBe('Show the group I am a carer');
    const said = await click(sam, show!);
    expect(said[0]?.message.text).toContain(
      'Done: everyone in Leaflet group can now see that you are a carer.',
    );
    expect((await run(bo, 'roles')).text).toContain('carer: <@sam>.');

    const hide = roleButtons(said[0]?.message).find((b) => b.label.startsWith('Hide'));
    await click(sam, hide!);
    expect(aboutRole(await run(bo, 'roles'), 'carer')).not.toContain('<@sam>');
  });

  it('lets nobody but the holder show it, and changes nothing when someone else tries', async () => {
    const show = roleButtons(await run(sam, 'profile')).find((b) => b.label.startsWith('Show'))!;
    for (const who of [bo, ann]) {
      const said = await click(who, show);
      expect(said[0]?.message.text).toContain('That choice belongs to the person who holds the role');
    }
    const forged = await click(bo, { ...show, value: show.value.replace('carer', 'researcher') });
    expect(forged[0]?.message.text).toContain('That choice belongs to the person who holds the role');
    const [row] = await db.db
      .select()
      .from(schema.roleAssignments)
      .where(eq(schema.roleAssignments.roleKey, 'carer'));
    expect(row?.shownToGroup).toBe(false);
    expect(aboutRole(await run(bo, 'roles'), 'carer')).not.toContain('<@sam>');
  });
});

describe('being given a sensitive role', () => {
  it('tells the holder privately, with a button to show it to the group', async () => {
    const answer = await run(ann, 'role add @sam expert by experience');
    expect(answer.text).toContain('Done: <@sam> is now an expert by experience. This role is private');
    expect(answer.text).toContain('copro has told them privately');
    const dms = platform.posts();
    expect(dms).toHaveLength(1);
    expect(dms[0]?.to).toMatchObject({ kind: 'dm', userId: 'sam' });
    expect(dms[0]?.text).toContain('<@ann> gave you the role expert by experience in Leaflet group');
    expect(dms[0]?.text).toContain('Only coordinators and you can see that you are an expert by experience');
    const show = buttons(dms[0]?.message)[0]!;
    expect(show.label).toBe('Show the group I am an expert by experience');
    await click(sam, show);
    expect((await run(bo, 'roles')).text).toContain('expert by experience: <@sam>.');
  });

  it('tells the coordinator when the holder does not accept private messages', async () => {
    platform.failNext(rejected());
    const answer = await run(ann, 'role add @sam carer');
    expect(answer.text).toContain('could not send them a private message');
    expect(answer.text).toContain('/copro profile');
  });

  it('sends no private message for a role that is not sensitive', async () => {
    await run(ann, 'role add @sam researcher');
    expect(platform.posts()).toHaveLength(0);
  });
});

describe('making a role private that people already hold', () => {
  it('tells each holder privately, with a button to show it to the group', async () => {
    await run(ann, 'role add @sam researcher');
    await run(ann, 'role add @bo researcher');
    const answer = await run(ann, 'role define researcher "Plans the research with us" --sensitive');
    expect(answer.text).toContain(
      'copro has told the 2 people who hold it privately, and offered them the choice.',
    );
    const notes = (await db.db.select().from(schema.outbox)).filter((r) => r.recipient.includes(':dm:'));
    expect(notes.map((n) => n.recipient.split(':dm:')[1]).sort()).toEqual(['bo', 'sam']);
    const note = notes.find((n) => n.recipient.endsWith(':dm:sam'))?.message as unknown as Message;
    expect(note.text).toContain('<@ann> made the role researcher in Leaflet group private.');
    expect(aboutRole(await run(bo, 'roles'), 'researcher')).not.toContain('<@sam>');
    await click(sam, roleButtons(note)[0]!);
    expect(aboutRole(await run(bo, 'roles'), 'researcher')).toContain('<@sam>');
  });

  it('tells nobody when a role was private already', async () => {
    await run(ann, 'role add @sam carer');
    const before = (await db.db.select().from(schema.outbox)).length;
    const answer = await run(ann, 'role define carer "Cares for someone" --sensitive');
    expect(answer.text).not.toContain('copro has told');
    expect(await db.db.select().from(schema.outbox)).toHaveLength(before);
  });
});

describe('/copro profile', () => {
  it('lists your roles and offers a choice only for the private ones', async () => {
    await run(ann, 'role add @sam researcher');
    await run(ann, 'role add @sam carer');
    const profile = await run(sam, 'profile');
    expect(profile.text).toContain('Your roles in Leaflet group: member, carer and researcher.');
    expect(everything(profile)).toContain('**carer**: private.');
    expect(roleButtons(profile).map((b) => b.label)).toEqual(['Show the group I am a carer']);
  });

  it('says plainly that you hold no private role', async () => {
    const profile = await run(bo, 'profile');
    expect(profile.text).toContain('Your roles in Leaflet group: member.');
    expect(roleButtons(profile)).toEqual([]);
  });
});

describe('defining a sensitive role', () => {
  it('makes a new role private with --sensitive, and keeps it private when reworded', async () => {
    const made = await run(ann, 'role define "recovering" "Shares experience of recovery" --sensitive');
    expect(made.text).toContain('New role "recovering"');
    expect(made.text).toContain('This role is private');
    await run(ann, 'role add @sam recovering');
    await run(ann, 'role define recovering "Shares what recovery was like"');
    const seen = await run(bo, 'roles');
    expect(seen.text).toContain('recovering: nobody who has chosen to show it.');
  });

  it('makes an existing role private, hiding the people who already hold it', async () => {
    await run(ann, 'role add @sam clinician');
    await run(ann, 'role define clinician "Gives care, as a nurse or doctor" --sensitive');
    const seen = aboutRole(await run(bo, 'roles'), 'clinician');
    expect(seen).toContain('nobody who has chosen to show it');
    expect(seen).not.toContain('<@sam>');
  });

  it('refuses to make the coordinator or member role private, and changes nothing', async () => {
    const coordinator = await run(ann, 'role define coordinator "Runs the group" --sensitive');
    expect(coordinator.text).toContain('The coordinator role cannot be private');
    const member = await run(ann, 'role define member "Takes part" --sensitive');
    expect(member.text).toContain('member role, so it cannot be private');
    const rows = await db.db.select().from(schema.roles).where(eq(schema.roles.sensitive, true));
    expect(rows.map((r) => r.key).sort()).toEqual(['carer', 'expert-by-experience']);
  });
});
