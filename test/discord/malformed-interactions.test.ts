import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../db/client.js';
import { createLogger } from '../../src/logger.js';
import { eventually } from '../support/fake-discord-driver.js';
import { snowflake } from '../support/fake-discord-payloads.js';
import { ANN, type Harness, startHarness } from './harness.js';

/**
 * Dispatches that do not have the shape Discord documents, sent through the fake gateway to the
 * real discord.js client. Each one is logged once, changes nothing, and copro keeps answering;
 * an interaction that still has its id and token gets a plain answer instead of a failure.
 */
const lines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    lines.push(String(chunk));
    done();
  },
});

let h: Harness;
// biome-ignore lint/suspicious/noExplicitAny: payloads are deliberately broken JSON
type Json = any;
let command: Json;
let click: Json;

beforeAll(async () => {
  h = await startHarness({ logger: createLogger('info', sink) });
  // Real payloads to break: a command, and a click on the poll it posts.
  await h.fake.command(ANN, ['setup']);
  await h.discord.settled();
  command = structuredClone(h.fake.command(ANN, ['polls']).payload);
  await h.discord.settled();
  const poll = h.fake.command(ANN, ['poll', 'new'], { question: 'Tea?', options: 'Yes; No' });
  // The answer comes once the poll is committed (and queued): only then is there a post to send.
  await eventually(() => h.fake.visible(poll).length > 0, 'the poll command to be answered');
  await h.discord.settled();
  await h.dispatcher.dispatchDue();
  await eventually(() => h.fake.messagesIn(h.fake.channelId).length > 0, 'the poll');
  const posted = h.fake.messagesIn(h.fake.channelId).at(-1);
  if (!posted) throw new Error(`no poll was posted: ${JSON.stringify(poll.callbacks)}`);
  const vote = h.fake.click(ANN, posted, 'Yes');
  click = structuredClone(vote.payload);
  await eventually(() => vote.callbacks.length > 0, 'the vote to be taken');
  await h.discord.settled();
});
beforeEach(() => {
  lines.length = 0;
});
afterAll(async () => {
  await h.close();
});

function warnings(): Record<string, unknown>[] {
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => Number(l.level) >= 40);
}

const fresh = (payload: Json, change: (p: Json) => void): Json => {
  const copy = structuredClone(payload);
  copy.id = snowflake();
  change(copy);
  return copy;
};

const broken: [string, () => Json][] = [
  ['a click whose data is null', () => fresh(click, (p) => (p.data = null))],
  ['a click without its custom id', () => fresh(click, (p) => delete p.data.custom_id)],
  ['a click without the message it was on', () => fresh(click, (p) => delete p.message)],
  ['a click whose member has no user', () => fresh(click, (p) => delete p.member.user)],
  ['a click whose permissions are not a number', () => fresh(click, (p) => (p.member.permissions = 'all'))],
  ['a command whose options are not a list', () => fresh(command, (p) => (p.data.options = 'x'))],
  ['a command with an option of null', () => fresh(command, (p) => (p.data.options = [null]))],
  [
    'a modal submission without components',
    () =>
      fresh(click, (p) => {
        p.type = 5;
        p.data = { custom_id: '~form|0|x:0' };
      }),
  ],
];

describe('interactions Discord should never send', () => {
  it.each(broken)('logs %s once, answers it plainly, and changes nothing', async (_name, make) => {
    const votes = await h.db.db.select().from(schema.pollVotes);
    const payload = make();
    h.fake.dispatchRaw('INTERACTION_CREATE', payload);
    const record = await eventually(() => {
      const r = h.fake.interactions.get(payload.id);
      return r && r.callbacks.length > 0 ? r : undefined;
    }, 'an answer');
    expect(JSON.stringify(record.callbacks[0]?.data)).toContain('copro could not read that');
    await h.discord.settled();
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]?.msg).toBe('ignored a Discord payload copro cannot use');
    expect(await h.db.db.select().from(schema.pollVotes)).toEqual(votes);
  });

  it('ignores interactions with no id or token to answer, and things that are not interactions', async () => {
    for (const d of [null, [], 'x', 7, fresh(click, (p) => delete p.token)])
      h.fake.dispatchRaw('INTERACTION_CREATE', d);
    await eventually(() => warnings().length >= 5, 'five warnings');
    await h.discord.settled();
    expect(warnings()).toHaveLength(5);
  });

  it('ignores member events without a person, and carries on answering', async () => {
    h.fake.dispatchRaw('GUILD_MEMBER_ADD', { guild_id: h.fake.guildId, joined_at: new Date().toISOString() });
    h.fake.dispatchRaw('GUILD_MEMBER_REMOVE', { guild_id: h.fake.guildId, user: null });
    await eventually(() => warnings().length >= 2, 'two warnings');
    const help = h.fake.command(ANN, ['help']);
    await eventually(() => h.fake.visible(help).length > 0, 'an answer to help');
    expect(warnings()).toHaveLength(2);
  });
});
