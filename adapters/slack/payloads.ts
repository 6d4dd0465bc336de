import type { ReceiverEvent } from '@slack/bolt';
import { z } from 'zod';
import type { Logger } from '../../src/logger.js';

/**
 * The shapes the listeners rely on, checked before Bolt routes a payload. A payload that does not
 * fit (a state entry of null, a click without its action) would throw inside a listener before
 * the ack, and Slack would show the person an error after 3 seconds; instead it is acknowledged,
 * logged once, and nothing else happens.
 */
const id = z.string().min(1);
const team = z.looseObject({ id }).nullish();
const user = z.looseObject({ id, name: z.string().optional(), team_id: z.string().optional() });
const option = z.looseObject({ value: z.string() });

const command = z.looseObject({
  command: z.string(),
  team_id: id,
  user_id: id,
  trigger_id: id,
  text: z.string().optional(),
  channel_id: z.string().optional(),
  channel_name: z.string().optional(),
  user_name: z.string().optional(),
});

const blockActions = z.looseObject({
  type: z.literal('block_actions'),
  user,
  team,
  trigger_id: z.string().optional(),
  response_url: z.string().optional(),
  channel: z.looseObject({ id }).optional(),
  container: z
    .looseObject({
      type: z.string().optional(),
      message_ts: z.string().optional(),
      view_id: z.string().optional(),
      channel_id: z.string().optional(),
      is_ephemeral: z.boolean().optional(),
    })
    .optional(),
  view: z.looseObject({ type: z.string().optional() }).optional(),
  actions: z
    .array(
      z.looseObject({
        action_id: id,
        action_ts: z.string().optional(),
        value: z.string().optional(),
        selected_option: option.nullish(),
      }),
    )
    .min(1),
});

const stateValue = z.looseObject({
  type: z.string().optional(),
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
    callback_id: z.string(),
    private_metadata: z.string().optional(),
    state: z
      .looseObject({ values: z.record(z.string(), z.record(z.string(), stateValue)).optional() })
      .optional(),
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
  ]),
});

const SUBSCRIBED = new Set(['member_joined_channel', 'member_left_channel', 'app_home_opened']);

/** The schema a body must fit, or undefined for a kind copro does not handle (acked all the same). */
function schemaFor(body: Record<string, unknown>): z.ZodType | 'ignored' {
  if ('command' in body) return command;
  switch (body.type) {
    case 'block_actions':
      return blockActions;
    case 'view_submission':
      return viewSubmission;
    case 'event_callback': {
      const event = body.event as { type?: unknown } | null | undefined;
      // Bolt acknowledges Events API deliveries itself; only the ones copro listens to matter.
      if (event && typeof event === 'object' && !SUBSCRIBED.has(String(event.type))) return z.unknown();
      return eventCallback;
    }
    default:
      return 'ignored';
  }
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
  const schema = schemaFor(record);
  if (schema === 'ignored') {
    logger.info({ kind }, 'ignored a kind of Slack payload copro does not use');
    return true;
  }
  const result = schema.safeParse(body);
  if (result.success) return false;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.code}`);
  logger.warn({ kind, problems }, 'ignored a Slack payload copro cannot use');
  return true;
}
