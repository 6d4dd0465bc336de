import { setTimeout as sleep } from 'node:timers/promises';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.js';
import { createApp } from '../../src/app.js';
import { buttonsIn } from '../support/slack-buttons.js';
import { ANN, BO, CY, type Harness, startHarness } from './harness.js';

/**
 * People clicking for the first time while someone else is being looked up: their clicks are
 * handled under the names the clicks carry, and their names put right once Slack has said.
 */
let h: Harness;
const LEARN_EVERY_MS = 1_000;

beforeAll(async () => {
  // Two in hand at once, as on a database server: the second click is handled while the first
  // waits for Slack.
  h = await startHarness({ outbox: true, learnEveryMs: LEARN_EVERY_MS, handledAtOnce: 2, holdReplies: true });
});
afterAll(async () => {
  await h.close();
});

async function namesOf(ids: readonly string[]): Promise<Map<string, string>> {
  const rows = await h.db.db
    .select({ userId: schema.members.userId, name: schema.members.displayName })
    .from(schema.members)
    .where(and(eq(schema.members.platform, 'slack'), inArray(schema.members.userId, [...ids])));
  return new Map(rows.map((r) => [r.userId, r.name]));
}

describe('first clicks at a busy moment', () => {
  it('count every vote at once, answer each voter, and put their names right afterwards', async () => {
    await h.driver.command('setup', { userId: ANN.id });
    await h.driver.command('poll "Which day suits you?" "Monday" "Tuesday"', { userId: ANN.id });
    await h.slack.settled();
    const [posted] = await h.fake.waitFor('chat.postMessage');
    const [monday] = buttonsIn(posted);
    // Slack is slow to say who the first of them is, so the other is not waited for.
    h.fake.failNext('users.info', { delayMs: 600 });
    const clicks = await Promise.all(
      [BO, CY].map((user) =>
        h.driver.click({
          user,
          actionId: monday!.action_id,
          value: monday!.value,
          messageTs: (posted!.answer as { ts: string }).ts,
        }),
      ),
    );
    await h.slack.settled();

    const votes = await h.db.db.select().from(schema.pollVotes);
    expect(votes).toHaveLength(2);
    for (const { responseId } of clicks) {
      const answers = h.fake.callsTo('response_url').filter((c) => c.responseUrlId === responseId);
      expect(answers.map((a) => a.body.text)).toEqual([
        'Thank you. You voted "Monday" on "Which day suits you?". You can change your vote until the poll closes.',
      ]);
    }
    // At least one of them was counted under the name in their click (their handle).
    const before = await namesOf([BO.id, CY.id]);
    expect([...before.values()].filter((name) => name === 'bo' || name === 'cy').length).toBeGreaterThan(0);

    let after = before;
    for (let waited = 0; waited < 5_000; waited += 100) {
      after = await namesOf([BO.id, CY.id]);
      if (after.get(BO.id) === 'Bo Member' && after.get(CY.id) === 'Cy') break;
      await sleep(100);
    }
    expect(Object.fromEntries(after)).toEqual({ [BO.id]: 'Bo Member', [CY.id]: 'Cy' });
  });

  it('never bring back someone copro has forgotten since', async () => {
    expect((await namesOf([ANN.id])).get(ANN.id)).toBe('Ann');
    // As erasing them leaves it: their account gone.
    await h.db.db.delete(schema.members).where(eq(schema.members.userId, ANN.id));
    const app = createApp(h.deps);
    await app.handle({
      kind: 'profileLearned',
      id: 'profile:UANN:1',
      actor: { platform: 'slack', workspaceId: h.fake.teamId, userId: ANN.id, displayName: 'Ann' },
    });
    expect((await namesOf([ANN.id])).size).toBe(0);
  });
});
