import { asc, like } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.js';
import type { Message } from '../../src/chat/index.js';
import { fixedClock } from '../../src/clock.js';
import { buttonsOf, coreWith } from '../onboarding/support.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { clicked, person } from '../support/events.js';

let db: TestDb;
const clock = fixedClock('2026-11-23T10:00:00Z');
const ann = person('Ann');
const others = ['Bob', 'Cat', 'Dev', 'Eve', 'Fay'].map((name) => person(name));
let core: ReturnType<typeof coreWith>;

beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => db.close());
beforeEach(async () => {
  clock.set('2026-11-23T10:00:00Z');
  core = coreWith(db, clock);
  await db.startFrom('a group of six', async () => {
    await core.say(ann, 'setup --name "Leaflet group"');
    for (const p of others) await core.joined(p);
  });
});

async function outboxFor(purpose: string) {
  return db.db
    .select()
    .from(schema.outbox)
    .where(like(schema.outbox.purpose, `${purpose}%`))
    .orderBy(asc(schema.outbox.id));
}

async function everyoneOptsIn() {
  for (const p of [ann, ...others]) {
    const { text } = await core.say(p, 'buddy opt-in');
    expect(text).toContain('you will be paired');
  }
}

/** The sets of people introduced to each other, as sorted user ids. */
async function introduced(): Promise<string[][]> {
  const rows = await outboxFor('match:intro:');
  return rows.map((r) => [...((r.destination as unknown as { userIds: string[] }).userIds ?? [])].sort());
}

describe('peer buddy rounds', () => {
  it('six members opt in; a dry run shows pairs and why, sends nothing; the real run introduces everyone', async () => {
    await everyoneOptsIn();
    const dry = await core.say(ann, 'match run --dry-run');
    expect(dry.text).toContain('Proposed for Leaflet group: 3 pairs (nothing has been sent)');
    expect(dry.text).toContain('waking hours in common');
    expect(dry.text.match(/^• /gm)).toHaveLength(3);
    expect(await outboxFor('match:')).toHaveLength(0);

    const run = await core.say(ann, 'match run');
    expect(run.text).toContain('Round 1 is done: 3 introductions sent.');
    const groups = await introduced();
    expect(groups).toHaveLength(3);
    expect(groups.flat().sort()).toEqual(['ann', 'bob', 'cat', 'dev', 'eve', 'fay']);
    const [intro] = await outboxFor('match:intro:');
    const text = (intro!.message as unknown as Message).text;
    expect(text).toContain('20-minute call');
    expect(text).toContain('/copro buddy pause 4w');
  });

  it('a week later asks each member once whether they met, and history shows the met rate', async () => {
    await everyoneOptsIn();
    await core.say(ann, 'match run');
    await core.scheduler.runDue();
    expect(await outboxFor('match:follow-up:')).toHaveLength(0);
    // Before anyone has been asked, history does not say that nobody met.
    clock.set('2026-11-30T09:55:00Z');
    const early = await core.say(ann, 'match history');
    expect(early.text).toMatch(/Round 1 .*: 3 pairs, not asked yet whether they met\. 0 repeats avoided/);
    expect(early.text).not.toContain('0% met');

    clock.set('2026-11-30T10:05:00Z');
    await core.scheduler.runDue();
    await core.scheduler.runDue();
    const asks = await core.dms('bob');
    const ask = asks.find((m) => m.text.includes('Did you get a chance to meet'));
    expect(buttonsOf(ask).map((b) => b.label)).toEqual(['We met', 'Not yet', "Couldn't this time"]);
    expect(await outboxFor('match:follow-up:')).toHaveLength(6);

    const answered = await core.press(others[0]!, ask, 'We met');
    expect(answered.message?.text).toContain('Thank you');
    const history = await core.say(ann, 'match history');
    expect(history.text).toMatch(
      /Round 1 .*: 3 pairs, 33% met\. 0 repeats avoided, 0 repeated, 0 not paired\./,
    );
    const digest = await core.say(ann, 'digest preview');
    expect(digest.text).toContain('Peer buddies');
    expect(digest.text).toContain('So far 1 of 3 pairs have met (33%).');
    expect(digest.text).not.toContain('<@cat>');
  });

  it.each(['99999999999:met', '1.5:met', 'x:met'])(
    'answers a follow-up button naming no round (%j) plainly, and records nothing',
    async (value) => {
      const { event, said } = clicked(others[0]!, 'match.met', value);
      await core.app.handle(event);
      expect(said.map((s) => s.message.text)).toEqual([
        'That question is not for you, so nothing was recorded.',
      ]);
      expect(await core.deps.db.select().from(schema.matchFollowUps)).toEqual([]);
    },
  );

  it('a second round repeats no pair from the first, and history counts the repeats it avoided', async () => {
    await everyoneOptsIn();
    await core.say(ann, 'match run');
    const first = new Set((await introduced()).map((g) => g.join('+')));
    clock.set('2026-12-07T10:00:00Z');
    await core.say(ann, 'match run');
    const all = await introduced();
    const second = all.slice(3);
    expect(second).toHaveLength(3);
    for (const g of second) expect(first.has(g.join('+'))).toBe(false);
    // Nobody's timezone or interests changed, so a round blind to the first would pair the same.
    const history = await core.say(ann, 'match history');
    expect(history.text).toMatch(
      /Round 2 .*: 3 pairs, not asked yet whether they met\. 3 repeats avoided, 0 repeated, 0 not paired\./,
    );
    // Round 1's week is up, but its question waits for the scheduler: still not asked.
    expect(history.text).toMatch(/Round 1 .*: 3 pairs, not asked yet whether they met\. 0 repeats avoided/);
    await core.scheduler.runDue();
    expect((await core.say(ann, 'match history')).text).toMatch(
      /Round 1 .*: 3 pairs, 0% met\. 0 repeats avoided/,
    );
    expect(history.text).toContain('Repeats avoided: pairs who met in one of the last 6 rounds');
  });

  it('runs a round in groups of 3, and each introduction speaks to the group', async () => {
    await everyoneOptsIn();
    const dry = await core.say(ann, 'match run --dry-run --size 3');
    expect(dry.text).toContain('Proposed for Leaflet group: 2 groups of 3 (nothing has been sent)');
    expect(dry.text).toContain('type /copro match run --size 3.');
    // Everyone's hours and interests are alike, so each group is said in one line.
    expect(dry.text).toMatch(/^• <@\w+>, <@\w+> and <@\w+>: each pair has 13 waking hours in common$/m);
    const run = await core.say(ann, 'match run --size 3');
    expect(run.text).toContain('Round 1 is done: 2 introductions sent.');
    const groups = await introduced();
    expect(groups.map((g) => g.length)).toEqual([3, 3]);
    const [intro] = await outboxFor('match:intro:');
    expect((intro!.message as unknown as Message).text).toContain('at a time that suits you all');
    const history = await core.say(ann, 'match history');
    expect(history.text).toMatch(/Round 1 .*: 2 groups of 3, not asked yet/);
    expect((await core.say(ann, 'digest preview')).text).toContain('Round 1 introduced 2 groups');
  });

  it('asks a group of 3 about their group a week later, though one of them has since been forgotten', async () => {
    await everyoneOptsIn();
    await core.say(ann, 'match run --size 3');
    const [bob] = others;
    const asked = await core.say(bob!, 'forget-me');
    await core.press(bob!, asked.said.at(-1)?.message, 'Yes, delete my data');
    clock.set('2026-11-30T10:05:00Z');
    await core.scheduler.runDue();
    await core.scheduler.runDue();
    const asks = (await outboxFor('match:follow-up:')).map((row) => JSON.stringify(row.message));
    expect(asks).toHaveLength(5);
    for (const ask of asks)
      expect(ask).toContain('Did you get a chance to meet your peer buddy group this week?');
  });

  it('a round of pairs with an odd number of people counts its group of 3 as a group, not a pair', async () => {
    for (const p of [ann, ...others.slice(0, 4)]) await core.say(p, 'buddy opt-in');
    expect((await core.say(ann, 'match run --dry-run')).text).toContain(
      'Proposed for Leaflet group: 1 pair and 1 group of 3 (nothing has been sent)',
    );
    await core.say(ann, 'match run');
    expect((await introduced()).map((g) => g.length).sort()).toEqual([2, 3]);
    const history = await core.say(ann, 'match history');
    expect(history.text).toMatch(/Round 1 .*: 1 pair and 1 group of 3, not asked yet/);
    expect((await core.say(ann, 'digest preview')).text).toContain(
      'Round 1 introduced 1 pair and 1 group of 3',
    );
  });

  it('pairs are told "you both"', async () => {
    await everyoneOptsIn();
    await core.say(ann, 'match run');
    const [intro] = await outboxFor('match:intro:');
    expect((intro!.message as unknown as Message).text).toContain('at a time that suits you both');
  });

  it('a coordinator can undo a pin and a forbid, and is told plainly when there was none', async () => {
    await everyoneOptsIn();
    const pinned = await core.say(ann, 'match pin @bob @cat');
    expect(pinned.text).toContain('To undo this, type /copro match unpin');
    expect((await core.say(ann, 'match unforbid @bob @cat')).text).toContain(
      'were not kept apart by a coordinator, so nothing changed',
    );
    expect((await core.say(ann, 'match unpin @cat @bob')).text).toContain('are no longer pinned');
    expect((await core.say(ann, 'match unpin @cat @bob')).text).toContain(
      'were not pinned, so nothing changed',
    );

    await core.say(ann, 'match forbid @bob @cat');
    expect((await core.say(ann, 'match unpin @bob @cat')).text).toContain('were not pinned');
    expect((await core.say(ann, 'match unforbid @bob @cat')).text).toContain('may be paired again');
    expect(await db.db.select().from(schema.matchRules)).toEqual([]);
    expect((await core.say(ann, 'match unforbid @bob @bob')).text).toContain('two different people');
    expect((await core.say(others[0]!, 'match unpin @bob @cat')).text).toMatch(/coordinator/i);
  });

  it('never pairs someone with a person they asked to avoid, and the dry run does not reveal it', async () => {
    await everyoneOptsIn();
    // With an odd count everyone else could meet Bob; the avoid list rules out only Cat.
    await core.say(others[4]!, 'buddy opt-out');
    const avoided = await core.say(others[1]!, 'buddy avoid @bob');
    expect(avoided.text).toContain('This stays private');
    for (let round = 0; round < 4; round++) {
      clock.set(`2026-12-0${round + 1}T10:00:00Z`);
      const dry = await core.say(ann, 'match run --dry-run');
      expect(dry.text).not.toMatch(/avoid/i);
      await core.say(ann, 'match run');
    }
    for (const g of await introduced()) expect(g.includes('bob') && g.includes('cat')).toBe(false);
  });

  it('leaves out a paused member until the pause ends, then includes them again by themselves', async () => {
    await everyoneOptsIn();
    const paused = await core.say(others[0]!, 'buddy pause 2w');
    expect(paused.text).toContain('Paused until');
    await core.say(ann, 'match run');
    expect((await introduced()).flat()).not.toContain('bob');
    const unmatched = await core.dms('bob');
    expect(unmatched.some((m) => m.text.includes('not paired'))).toBe(false);

    clock.set('2026-12-08T10:00:00Z');
    await core.say(ann, 'match run');
    expect((await introduced()).slice(-3).flat()).toContain('bob');
  });

  it('tells an odd one out kindly, privately, that nothing they did caused it', async () => {
    await everyoneOptsIn();
    await core.say(others[4]!, 'buddy opt-out');
    await core.say(others[0]!, 'buddy avoid @cat');
    await core.say(others[0]!, 'buddy avoid @dev');
    await core.say(others[0]!, 'buddy avoid @eve');
    await core.say(others[0]!, 'buddy avoid @ann');
    await core.say(ann, 'match run');
    const [word] = (await core.dms('bob')).filter((m) => m.text.includes('nothing you did'));
    expect(word?.text).toContain('You will be included in the next round');
  });

  it('answers members and coordinators plainly when they get something wrong, and changes nothing', async () => {
    const notCoordinator = await core.say(others[0]!, 'match run');
    expect(notCoordinator.said[0]?.private).toBe(true);
    expect(notCoordinator.text).toMatch(/coordinator/i);
    const self = await core.say(others[0]!, 'buddy avoid @bob');
    expect(self.text).toContain('never paired with yourself');
    // A name that is nobody in the group is most likely a slip: the answer says whom, to check.
    const slip = await core.say(others[0]!, 'buddy avoid @bbo');
    expect(slip.text).toContain('Noted, but <@bbo> is not in Leaflet group at the moment: check the name');
    const known = await core.say(others[0]!, 'buddy avoid @cat');
    expect(known.text).toBe(
      'Noted. You will never be paired with that person. This stays private: nobody is told, coordinators included.',
    );
    const forbid = await core.say(ann, 'match forbid @bbo @cat');
    expect(forbid.text).toContain('<@bbo> is not in Leaflet group at the moment: check the name');
    expect(forbid.text).not.toContain('<@cat> is not');
    const capacity = await core.say(others[0]!, 'buddy capacity 40');
    expect(capacity.text).toContain('from 0 to 10');
    const empty = await core.say(ann, 'match run');
    expect(empty.text).toContain('at least two members');
    expect(await outboxFor('match:')).toHaveLength(0);
  });

  it('says plainly when the members taking part are enough but the rules allow no pair, naming no one’s choice', async () => {
    for (const p of [ann, others[0]!, others[1]!]) await core.say(p, 'buddy opt-in');
    await core.say(others[0]!, 'buddy avoid @cat');
    await core.say(ann, 'match forbid @ann @bob');
    await core.say(ann, 'match forbid @ann @cat');
    for (const line of ['match run --dry-run', 'match run']) {
      const { text } = await core.say(ann, line);
      expect(text).toContain('No pair could be made from the 3 members taking part, with the current rules');
      expect(text).toContain("members' private choices of who not to be paired with");
      expect(text).not.toContain('at least two');
      expect(text).not.toMatch(/<@(bob|cat)>|avoid/i);
    }
    expect(await outboxFor('match:')).toHaveLength(0);
  });

  it('a pause is given in weeks or days: no time at all, minutes or over a year are refused plainly', async () => {
    await everyoneOptsIn();
    const bob = others[0]!;
    for (const typed of ['0w', '0d', '0']) {
      const { text } = await core.say(bob, `buddy pause ${typed}`);
      expect(text).toContain('A pause needs to be at least a day.');
      expect(text).toContain('/copro buddy pause 4w');
      expect(text).not.toMatch(/45m|2h/);
    }
    expect((await core.say(bob, 'buddy pause 45m')).text).toContain('at least a day');
    const long = await core.say(bob, 'buddy pause 53w');
    expect(long.text).toContain('A pause can be at most 52 weeks (a year).');
    expect(long.text).toContain('/copro buddy opt-out');
    const soon = await core.say(bob, 'buddy pause soon');
    expect(soon.text).toContain('"soon" is not a length of time. Give it in weeks or days');
    expect((await core.say(bob, 'buddy status')).text).toContain('You take part in peer rounds.');
    expect((await core.say(bob, 'buddy pause 52w')).text).toContain('Paused until');
  });

  it('a member who opted out is told there is nothing to pause, not that they will come back', async () => {
    await everyoneOptsIn();
    const bob = others[0]!;
    await core.say(bob, 'buddy opt-out');
    const { text } = await core.say(bob, 'buddy pause 4w');
    expect(text).toBe(
      'You are not taking part in peer rounds, so there is nothing to pause. To join in, type /copro buddy opt-in.',
    );
    expect((await core.say(bob, 'buddy status')).text).toContain('You are not taking part in peer rounds.');
  });

  it('status shows a member their settings, the last round and who they were put with', async () => {
    await everyoneOptsIn();
    await core.say(ann, 'match run');
    const status = await core.say(others[0]!, 'buddy status');
    expect(status.text).toContain('You take part in peer rounds.');
    expect(status.text).toContain('The last round was on');
    const [pair] = (await introduced()).filter((ids) => ids.includes(others[0]!.userId));
    const partner = pair!.find((id) => id !== others[0]!.userId);
    expect(status.text).toContain(`In it you were put together with <@${partner}>.`);
    await core.say(others[0]!, 'buddy capacity 0');
    expect((await core.say(others[0]!, 'buddy status')).text).toContain(
      'As a buddy you are not given new newcomers to look after.',
    );
    await core.say(others[0]!, 'buddy capacity 1');
    expect((await core.say(others[0]!, 'buddy status')).text).toContain(
      'As a buddy you look after up to 1 newcomer at a time.',
    );
  });
});
