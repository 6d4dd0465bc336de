import { asc, like } from 'drizzle-orm';
import { schema } from '../../db/client.js';
import { createApp } from '../../src/app.js';
import type { Actor, Message } from '../../src/chat/index.js';
import type { fixedClock } from '../../src/clock.js';
import type { AppDeps } from '../../src/deps.js';
import { silentLogger } from '../../src/logger.js';
import { recordingPlatform } from '../jobs/support.js';
import type { TestDb } from '../support/db.js';
import { typed } from '../support/events.js';

/** The core app on a real database, as the terminal chat drives it. */
export function involvementWorld(db: TestDb, clock: ReturnType<typeof fixedClock>) {
  const platform = recordingPlatform(clock, 'console');
  const deps: AppDeps = { db: db.db, clock, logger: silentLogger(), platforms: { console: platform } };
  const app = createApp(deps);

  /** Type a command in a channel (the first group's home, "general", unless told). */
  async function say(actor: Actor, text: string, channelId = 'general') {
    const { event, said } = typed(actor, text, channelId);
    await app.handle(event);
    return { text: said.map((s) => s.message.text).join('\n'), said };
  }

  /** Private messages queued for a person, with why they were sent. */
  async function dms(userId: string, purpose = '%'): Promise<{ purpose: string; text: string }[]> {
    const rows = await db.db
      .select()
      .from(schema.outbox)
      .where(like(schema.outbox.recipient, `%:dm:${userId}`))
      .orderBy(asc(schema.outbox.id));
    return rows
      .filter((r) => new RegExp(`^${purpose.replace(/%/g, '.*')}$`).test(r.purpose))
      .map((r) => ({ purpose: r.purpose, text: (r.message as unknown as Message).text }));
  }

  return { app, deps, platform, say, dms };
}
