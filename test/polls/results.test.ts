import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../support/db.js';
import { person } from '../support/events.js';
import { pollWorld } from './support.js';

let db: TestDb;
let world: ReturnType<typeof pollWorld>;
const ann = person('Ann');
const [bo, cy, di, ed, fay, gus] = ['Bo', 'Cy', 'Di', 'Ed', 'Fay', 'Gus'].map((n) => person(n)) as [
  ReturnType<typeof person>,
  ...ReturnType<typeof person>[],
];

beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => db.close());
beforeEach(async () => {
  world = pollWorld(db);
  await db.startFrom('a group of seven', async () => {
    await world.say(ann, 'setup');
    for (const who of [bo, cy, di, ed, fay, gus]) await world.joins(who!);
  });
});

async function give(role: string, ...people: ReturnType<typeof person>[]) {
  for (const who of people) await world.say(ann, `role add @${who.userId} ${role}`);
}

describe('ties in poll results', () => {
  it('says "Monday and Friday tied with 1 vote each" for a 1-1 tie, never "Most chosen: Monday"', async () => {
    const code = await world.openPoll('poll "Which day?" "Monday" "Friday"', ann);
    await world.vote(bo!, code, 0);
    await world.vote(cy!, code, 1);
    const results = await world.close(code, ann);
    expect(results).toContain('Monday and Friday tied with 1 vote each.');
    expect(results).not.toContain('Most chosen');
  });

  it('names every option in a three-way tie on a multiple-choice poll', async () => {
    const code = await world.openPoll('poll "Formats?" "Print" "Audio" "Easy read" --multi', ann);
    for (const option of [0, 1, 2]) await world.vote(bo!, code, option);
    const results = await world.close(code, ann);
    expect(results).toContain('Print, Audio and Easy read tied with 1 vote each.');
  });

  it('still names a single winner when one option has the most votes', async () => {
    const code = await world.openPoll('poll "Which day?" "Monday" "Friday"', ann);
    await world.vote(bo!, code, 1);
    await world.vote(cy!, code, 1);
    await world.vote(di!, code, 0);
    expect(await world.close(code, ann)).toContain('Most chosen: Friday (2 votes).');
  });

  it('announces a ranked poll level on points and on first choices as a tie, sharing first place', async () => {
    const code = await world.openPoll('poll "First?" "Fatigue" "Sleep" --ranked', ann);
    await world.rank(bo!, code, [0, 1]);
    await world.rank(cy!, code, [1, 0]);
    const results = await world.close(code, ann);
    expect(results).toContain(
      'Fatigue and Sleep tied for top priority, with 1 point and 1 person putting each first.',
    );
    expect(results).not.toContain('Top priority:');
    expect(results).toContain('1. Fatigue: 1 point (first choice of 1 person), tied');
    expect(results).toContain('1. Sleep: 1 point (first choice of 1 person), tied');
  });

  it('breaks a tie on points by first choices, the tie-break README documents, and says so', async () => {
    const code = await world.openPoll('poll "First?" "Fatigue" "Sleep" "Pain" --ranked', ann);
    await world.rank(bo!, code, [0, 1]);
    await world.rank(cy!, code, [0, 1]);
    await world.rank(di!, code, [1]);
    const results = await world.close(code, ann);
    // Fatigue 2+2 = 4 points, Sleep 1+1+2 = 4 points; Fatigue is first for two people, Sleep for one.
    expect(results).toContain(
      'Top priority: Fatigue. It tied on points with Sleep, and more people put it first.',
    );
    expect(results).toContain('1. Fatigue: 4 points (first choice of 2 people)\n2. Sleep: 4 points');
  });
});

describe('breakdowns by role', () => {
  it('counts a role with fewer than 3 voters only in the total, in a poll that is not anonymous', async () => {
    await give('researcher', bo!, cy!, di!);
    await give('carer', ed!, fay!);
    await give('expert by experience', ed!, fay!, gus!);
    const code = await world.openPoll('poll "Which day?" "Monday" "Friday"', ann);
    for (const who of [bo, cy, di]) await world.vote(who!, code, 0);
    for (const who of [ed, fay, gus]) await world.vote(who!, code, 1);
    const results = await world.close(code, ann);
    expect(results).toContain('How each role voted');
    expect(results).toContain('- researcher (3 people): Monday (3)');
    expect(results).toContain('- expert by experience (3 people): Friday (3)');
    expect(results).not.toContain('carer');
    expect(results).toContain('Roles with fewer than 3 voters are counted only in the total');
  });

  it('leaves the breakdown out when the total minus the roles shown would give one person’s vote away', async () => {
    await give('researcher', bo!, cy!, di!);
    await give('carer', ed!);
    const code = await world.openPoll('poll "Which day?" "Monday" "Friday"', ann);
    for (const who of [bo, cy, di]) await world.vote(who!, code, 0);
    await world.vote(ed!, code, 1);
    const results = await world.close(code, ann);
    expect(results).toContain('Monday: 3 votes');
    expect(results).not.toContain('How each role voted');
    expect(results).not.toContain('carer (1 person)');
  });

  it('shares places in a role’s ranking when its options are level', async () => {
    await give('researcher', bo!, cy!, di!);
    const code = await world.openPoll('poll "First?" "Fatigue" "Sleep" "Pain" --ranked', ann);
    await world.rank(bo!, code, [0, 1, 2]);
    await world.rank(cy!, code, [1, 0, 2]);
    await world.rank(di!, code, [2]);
    const results = await world.close(code, ann);
    // Fatigue 2+1 = 3, Sleep 1+2 = 3, one first choice each; Pain 2 points.
    expect(results).toContain('- researcher (3 people): 1. Fatigue, 1. Sleep, 3. Pain');
  });
});
