import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { clicked, person, submitted } from '../support/events.js';
import { pollWorld } from './support.js';

let db: TestDb;
let world: ReturnType<typeof pollWorld>;
const ann = person('Ann');
const bo = person('Bo');
const eve = person('Eve');

beforeAll(async () => {
  db = await openTestDb();
});
afterAll(async () => db.close());
beforeEach(async () => {
  world = pollWorld(db);
  await db.startFrom('a group with Bo', async () => {
    await world.say(ann, 'setup');
    await world.joins(bo);
  });
});

const votes = () => db.db.select().from(schema.pollVotes);
const membership = async (userId: string) => {
  const [row] = await db.db
    .select({ joinedAt: schema.groupMembers.joinedAt, leftAt: schema.groupMembers.leftAt })
    .from(schema.groupMembers)
    .innerJoin(schema.members, eq(schema.members.id, schema.groupMembers.memberId))
    .where(eq(schema.members.userId, userId));
  return row;
};

describe('who may vote', () => {
  it('tells someone in the channel to try again, not that they are no member, when the platform cannot say', async () => {
    const code = await world.openPoll('poll "Which day?" "Monday" "Friday"', ann);
    world.inChannel.add('eve');
    const ask = world.platform.isChannelMember;
    world.platform.isChannelMember = async () => {
      throw new Error('internal_error');
    };
    const answer = await world.vote(eve, code, 0);
    expect(answer).toContain('could not check who is in the group');
    expect(answer).toContain('Please try again in a minute.');
    expect(answer).not.toContain('Only members of');
    expect(await votes()).toHaveLength(0);
    // Once the platform answers again, the same click counts.
    world.platform.isChannelMember = ask;
    expect(await world.vote(eve, code, 0)).not.toContain('could not check');
    expect(await votes()).toHaveLength(1);
    expect(await membership('eve')).toBeDefined();
  });

  it('refuses a click from someone who is not in the group’s channel, records nothing, and does not make them a member', async () => {
    const code = await world.openPoll('poll "Which day?" "Monday" "Friday"', ann);
    const answer = await world.vote(eve, code, 0);
    expect(answer).toContain('Only members of');
    expect(answer).toContain('Nothing was recorded.');
    expect(await votes()).toHaveLength(0);
    expect(await membership('eve')).toBeUndefined();
  });

  it('counts someone the platform says is in the channel, as a member from the group’s start rather than from their click', async () => {
    const code = await world.openPoll('poll "Which day?" "Monday" "Friday"', ann);
    world.inChannel.add('eve');
    world.clock.advance(3_600_000);
    expect(await world.vote(eve, code, 1)).toContain('You voted "Friday"');
    const [group] = await db.db.select().from(schema.groups);
    expect((await membership('eve'))?.joinedAt.getTime()).toBe(group?.createdAt.getTime());
  });

  it('never changes when a member joined, whenever they vote', async () => {
    const joined = (await membership('bo'))?.joinedAt.getTime();
    const code = await world.openPoll('poll "Which day?" "Monday" "Friday" --anonymous', ann);
    world.clock.advance(86_400_000);
    await world.vote(bo, code, 0);
    expect((await membership('bo'))?.joinedAt.getTime()).toBe(joined);
  });

  it('refuses someone who has left the channel', async () => {
    const code = await world.openPoll('poll "Which day?" "Monday" "Friday"', ann);
    await world.app.handle({ kind: 'memberLeft', id: randomUUID(), actor: bo, channelId: 'general' });
    expect(await world.vote(bo, code, 0)).toContain('Only members of');
    expect(await votes()).toHaveLength(0);
  });

  it('refuses a click that is not on the poll’s own message', async () => {
    const code = await world.openPoll('poll "Which day?" "Monday" "Friday"', ann);
    const elsewhere = { platform: 'console' as const, channelId: 'general', messageId: 'm999' };
    const answer = await world.click(bo, 'poll.vote', `${code}:0`, { message: elsewhere });
    expect(answer).toContain(`Please use the buttons on poll ${code} itself`);
    expect(await world.click(bo, 'poll.vote', `${code}:0`)).toContain('Please use the buttons');
    expect(await votes()).toHaveLength(0);
  });

  it('refuses a click on the poll from another workspace, as if the poll did not exist', async () => {
    const code = await world.openPoll('poll "Which day?" "Monday" "Friday"', ann);
    const stranger = person('Bo', { workspaceId: 'elsewhere' });
    expect(await world.vote(stranger, code, 0)).toBe('That poll no longer exists. Nothing was recorded.');
    expect(await votes()).toHaveLength(0);
  });

  it('refuses vote values that are not a whole number naming one of the answers, plainly, recording nothing', async () => {
    const code = await world.openPoll('poll "Which day?" "Monday" "Friday"', ann);
    for (const value of ['', '0x1', '1e0', ' 2', '-1', '2', '01', '1.0']) {
      const answer = await world.vote(bo, code, value);
      expect(answer, `value "${value}"`).toBe('That answer is not part of this poll. Nothing was recorded.');
    }
    expect(await world.click(bo, 'poll.vote', code, { code })).toContain('Nothing was recorded.');
    expect(await world.vote(bo, code, '1:1')).toContain('Nothing was recorded.');
    expect(await votes()).toHaveLength(0);
  });

  it('refuses ranking choices that are not whole numbers naming an option', async () => {
    const code = await world.openPoll('poll "First?" "Sleep" "Pain" --ranked', ann);
    const { outcome } = await world.rank(bo, code, []);
    expect(outcome?.formErrors?.rank1).toBeDefined();
    for (const bad of ['0x1', '1e0', ' 1', '-1']) {
      const { event } = submitted(bo, 'poll.rank', { rank1: bad }, code);
      expect((await world.app.handle(event))?.formErrors?.rank1, bad).toBe('Please pick one of the options.');
    }
    expect(await votes()).toHaveLength(0);
  });

  it('offers "Rank the options" only on ranked polls', async () => {
    const code = await world.openPoll('poll "Which day?" "Monday" "Friday"', ann);
    const { event, forms } = clicked(bo, 'poll.rank', code);
    const said: string[] = [];
    await world.app.handle({
      ...event,
      message: await world.pollMessage(code),
      reply: async (m) => void said.push(m.text),
    });
    expect(forms).toHaveLength(0);
    expect(said.join()).toContain('is not ranked');
  });

  it('posts a poll in the group’s home channel, wherever it was started', async () => {
    await world.say(ann, 'poll "Which day?" "Monday" "Friday"', 'random');
    await world.dispatcher.dispatchDue();
    const polls = world.platform.posts().filter((p) => p.text.startsWith('Poll '));
    expect(polls.map((p) => p.to)).toEqual([{ kind: 'channel', channelId: 'general', workspaceId: 'local' }]);
  });
});

describe('poll reminder buttons', () => {
  it('refuse a group in the button that is not the clicker’s', async () => {
    await world.say(eve, 'setup', 'side');
    const [, side] = await db.db.select().from(schema.groups).orderBy(schema.groups.id);
    const answer = await world.click(bo, 'poll.reminders-off', String(side?.id));
    expect(answer).toContain('copro does not have you as one of its members. Nothing was recorded.');
    expect(await world.click(bo, 'poll.reminders-on', String(side?.id))).toContain('Nothing was recorded.');
    expect(await world.click(bo, 'poll.reminders-off', '1e0')).toContain('copro does not know');
    expect(await db.db.select().from(schema.pollReminderOptOuts)).toHaveLength(0);
  });

  it('name another group as plain text when refusing, however its name is written', async () => {
    await world.say(eve, 'setup --name "[Claim your prize](https://evil.example)"', 'side');
    const [, side] = await db.db.select().from(schema.groups).orderBy(schema.groups.id);
    const answer = await world.click(bo, 'poll.reminders-off', String(side?.id));
    expect(answer).toContain('belongs to \\[Claim your prize\\](https://evil.example)');
  });

  it('work for the clicker’s own group', async () => {
    const [home] = await db.db.select().from(schema.groups);
    expect(await world.click(bo, 'poll.reminders-off', String(home?.id))).toContain(
      'will not get poll reminders',
    );
    expect(await db.db.select().from(schema.pollReminderOptOuts)).toHaveLength(1);
  });
});
