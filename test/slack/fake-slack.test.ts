import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';

/** The fake is only useful if it refuses what Slack refuses; these pin that down. */
let fake: FakeSlack;

beforeAll(async () => {
  fake = await startFakeSlack();
});
afterAll(async () => {
  await fake.close();
});

async function call(method: string, fields: Record<string, unknown>, token = fake.botToken) {
  const body = new URLSearchParams(
    Object.entries(fields).map(([k, v]): [string, string] => [
      k,
      typeof v === 'string' ? v : JSON.stringify(v),
    ]),
  ).toString();
  const res = await fetch(`${fake.apiUrl}${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Bearer ${token}` },
    body,
  });
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    json: (await res.json()) as Record<string, unknown>,
  };
}

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

describe('the fake Slack Web API', () => {
  it('refuses a message of more than 50 blocks, as Slack does', async () => {
    const blocks = Array.from({ length: 51 }, (_, i) => section(`item ${i}`));
    const { json } = await call('chat.postMessage', { channel: 'C1', text: 'x', blocks });
    expect(json).toMatchObject({ ok: false, error: 'invalid_blocks' });
  });

  it('refuses section text over 3,000 characters and empty text', async () => {
    const long = await call('chat.postMessage', {
      channel: 'C1',
      text: 'x',
      blocks: [section('a'.repeat(3001))],
    });
    expect(long.json.error).toBe('invalid_blocks');
    const empty = await call('chat.postMessage', { channel: 'C1', text: 'x', blocks: [section('')] });
    expect(empty.json.error).toBe('invalid_blocks');
  });

  it('refuses more than 25 elements in an actions block and more than 100 options in a select', async () => {
    const button = (i: number) => ({
      type: 'button',
      action_id: `a${i}`,
      text: { type: 'plain_text', text: 'b' },
    });
    const buttons = await call('chat.postMessage', {
      channel: 'C1',
      text: 'x',
      blocks: [{ type: 'actions', elements: Array.from({ length: 26 }, (_, i) => button(i)) }],
    });
    expect(buttons.json.error).toBe('invalid_blocks');
    const options = Array.from({ length: 101 }, (_, i) => ({
      text: { type: 'plain_text', text: `o${i}` },
      value: `v${i}`,
    }));
    const select = await call('chat.postMessage', {
      channel: 'C1',
      text: 'x',
      blocks: [{ type: 'actions', elements: [{ type: 'static_select', action_id: 's', options }] }],
    });
    expect(select.json.error).toBe('invalid_blocks');
  });

  it('answers a wrong token with invalid_auth and a missing one with not_authed', async () => {
    expect((await call('auth.test', {}, 'xoxb-wrong')).json).toEqual({ ok: false, error: 'invalid_auth' });
    expect((await call('auth.test', {}, '')).json).toEqual({ ok: false, error: 'not_authed' });
  });

  it('answers queued failures in order: 429 with Retry-After, then 500, then an ok:false error', async () => {
    fake.failNext('chat.update', { status: 429, retryAfter: 12 });
    fake.failNext('chat.update', { status: 500 });
    fake.failNext('chat.update', { error: 'message_not_found' });
    const args = { channel: 'C1', ts: '1.1', text: 'x' };
    const first = await call('chat.update', args);
    expect(first).toMatchObject({ status: 429, retryAfter: '12' });
    expect((await call('chat.update', args)).status).toBe(500);
    expect((await call('chat.update', args)).json).toEqual({ ok: false, error: 'message_not_found' });
    expect((await call('chat.update', args)).json).toMatchObject({ ok: true, ts: '1.1' });
    expect(fake.callsTo('chat.update').map((c) => c.status)).toEqual([429, 500, 200, 200]);
  });
});
