import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { unlimited } from '../../src/jobs/index.js';
import { eventually } from '../support/fake-discord-driver.js';
import { ANN, BO, CY, type Harness, startHarness } from './harness.js';

/**
 * A buddy round on Discord, the whole way: members opt in with /copro, a coordinator runs the
 * round, and each person introduced gets the introduction in their direct messages (a bot cannot
 * open a group DM on Discord), through the real discord.js client, the core, the outbox and the
 * dispatcher, with only Discord faked.
 */
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ limits: unlimited });
});
beforeEach(async () => {
  await h.reset();
  const setup = h.fake.command(ANN, ['setup']);
  await eventually(() => h.fake.visible(setup).length > 0, 'setup');
  for (const person of [BO, CY]) h.fake.memberJoins(person);
  await h.discord.settled();
});
afterAll(async () => {
  await h.close();
});

type Who = typeof ANN;

async function say(who: Who, path: string[], options: Record<string, string | boolean> = {}) {
  const record = h.fake.command(who, path, options);
  const [answer] = await eventually(
    () => h.fake.visible(record).length > 0 && h.fake.visible(record),
    `an answer to ${path.join(' ')}`,
  );
  await h.discord.settled();
  return answer!.content;
}

async function introductionsTo(who: Who): Promise<string[]> {
  await h.dispatcher.dispatchDue();
  return h.fake
    .dmsTo(who.user.id)
    .map((m) => m.content)
    .filter((text) => text.includes('peer buddies puts you together'));
}

describe('a buddy round on Discord', () => {
  it('two members opt in, the coordinator runs the round, and each gets the introduction once', async () => {
    expect(await say(BO, ['buddy', 'opt-in'])).toContain('you will be paired');
    expect(await say(CY, ['buddy', 'opt-in'])).toContain('you will be paired');
    expect(await say(ANN, ['match', 'run'])).toContain('Round 1 is done: 1 introduction sent.');

    for (const who of [BO, CY]) {
      const intros = await introductionsTo(who);
      expect(intros).toHaveLength(1);
      expect(intros[0]).toContain(`<@${BO.user.id}>`);
      expect(intros[0]).toContain(`<@${CY.user.id}>`);
      expect(intros[0]).toContain('at a time that suits you both');
    }
    expect(await introductionsTo(ANN)).toEqual([]);
  });

  it('a group of 3 each hear about the other two, told "you all"', async () => {
    for (const who of [ANN, BO, CY]) await say(who, ['buddy', 'opt-in']);
    expect(await say(ANN, ['match', 'run'], { size: '3' })).toContain(
      'Round 1 is done: 1 introduction sent.',
    );
    for (const who of [ANN, BO, CY]) {
      const intros = await introductionsTo(who);
      expect(intros).toHaveLength(1);
      expect(intros[0]).toContain('at a time that suits you all');
    }
  });
});
