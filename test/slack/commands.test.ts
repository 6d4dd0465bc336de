import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeSlackCall } from '../support/fake-slack.js';
import { ANN, BO, CY, type Harness, rows, startHarness } from './harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ outbox: true });
});
beforeEach(async () => {
  await h.reset();
});
afterAll(async () => {
  await h.close();
});

/** Run a command and wait for its answer on the response_url. */
async function copro(text: string, user: { id: string; name: string }, channelId = 'C0HOME') {
  const { response, responseId } = await h.driver.command(text, {
    userId: user.id,
    userName: user.name,
    channelId,
  });
  expect(response.status).toBe(200);
  await h.slack.settled();
  const answers = h.fake.callsTo('response_url').filter((c) => c.responseUrlId === responseId);
  expect(answers.length, `no answer to "/copro ${text}"`).toBeGreaterThan(0);
  return answers.map((a) => a.body);
}

const textOf = (body: Record<string, unknown>) => `${body.text}\n${JSON.stringify(body.blocks)}`;

describe('requests that do not come from Slack', () => {
  const setup = new URLSearchParams({
    team_id: 'T0FAKE',
    channel_id: 'C0HOME',
    user_id: ANN.id,
    command: '/copro',
    text: 'setup',
    response_url: 'http://127.0.0.1:9/x',
    trigger_id: 't1',
  }).toString();
  const form = 'application/x-www-form-urlencoded';

  async function expectNothingChanged() {
    await h.slack.settled();
    expect(h.fake.calls).toEqual([]);
    expect(await rows(h.db, 'groups')).toEqual([]);
    expect(await rows(h.db, 'processed_events')).toEqual([]);
  }

  it('rejects a request signed with the wrong secret, and changes nothing', async () => {
    const res = await h.driver.send(setup, form, { secret: 'not-the-secret' });
    expect(res.status).toBe(401);
    await expectNothingChanged();
  });

  it('rejects a request with a stale timestamp (more than 5 minutes old), and changes nothing', async () => {
    const res = await h.driver.send(setup, form, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(res.status).toBe(401);
    await expectNothingChanged();
  });

  it('rejects a request signed ten minutes or a year in the future, and changes nothing', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const timestamp of [now + 10 * 60, now + 365 * 24 * 3600]) {
      const res = await h.driver.send(setup, form, { timestamp });
      expect(res.status).toBe(401);
    }
    await expectNothingChanged();
  });

  it('accepts a request signed up to five minutes either side of now (clocks drift)', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const timestamp of [now + 4 * 60, now - 4 * 60]) {
      const { response } = await h.driver.command('help', { userId: ANN.id, timestamp });
      expect(response.status).toBe(200);
    }
  });

  it('rejects a request without signature headers, and changes nothing', async () => {
    const res = await h.driver.send(setup, form, { unsigned: true });
    expect(res.status).toBe(401);
    await expectNothingChanged();
  });

  it('answers Slack’s url_verification challenge', async () => {
    const res = await h.driver.urlVerification('3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
  });
});

describe('/copro commands', () => {
  it('answers /copro help privately, with the commands listed', async () => {
    const [answer] = await copro('help', BO);
    expect(answer?.response_type).toBe('ephemeral');
    expect(textOf(answer!)).toContain('role add');
    expect(String(answer?.text).length).toBeGreaterThan(0);
  });

  it('acknowledges at once with an empty 200, before the work is done', async () => {
    const { response } = await h.driver.command('help', { userId: BO.id });
    expect(response).toMatchObject({ status: 200, text: '' });
  });

  it('sets up a group with the admin who ran /copro setup as its coordinator, and tells the channel', async () => {
    const [answer] = await copro('setup', ANN);
    expect(answer?.response_type).toBe('in_channel');
    expect(textOf(answer!)).toContain('<@UANN> is the coordinator');
    const [group] = await rows(h.db, 'groups');
    expect(group).toMatchObject({
      platform: 'slack',
      workspace_id: 'T0FAKE',
      home_channel_id: 'C0HOME',
      name: '#coproduction',
    });
    const [ann] = await rows(h.db, "members where user_id = 'UANN'");
    expect(ann).toMatchObject({ display_name: 'Ann', timezone: 'Europe/London' });
  });

  it('refuses /copro setup to someone who does not administer the workspace, and says who can', async () => {
    const [answer] = await copro('setup', BO, 'C0OTHER');
    expect(answer?.response_type).toBe('ephemeral');
    expect(String(answer?.text)).toContain(
      'Only a workspace admin, or the person who created this channel, can start a new copro group',
    );
    expect(await rows(h.db, 'groups')).toEqual([]);
  });

  it('asks a workspace owner to try setup again when Slack cannot say just then who they are', async () => {
    const kim = { id: 'UKIM', name: 'kim' };
    h.fake.addUser({ ...kim, displayName: 'Kim', isOwner: true });
    h.fake.failNext('users.info', { status: 500 });
    const [answer] = await copro('setup', kim, 'C0OTHER');
    expect(String(answer?.text)).toContain(
      'copro could not check just now whether you may start a group here (it asks the platform who administers it), so nothing was set up. Please try /copro setup again in a minute.',
    );
    expect(String(answer?.text)).not.toContain('Only a workspace admin');
    expect(await rows(h.db, 'groups')).toEqual([]);
  });

  it('lets the person who created the channel set copro up there, though not a workspace admin', async () => {
    const [answer] = await copro('setup', BO, 'C0BOS');
    expect(answer?.response_type).toBe('in_channel');
    expect(String(answer?.text)).toContain('<@UBO> is the coordinator');
    const [group] = await rows(h.db, 'groups');
    expect(group).toMatchObject({ home_channel_id: 'C0BOS' });
    const [info] = h.fake.callsTo('conversations.info');
    expect(info?.body.channel).toBe('C0BOS');
  });

  it('adds a role with /copro role add, keeps it, and lists it with /copro roles', async () => {
    await copro('setup', ANN);
    const [added] = await copro('role add <@UBO|bo> researcher', ANN);
    expect(added?.response_type).toBe('ephemeral');
    expect(String(added?.text)).toBe('Done: <@UBO> is now a researcher.');

    const held = await rows(
      h.db,
      "role_assignments ra join members m on m.id = ra.member_id where m.user_id = 'UBO' and ra.role_key = 'researcher' and ra.removed_at is null",
    );
    expect(held).toHaveLength(1);

    const [listed] = await copro('roles', BO);
    expect(listed?.response_type).toBe('ephemeral');
    const blocks = JSON.stringify(listed?.blocks);
    expect(blocks).toMatch(/\*researcher\*.*Held by: <@UBO>/);
  });

  it('refuses a name Slack left as plain text, and records nobody for it', async () => {
    await copro('setup', ANN);
    const [answer] = await copro('role add @nosuchperson researcher', ANN);
    expect(answer?.response_type).toBe('ephemeral');
    expect(String(answer?.text)).toContain('copro cannot tell who "@nosuchperson" is');
    expect(await rows(h.db, "members where user_id = 'nosuchperson'")).toEqual([]);
    expect(await rows(h.db, "role_assignments where role_key = 'researcher'")).toEqual([]);
  });

  it('takes a mention typed out by hand, which Slack sends escaped, as plain text too', async () => {
    await copro('setup', ANN);
    const [typed] = await copro('role add &lt;@UNOBODY&gt; researcher', ANN);
    expect(String(typed?.text)).toContain('copro cannot tell who "@UNOBODY" is');
    const [named] = await copro('buddy avoid &lt;@UGHOST|boss&gt;', ANN);
    expect(String(named?.text)).toContain('is not a person');
    expect(await rows(h.db, "members where user_id in ('UNOBODY', 'UGHOST')")).toEqual([]);
    expect(await rows(h.db, "role_assignments where role_key = 'researcher'")).toEqual([]);
  });

  it('gives a member who tries /copro role add a plain refusal that names the coordinator, and changes nothing', async () => {
    await copro('setup', ANN);
    const [answer] = await copro('role add <@UCY|cy> researcher', BO);
    expect(answer?.response_type).toBe('ephemeral');
    expect(String(answer?.text)).toBe(
      'Only coordinators can use /copro role add. Ask <@UANN>, who coordinates this group.',
    );
    expect(await rows(h.db, "role_assignments where role_key = 'researcher'")).toEqual([]);
  });

  it('treats a command typed in a DM with copro as being about the person’s own group', async () => {
    await copro('setup', ANN);
    await copro('role add <@UBO|bo> researcher', ANN);
    const [roles] = await copro('roles', BO, 'DUBO');
    expect(JSON.stringify(roles?.blocks)).toContain('Roles in #coproduction');
    const [setup] = await copro('setup', ANN, 'DUANN');
    expect(String(setup?.text)).toContain(
      'Run /copro setup in the channel you want the group to use as its home.',
    );
    expect(await rows(h.db, 'groups')).toHaveLength(1);
  });

  it('answers a mistyped command with the usage line, privately', async () => {
    await copro('setup', ANN);
    const [answer] = await copro('role add researcher', ANN);
    expect(answer?.response_type).toBe('ephemeral');
    expect(String(answer?.text)).toMatch(/role add/);
    expect(String(answer?.text)).not.toMatch(/Error|stack|at .*\.ts/);
  });
});

describe('people joining the home channel', () => {
  const joined = (user: string, channel = 'C0HOME') => ({
    type: 'member_joined_channel',
    user,
    channel,
    channel_type: 'C',
    team: 'T0FAKE',
  });

  async function dms(): Promise<FakeSlackCall[]> {
    await h.slack.settled();
    return h.fake.callsTo('chat.postMessage').filter((c) => c.body.channel === 'DUCY');
  }

  it('sends one short, friendly welcome DM that says what the group is and how to start', async () => {
    await copro('setup', ANN);
    const res = await h.driver.event(joined(CY.id), { eventId: 'EvJOIN1' });
    expect(res.status).toBe(200);
    const [dm] = await dms();
    expect(h.fake.callsTo('conversations.open').map((c) => c.body.users)).toContain('UCY');
    expect(dm?.body.channel).toBe('DUCY');
    expect(String(dm?.body.text)).toContain('Welcome to #coproduction');
    expect(String(dm?.body.text)).toContain('Choices: Start, Not now.');
    expect(String(dm?.body.text)).toContain('co-production group');
    expect(String(dm?.body.text)).toContain('/copro join');
    expect(await dms()).toHaveLength(1);
  });

  it('sends no second welcome when Slack retries the same event (X-Slack-Retry-Num: 1)', async () => {
    await copro('setup', ANN);
    await h.driver.event(joined(CY.id), { eventId: 'EvJOIN2' });
    expect(await dms()).toHaveLength(1);
    const retry = await h.driver.event(joined(CY.id), { eventId: 'EvJOIN2', retryNum: 1 });
    expect(retry.status).toBe(200);
    expect(await dms()).toHaveLength(1);
  });

  it('welcomes nobody when the bot itself, or another bot, joins the channel', async () => {
    await copro('setup', ANN);
    await h.driver.event(joined(h.fake.botUserId));
    await h.driver.event(joined('UOTHERBOT'));
    expect(await dms()).toHaveLength(0);
  });

  it('welcomes nobody in a channel that is not a group’s home', async () => {
    await copro('setup', ANN);
    await h.driver.event(joined(CY.id, 'C0ELSEWHERE'));
    expect(await dms()).toHaveLength(0);
  });
});

describe('the App Home', () => {
  it('shows the member’s roles and who coordinates their group', async () => {
    await copro('setup', ANN);
    await copro('role add <@UBO|bo> researcher', ANN);
    h.fake.clear();
    await h.driver.event({ type: 'app_home_opened', user: BO.id, channel: 'DUBO', tab: 'home' });
    const [published] = await h.fake.waitFor('views.publish');
    expect(published?.body.user_id).toBe('UBO');
    const view = published?.body.view as { type: string; blocks: unknown[] };
    expect(view.type).toBe('home');
    expect(JSON.stringify(view.blocks)).toContain('Your roles: member and researcher');
    expect(JSON.stringify(view.blocks)).toContain('Coordinated by <@UANN>');
  });

  it('publishes nothing when the person opens the Messages tab', async () => {
    await h.driver.event({ type: 'app_home_opened', user: BO.id, channel: 'DUBO', tab: 'messages' });
    await h.slack.settled();
    expect(h.fake.callsTo('views.publish')).toEqual([]);
  });
});

describe('health', () => {
  it('answers GET /healthz with 200 while the database answers', async () => {
    const res = await fetch(`http://127.0.0.1:${h.slack.port}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });
});

describe('characters Slack escapes in typed text', () => {
  it('stores "&", "<" and ">" as typed, decoded once, and never turns "&amp;lt;" into "<"', async () => {
    await copro('setup', ANN);
    await copro('role define mentor "Tea &amp; biscuits &lt;3, and &amp;lt; as typed" ', ANN);
    const [role] = (await rows(h.db, 'roles')).filter((r) => r.key === 'mentor');
    expect(role?.description).toBe('Tea & biscuits <3, and &lt; as typed');
  });
});
