import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Feature } from '../../src/features.js';
import { ANN, CY, type Harness, rows, startHarness } from './harness.js';

/** A test-only form, so a modal submission can travel over the socket through the real core. */
const fixture: Feature = {
  name: 'test fixture',
  forms: {
    'test.name': async ({ event }) =>
      event.values.name ? undefined : { name: 'Please tell us what to call you.' },
  },
};

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ appToken: true, outbox: true, extraFeatures: [fixture] });
  await h.fake.socketConnected();
});
afterAll(async () => {
  await h.close();
});

function command(text: string, userId: string, responseId: string) {
  return h.fake.sendEnvelope({
    type: 'slash_commands',
    payload: {
      team_id: h.fake.teamId,
      channel_id: 'C0HOME',
      channel_name: 'coproduction',
      user_id: userId,
      user_name: userId.toLowerCase(),
      command: '/copro',
      text,
      response_url: h.fake.responseUrl(responseId),
      trigger_id: `trig-${responseId}`,
    },
  });
}

describe('Socket Mode (SLACK_APP_TOKEN set)', () => {
  it('connects through apps.connections.open with the app token, needing no public URL', async () => {
    expect(h.slack.mode).toBe('socket');
    const [open] = h.fake.callsTo('apps.connections.open');
    expect(open?.token).toBe('xapp-fake-token');
  });

  it('runs /copro setup and /copro help delivered over the socket, answering on the response_url', async () => {
    await command('setup', ANN.id, 'sock-setup');
    await command('help', CY.id, 'sock-help');
    await h.slack.settled();
    const answers = h.fake.callsTo('response_url');
    expect(answers.find((a) => a.responseUrlId === 'sock-setup')?.body.response_type).toBe('in_channel');
    expect(answers.find((a) => a.responseUrlId === 'sock-help')?.body.response_type).toBe('ephemeral');
    expect(await rows(h.db, 'groups')).toHaveLength(1);
  });

  it('sends field errors back in the ack of a modal submission', async () => {
    const ack = await h.fake.sendEnvelope({
      type: 'interactive',
      payload: {
        type: 'view_submission',
        team: { id: h.fake.teamId },
        user: { id: CY.id, name: 'cy', team_id: h.fake.teamId },
        view: {
          id: 'V0SOCK',
          callback_id: 'test.name',
          private_metadata: '',
          state: { values: { name: { name: { type: 'plain_text_input', value: null } } } },
        },
      },
    });
    expect(ack).toEqual({ response_action: 'errors', errors: { name: 'Please tell us what to call you.' } });
  });

  it('welcomes someone who joins once, even when the event is delivered again', async () => {
    const joined = {
      type: 'events_api' as const,
      payload: {
        team_id: h.fake.teamId,
        type: 'event_callback',
        event_id: 'EvSOCKJOIN',
        event: { type: 'member_joined_channel', user: CY.id, channel: 'C0HOME', team: h.fake.teamId },
      },
    };
    await h.fake.sendEnvelope(joined);
    await h.fake.sendEnvelope({ ...joined, retryAttempt: 1 });
    await h.slack.settled();
    const welcomes = h.fake.callsTo('chat.postMessage').filter((c) => c.body.channel === 'DUCY');
    expect(welcomes).toHaveLength(1);
  });

  it('still answers GET /healthz on its port', async () => {
    const res = await fetch(`http://127.0.0.1:${h.slack.port}/healthz`);
    expect(res.status).toBe(200);
  });
});
