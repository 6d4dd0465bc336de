import type { ReceiverEvent } from '@slack/bolt';
import { z } from 'zod';
import type { Logger } from '../../src/logger.js';
import { SLACK_EVENTS } from './subscribed.js';

/**
 * The shapes the listeners rely on, checked before Bolt routes a payload. A payload that does not
 * fit (a state entry of null, a click without its action) would throw inside a listener before
 * the ack, and Slack would show the person an error after 3 seconds; instead it is acknowledged,
 * logged once, and nothing else happens.
 */
/**
 * Slack's ids and the values copro put on its own buttons and forms. None can hold a NUL (Postgres
 * cannot store one, so the event could not even be recorded); only what a person typed can, and
 * the core answers that in words.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding NUL is the point
const key = z.string().regex(/^[^\u0000]*$/);
/** Slack's ids are a dozen characters: one thousands long would not even fit a form's state. */
const ID_MAX = 255;
const id = key.min(1).max(ID_MAX);
const channelRef = key.max(ID_MAX);
const team = z.looseObject({ id }).nullish();
/** Where answers are posted: Slack's are https (a test's fake Slack is http). */
const webAddress = z.url({ protocol: /^https?$/ });
const user = z.looseObject({ id, name: key.optional(), team_id: key.optional() });
const option = z.looseObject({ value: key });

const command = z.looseObject({
  command: key,
  team_id: id,
  user_id: id,
  trigger_id: id,
  // Every answer to a command goes to its response_url: without one there is nowhere to reply.
  response_url: webAddress,
  text: z.string().optional(),
  channel_id: channelRef.optional(),
  channel_name: key.optional(),
  user_name: key.optional(),
});

const blockActions = z.looseObject({
  type: z.literal('block_actions'),
  user,
  team,
  trigger_id: key.optional(),
  response_url: webAddress.optional(),
  channel: z.looseObject({ id }).optional(),
  container: z
    .looseObject({
      type: key.optional(),
      message_ts: key.optional(),
      view_id: key.optional(),
      channel_id: channelRef.optional(),
      is_ephemeral: z.boolean().optional(),
    })
    .optional(),
  view: z.looseObject({ type: key.optional() }).optional(),
  actions: z
    .array(
      z.looseObject({
        action_id: id,
        action_ts: key.optional(),
        value: key.optional(),
        selected_option: option.nullish(),
      }),
    )
    .min(1),
});

const stateValue = z.looseObject({
  type: key.optional(),
  value: z.string().nullish(),
  selected_option: option.nullish(),
  selected_options: z.array(option).optional(),
});

const viewSubmission = z.looseObject({
  type: z.literal('view_submission'),
  user,
  team,
  view: z.looseObject({
    id,
    callback_id: key,
    private_metadata: key.optional(),
    state: z.looseObject({ values: z.record(key, z.record(key, stateValue)).optional() }).optional(),
  }),
});

const memberEvent = z.looseObject({ type: z.string(), user: id, channel: id });
const eventCallback = z.looseObject({
  type: z.literal('event_callback'),
  team_id: id,
  event_id: id,
  event: z.discriminatedUnion('type', [
    memberEvent.extend({ type: z.literal('member_joined_channel') }),
    memberEvent.extend({ type: z.literal('member_left_channel') }),
    z.looseObject({ type: z.literal('app_home_opened'), user: id, tab: z.string().optional() }),
    z.looseObject({ type: z.literal('app_uninstalled') }),
    z.looseObject({
      type: z.literal('tokens_revoked'),
      tokens: z.looseObject({ bot: z.array(z.string()).optional() }),
    }),
  ]),
});

/**
 * Bolt reads who and where from every event before routing it, even one copro does not listen
 * to; a null where it expects a string or an object throws inside Bolt.
 */
const reference = z.union([z.string(), z.looseObject({})]);
const anyEvent = z.looseObject({
  event: z.looseObject({
    user: reference.optional(),
    channel: reference.optional(),
    item: z.looseObject({}).optional(),
    subteam: z.looseObject({}).optional(),
  }),
});

const SUBSCRIBED = new Set<string>(SLACK_EVENTS);

/**
 * What Bolt reads from any kind of payload before a listener runs, where a wrong shape throws
 * inside Bolt. Every workspace or organisation id: Bolt keeps a client per workspace in a plain
 * object keyed by it, so one named "constructor" throws (Slack's ids are capital letters and
 * digits). And the first of a form's response_urls.
 */
const workspaceId = z
  .string()
  .regex(/^[A-Z0-9]+$/)
  .nullish();
const whatBoltReads = z.looseObject({
  team_id: workspaceId,
  enterprise_id: workspaceId,
  team: z.looseObject({ id: workspaceId, enterprise_id: workspaceId }).nullish(),
  enterprise: z.looseObject({ id: workspaceId }).nullish(),
  user: z.looseObject({ team_id: workspaceId }).nullish(),
  view: z.looseObject({ app_installed_team_id: workspaceId }).nullish(),
  authorizations: z.array(z.looseObject({ team_id: workspaceId, enterprise_id: workspaceId })).optional(),
  response_urls: z.array(z.looseObject({ response_url: webAddress })).optional(),
});

/** The schemas a body must fit, or 'ignored' for a kind copro does not handle (acked all the same). */
function schemaFor(body: Record<string, unknown>): z.ZodType[] | 'ignored' {
  if ('command' in body) return [command];
  switch (body.type) {
    case 'block_actions':
      return [blockActions];
    case 'view_submission':
      return [viewSubmission];
    case 'event_callback': {
      const event = body.event as { type?: unknown } | null | undefined;
      // Bolt acknowledges Events API deliveries itself; only the ones copro listens to matter.
      // One without a type is none of them, and Bolt cannot route it: it is checked, and refused.
      const type = event && typeof event === 'object' ? event.type : undefined;
      if (typeof type === 'string' && type !== '' && !SUBSCRIBED.has(type)) return [anyEvent];
      return [eventCallback, anyEvent];
    }
    default:
      return 'ignored';
  }
}

/**
 * The kind Bolt routes a body as. Bolt reads keys, in this order, before the type: a click that
 * also holds an "event" would go to the event listeners (an uninstall among them), a form that
 * also holds "actions" to the clicks. A body whose keys and type disagree is refused.
 */
function routedAs(body: Record<string, unknown>): string {
  if (body.event !== undefined) return 'event_callback';
  if (body.command !== undefined) return 'command';
  if (body.name !== undefined || body.type === 'block_suggestion') return 'block_suggestion';
  if (body.actions !== undefined || body.type === 'dialog_submission') return 'block_actions';
  return String(body.type);
}

/**
 * True when the payload is of no use to copro; the caller acknowledges it and goes no further.
 * Logged once, with where the shape went wrong and never the values (they may be what someone typed).
 */
export function unusablePayload(event: ReceiverEvent, logger: Logger): boolean {
  const body = event.body as unknown;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    logger.warn('ignored a Slack payload that is not an object');
    return true;
  }
  const record = body as Record<string, unknown>;
  const kind = 'command' in record ? 'command' : String(record.type);
  const schemas = schemaFor(record);
  if (schemas === 'ignored') {
    logger.info({ kind }, 'ignored a kind of Slack payload copro does not use');
    return true;
  }
  const routed = routedAs(record);
  if (routed !== kind) {
    logger.warn({ kind, routed }, 'ignored a Slack payload whose fields say another kind than its type');
    return true;
  }
  // Each schema on its own: zod's intersection throws when two change a value differently.
  const issues = [whatBoltReads, ...schemas].flatMap((schema) => schema.safeParse(body).error?.issues ?? []);
  if (issues.length === 0) return false;
  const problems = issues.map((i) => `${i.path.join('.') || 'body'}: ${i.code}`);
  logger.warn({ kind, problems }, 'ignored a Slack payload copro cannot use');
  return true;
}
