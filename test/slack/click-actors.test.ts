import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createActorLookup, type SlackActor } from '../../adapters/slack/actors.js';
import { createClickActors } from '../../adapters/slack/click-actors.js';
import type { SlackUserInfo } from '../../adapters/slack/users-info.js';
import { DeliveryError } from '../../src/chat/index.js';
import { silentLogger } from '../../src/logger.js';

const EVERY_MS = 20;

/**
 * People counted under their clicks' names at a busy moment, and looked up afterwards through a
 * users.info that takes 30 ms and notes when each call began and ended.
 */
function setUp(answer?: (userId: string, call: number) => SlackUserInfo) {
  const calls: { userId: string; began: number; ended: number }[] = [];
  const usersInfo = async (userId: string): Promise<SlackUserInfo> => {
    const call = { userId, began: performance.now(), ended: Number.NaN };
    calls.push(call);
    await sleep(30);
    call.ended = performance.now();
    return answer ? answer(userId, calls.length) : { profile: { display_name: `Name of ${userId}` } };
  };
  const learned: SlackActor[] = [];
  const actors = createClickActors({
    actorFor: createActorLookup(usersInfo, silentLogger()),
    busy: () => true,
    learned: async (actor) => learned.push(actor),
    logger: silentLogger(),
    learnEveryMs: EVERY_MS,
  });
  const clickBy = async (userId: string) => {
    const { actor, learnLater } = await actors.actorFor('T1', userId, userId.toLowerCase());
    learnLater?.();
    return actor;
  };
  return { calls, learned, actors, clickBy };
}

async function until(check: () => boolean, ms = 5_000): Promise<void> {
  for (const end = Date.now() + ms; !check() && Date.now() < end; ) await sleep(10);
}

describe('people who clicked at a busy moment', () => {
  it('are counted under the names their clicks carry, without asking Slack', async () => {
    const { calls, clickBy, actors } = setUp();
    const actor = await clickBy('UBO');
    expect(actor).toMatchObject({ displayName: 'ubo', profileUnknown: true });
    expect(calls).toHaveLength(0);
    actors.stop();
  });

  it('are looked up one at a time, at the pace set, however many clicks come meanwhile', async () => {
    const { calls, learned, clickBy, actors } = setUp();
    const people = Array.from({ length: 12 }, (_, i) => `U${i}`);
    for (const [i, person] of people.entries()) {
      await clickBy(person);
      // Clicks keep coming while the first look-ups are on their way.
      if (i % 3 === 2) await sleep(25);
    }
    await until(() => learned.length === people.length);
    actors.stop();
    expect(learned.map((a) => a.displayName).sort()).toEqual(people.map((p) => `Name of ${p}`).sort());
    for (const [i, call] of calls.entries()) {
      const before = calls[i - 1];
      if (before) expect(call.began - before.ended).toBeGreaterThanOrEqual(EVERY_MS - 2);
    }
  });

  it('keep their place when Slack asks copro to slow down, and are looked up once it allows', async () => {
    const { learned, clickBy, actors } = setUp((userId, call) => {
      if (call === 1) throw new DeliveryError('rate_limited', 'users.info', 200);
      return { profile: { display_name: `Name of ${userId}` } };
    });
    for (const person of ['UA', 'UB', 'UC']) await clickBy(person);
    await until(() => learned.length === 3);
    actors.stop();
    expect(learned.map((a) => a.displayName).sort()).toEqual(['Name of UA', 'Name of UB', 'Name of UC']);
  });
});
