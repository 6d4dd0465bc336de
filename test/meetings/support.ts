import { randomUUID } from 'node:crypto';
import { createApp } from '../../src/app.js';
import type { Actor, FormValues } from '../../src/chat/index.js';
import { type Clock, fixedClock } from '../../src/clock.js';
import type { AppDeps } from '../../src/deps.js';
import { createDispatcher, createScheduler } from '../../src/jobs/index.js';
import { silentLogger } from '../../src/logger.js';
import { recordingPlatform } from '../jobs/support.js';
import type { TestDb } from '../support/db.js';
import { clicked, submitted, typed } from '../support/events.js';

/**
 * The core app on a real database behind a recording terminal platform, where everyone typing
 * is in the group's channel. `restart()` builds a new app, dispatcher and scheduler on the same
 * database and clock, as a restarted copro would.
 */
export function meetingWorld(
  db: TestDb,
  clock = fixedClock('2026-12-01T10:00:00Z'),
  options: { encryptionKey?: Buffer } = {},
) {
  const platform = Object.assign(recordingPlatform(clock as Clock, 'console'), {
    isChannelMember: async (_workspaceId: string, _channelId: string, _userId: string): Promise<boolean> =>
      true,
  });
  const logger = silentLogger();
  const deps: AppDeps = { db: db.db, clock, logger, platforms: { console: platform }, ...options };
  let app = createApp(deps);
  let dispatcher = createDispatcher({ db: db.db, clock, logger, platforms: deps.platforms });
  let scheduler = createScheduler({ db: db.db, clock, logger, handlers: app.jobs, sweeps: app.sweeps });

  async function say(actor: Actor, text: string): Promise<string> {
    return (await ask(actor, text)).text;
  }

  /** A command, with everything copro answered (files included). */
  async function ask(actor: Actor, text: string) {
    const { event, said } = typed(actor, text);
    await app.handle(event);
    return {
      text: said.map((s) => s.message.text).join('\n'),
      files: said.flatMap((s) => s.message.files ?? []),
    };
  }

  async function click(actor: Actor, actionId: string, value: string): Promise<string> {
    const { event, said } = clicked(actor, actionId, value);
    await app.handle(event);
    return said.map((s) => s.message.text).join('\n');
  }

  /** Open a form with a command, then send it with some answers changed; what copro said. */
  async function fillIn(actor: Actor, command: string, answers: Record<string, string>) {
    const opened = typed(actor, command);
    await app.handle(opened.event);
    const form = opened.forms[0];
    if (!form) throw new Error(`no form: ${opened.said.map((x) => x.message.text).join('\n')}`);
    const values: Record<string, FormValues[string]> = {};
    for (const field of form.fields) values[field.id] = field.initial;
    Object.assign(values, answers);
    const sent = submitted(actor, form.id, values, form.state);
    const outcome = await app.handle(sent.event);
    return { errors: outcome?.formErrors, text: sent.said.map((x) => x.message.text).join('\n'), form };
  }

  async function joins(actor: Actor): Promise<void> {
    await app.handle({ kind: 'memberJoined', id: randomUUID(), actor, channelId: 'general' });
  }

  /** Plan a meeting; returns its code. */
  async function plan(by: Actor, text: string): Promise<string> {
    const answer = await say(by, text);
    const code = /Meeting (M[A-Z0-9]+): /.exec(answer)?.[1];
    if (!code) throw new Error(`no meeting code in: ${answer}`);
    return code;
  }

  /** Run what is due now, as a tick would, and deliver what it queued. */
  async function tick(): Promise<void> {
    await scheduler.runDue();
    await dispatcher.dispatchDue();
  }

  function restart(): void {
    app = createApp(deps);
    dispatcher = createDispatcher({ db: db.db, clock, logger, platforms: deps.platforms });
    scheduler = createScheduler({ db: db.db, clock, logger, handlers: app.jobs, sweeps: app.sweeps });
  }

  /** Meeting messages delivered to one person privately (reminders, notices), not their welcome. */
  const dmsTo = (userId: string) =>
    platform.posts().filter((p) => p.to?.kind === 'dm' && p.to.userId === userId && /meeting/i.test(p.text));
  const channelPosts = () => platform.posts().filter((p) => p.to?.kind === 'channel');

  return {
    clock,
    deps,
    platform,
    say,
    ask,
    click,
    joins,
    fillIn,
    plan,
    tick,
    restart,
    dmsTo,
    channelPosts,
    get scheduler() {
      return scheduler;
    },
    get dispatcher() {
      return dispatcher;
    },
  };
}
