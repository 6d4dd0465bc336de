import { InteractionType } from 'discord.js';
import { z } from 'zod';
import type { Logger } from '../../src/logger.js';

/**
 * The shapes the adapter relies on, checked as a gateway dispatch arrives. A payload that does
 * not fit (an interaction without its token, a click without its custom id, a member event
 * without its user) would throw somewhere in the translation, far from where it came in; instead
 * it is logged once, with where the shape went wrong and never the values, and nothing else
 * happens. An interaction is only answered when it carries what an answer needs (its id and token).
 */
const snowflake = z.string().regex(/^\d{1,25}$/);
const user = z.looseObject({
  id: snowflake,
  username: z.string(),
  global_name: z.string().nullish(),
  bot: z.boolean().optional(),
});
const member = z.looseObject({ user, nick: z.string().nullish(), permissions: z.string().regex(/^\d+$/) });
const message = z.looseObject({
  id: snowflake,
  channel_id: snowflake,
  flags: z.number().int().optional(),
  components: z.array(z.unknown()).optional(),
});

const base = {
  id: snowflake,
  application_id: z.string().optional(),
  token: z.string().min(1),
  guild_id: snowflake.optional(),
  channel_id: snowflake.optional(),
  channel: z.looseObject({ name: z.string().nullish() }).optional(),
  member: member.optional(),
  user: user.optional(),
};

const option: z.ZodType = z.lazy(() =>
  z.looseObject({
    name: z.string(),
    type: z.number().int(),
    value: z.union([z.string(), z.number(), z.boolean()]).optional(),
    options: z.array(option).optional(),
  }),
);

const command = z.looseObject({
  ...base,
  type: z.literal(InteractionType.ApplicationCommand),
  data: z.looseObject({ type: z.number().int(), name: z.string(), options: z.array(option).optional() }),
});

const component = z.looseObject({
  ...base,
  type: z.literal(InteractionType.MessageComponent),
  message,
  data: z.looseObject({
    custom_id: z.string().min(1).max(100),
    component_type: z.number().int(),
    values: z.array(z.string()).optional(),
  }),
});

const modalSubmit = z.looseObject({
  ...base,
  type: z.literal(InteractionType.ModalSubmit),
  message: message.optional(),
  data: z.looseObject({ custom_id: z.string().min(1).max(100), components: z.array(z.unknown()) }),
});

/** The schema an interaction must fit, or 'ignored' for a kind copro never answers (autocomplete, ping). */
function interactionSchema(type: unknown): z.ZodType | 'ignored' {
  if (type === InteractionType.ApplicationCommand) return command;
  if (type === InteractionType.MessageComponent) return component;
  if (type === InteractionType.ModalSubmit) return modalSubmit;
  return 'ignored';
}

/**
 * Whether an INTERACTION_CREATE's data is one copro can translate: 'usable', 'ignored' (a kind
 * copro never asks for: autocomplete, ping) or 'unusable' (logged once here).
 */
export function checkInteraction(data: unknown, logger: Logger): 'usable' | 'ignored' | 'unusable' {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    logger.warn('ignored a Discord interaction that is not an object');
    return 'unusable';
  }
  const type = (data as { type?: unknown }).type;
  const schema = interactionSchema(type);
  if (schema === 'ignored') return 'ignored';
  return fits(schema, data, logger, `interaction type ${String(type)}`) ? 'usable' : 'unusable';
}

/** Enough of an interaction to answer it, when it has that much: its id and token. */
export function answerable(data: unknown): { id: string; token: string } | undefined {
  const parsed = z.looseObject({ id: snowflake, token: z.string().min(1).max(500) }).safeParse(data);
  return parsed.success ? { id: parsed.data.id, token: parsed.data.token } : undefined;
}

const memberAdd = z.looseObject({
  guild_id: snowflake,
  user,
  nick: z.string().nullish(),
  joined_at: z.string(),
});
const memberRemove = z.looseObject({ guild_id: snowflake, user });

/** Whether a GUILD_MEMBER_ADD or GUILD_MEMBER_REMOVE can be used; logs once when it cannot. */
export function usableMemberEvent(kind: 'add' | 'remove', data: unknown, logger: Logger): boolean {
  return fits(kind === 'add' ? memberAdd : memberRemove, data, logger, `member ${kind}`);
}

function fits(schema: z.ZodType, data: unknown, logger: Logger, kind: string): boolean {
  const result = schema.safeParse(data);
  if (result.success) return true;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.code}`);
  logger.warn({ kind, problems }, 'ignored a Discord payload copro cannot use');
  return false;
}
