import { randomBytes } from 'node:crypto';
import { asc, like } from 'drizzle-orm';
import { schema } from '../../db/client.js';
import { createApp } from '../../src/app.js';
import type { Actor, Button, Form, Message } from '../../src/chat/index.js';
import type { Clock } from '../../src/clock.js';
import type { AppDeps } from '../../src/deps.js';
import { createDispatcher, createScheduler } from '../../src/jobs/index.js';
import { silentLogger } from '../../src/logger.js';
import { recordingPlatform } from '../jobs/support.js';
import type { TestDb } from '../support/db.js';
import { clicked, submitted, typed } from '../support/events.js';

export const KEY = randomBytes(32);

/** The real core on a real database, with the terminal platform recorded: what the console adapter drives. */
export function coreWith(
  db: TestDb,
  clock: Clock,
  options: { readonly encryptionKey: Buffer | null } = { encryptionKey: KEY },
) {
  const encryptionKey = options.encryptionKey ?? undefined;
  const platform = recordingPlatform(clock, 'console');
  const logger = silentLogger();
  const deps: AppDeps = {
    db: db.db,
    clock,
    logger,
    platforms: { console: platform },
    ...(encryptionKey ? { encryptionKey } : {}),
  };
  const app = createApp(deps);
  const dispatcher = createDispatcher({ db: db.db, clock, logger, platforms: deps.platforms });
  const scheduler = createScheduler({ db: db.db, clock, logger, handlers: app.jobs, sweeps: app.sweeps });

  async function say(actor: Actor, text: string) {
    const { event, said, forms } = typed(actor, text);
    await app.handle(event);
    return { text: said.map((s) => s.message.text).join('\n'), said, forms };
  }

  /** Press the button with this label on a message, as the member would. */
  async function press(actor: Actor, message: Message | undefined, label: string) {
    const b = buttonOf(message, label);
    const { event, said, forms } = clicked(actor, b.actionId, b.value);
    await app.handle(event);
    return { message: said.at(-1)?.message, said, forms };
  }

  async function submit(
    actor: Actor,
    form: Form | undefined,
    values: Record<string, string | string[] | undefined>,
  ) {
    if (!form) throw new Error('no form was opened');
    const { event, said } = submitted(actor, form.id, values, form.state);
    const outcome = await app.handle(event);
    return { errors: outcome?.formErrors, said };
  }

  /** Messages queued for someone's direct messages, oldest first. */
  async function dms(userId: string): Promise<Message[]> {
    const rows = await db.db
      .select()
      .from(schema.outbox)
      .where(like(schema.outbox.recipient, `%:dm:${userId}`))
      .orderBy(asc(schema.outbox.id));
    return rows.map((r) => r.message as unknown as Message);
  }

  async function channelPosts(): Promise<Message[]> {
    const rows = await db.db
      .select()
      .from(schema.outbox)
      .where(like(schema.outbox.recipient, '%:channel:%'))
      .orderBy(asc(schema.outbox.id));
    return rows.map((r) => r.message as unknown as Message);
  }

  const joined = (actor: Actor, id = `join-${actor.userId}-${Math.random()}`) =>
    app.handle({ kind: 'memberJoined', id, actor, channelId: 'general' });

  return { app, deps, platform, dispatcher, scheduler, say, press, submit, dms, channelPosts, joined };
}

export function buttonsOf(message: Message | undefined): Button[] {
  return (message?.blocks ?? []).flatMap((b) => (b.type === 'buttons' ? b.buttons : []));
}

export function buttonOf(message: Message | undefined, label: string): Button {
  const found = buttonsOf(message).find((b) => b.label === label);
  if (!found)
    throw new Error(
      `no "${label}" button; there are: ${buttonsOf(message)
        .map((b) => b.label)
        .join(', ')}\n${message?.text}`,
    );
  return found;
}
