import type { App } from '@slack/bolt';
import type { ActionEvent, CommandEvent, EventOutcome, InboundEvent } from '../../src/chat/index.js';
import { errorRef } from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';
import type { ActorLookup, ChannelCreatorLookup } from './actors.js';
import type { ChannelMembership } from './channel-members.js';
import type { ClickActors } from './click-actors.js';
import { createDoubleClickFilter } from './double-click.js';
import type { ReplyWhenFree } from './held-replies.js';
import {
  actionEvent,
  type BlockActionBody,
  commandEvent,
  formEvent,
  homeOpenedEvent,
  type InboundTools,
  memberEvent,
  type Respond,
  type SlashCommandBody,
  type ViewSubmissionBody,
  workspaceRemovedEvent,
} from './inbound.js';
import { KEPT_AS, KEPT_RELEASED, RECOVERED } from './intake.js';
import { SLACK_EVENTS } from './subscribed.js';

const SUBSCRIBED = new RegExp(`^(${SLACK_EVENTS.join('|')})$`);

/** Slack wants an answer within 3 seconds; a form's field errors must be in that answer. */
const DEFAULT_FORM_ANSWER_WITHIN_MS = 2500;

export interface ListenerContext {
  /** Hands an event to the core; never throws. */
  readonly run: (event: InboundEvent) => Promise<EventOutcome | undefined>;
  readonly actorFor: ActorLookup;
  /** Who clicked, without waiting on Slack in a busy moment (click-actors.ts). */
  readonly clickActors?: ClickActors;
  /** Work the core leaves running after a click: stop() waits for it (ActionEvent.leaveRunning). */
  readonly track: (work: Promise<unknown>) => unknown;
  /** Sends a click's answers once other deliveries are handled (held-replies.ts). */
  readonly replyWhenFree?: ReplyWhenFree;
  readonly creatorOf: ChannelCreatorLookup;
  readonly tools: InboundTools;
  readonly botUserId: string | undefined;
  readonly logger: Logger;
  /** How long a form submission may wait for the core (tests shorten it). */
  readonly formAnswerWithinMs?: number;
  /** Told of every join and leave, so a kept member list is not trusted after one. */
  readonly membership: Pick<ChannelMembership, 'changed'>;
}

/**
 * What copro listens to. Commands and clicks are acknowledged first (Slack waits 3 seconds at
 * most) and handled after; a form waits for the core, because field errors go in the answer.
 */
export function listen(bolt: App, ctx: ListenerContext): void {
  const {
    run,
    track,
    actorFor,
    clickActors,
    creatorOf,
    tools,
    botUserId,
    logger,
    membership,
    replyWhenFree,
  } = ctx;

  bolt.command(/.*/, async ({ ack, body, respond, context }) => {
    await ack();
    const command = body as unknown as SlashCommandBody;
    const actor = await actorFor(command.team_id, command.user_id, command.user_name);
    // Many coordinators are not workspace admins: the person who created a channel may also set
    // copro up in it. Only asked for someone who is not an admin, in a channel (not a DM).
    const channel = command.channel_id;
    const creator =
      !actor.isPlatformAdmin && channel && /^[CG]/.test(channel) ? await creatorOf(channel) : undefined;
    const mayAdminister = actor.isPlatformAdmin || creator === command.user_id;
    await run(
      afterRestart(
        commandEvent(command, { ...actor, isPlatformAdmin: mayAdminister }, respond as Respond, tools),
        context,
        logger,
      ),
    );
  });

  const isDoubleClick = createDoubleClickFilter();

  bolt.action({ type: 'block_actions' }, async ({ ack, body, respond, context }) => {
    await ack();
    const click = body as unknown as BlockActionBody & { user: { team_id?: string } };
    const action = click.actions[0];
    const where = click.container?.message_ts ?? click.container?.view_id ?? '';
    const value = action?.value ?? action?.selected_option?.value ?? '';
    if (isDoubleClick(`${click.user.id}:${where}`, `${action?.action_id}:${value}`, action?.action_ts)) {
      logger.debug({ actionId: action?.action_id }, 'ignored a double click');
      return;
    }
    const team = click.team?.id ?? click.user.team_id ?? '';
    const { actor, learnLater } = clickActors
      ? await clickActors.actorFor(team, click.user.id, click.user.name)
      : { actor: await actorFor(team, click.user.id, click.user.name), learnLater: undefined };
    const url = click.response_url;
    const answer =
      replyWhenFree && url
        ? (message: Record<string, unknown>) =>
            replyWhenFree(url, message, () => (respond as Respond)(message).then(() => {}))
        : (respond as Respond | undefined);
    const event = actionEvent(click, actor, answer, tools);
    if (event)
      await run({ ...afterRestart(event, context, logger), leaveRunning: (work) => void track(work) });
    // After: what the click recorded of them is there to bring up to date.
    learnLater?.();
  });

  bolt.view(/.*/, async ({ ack, body, context }) => {
    const submission = body as unknown as ViewSubmissionBody & { user: { team_id?: string } };
    const work = (async () => {
      const team = submission.team?.id ?? submission.user.team_id ?? '';
      const actor = await actorFor(team, submission.user.id, submission.user.name);
      return run(kept(formEvent(submission, actor, tools), context));
    })();
    const outcome = await Promise.race([
      work,
      delay(ctx.formAnswerWithinMs ?? DEFAULT_FORM_ANSWER_WITHIN_MS).then(() => 'late' as const),
    ]);
    if (outcome === 'late') {
      // Too slow to answer inside Slack's window: close the form now and let the work finish.
      await ack();
      const late = await work;
      if (late?.formErrors)
        logger.warn({ formId: submission.view.callback_id }, 'form errors came too late to show');
      return;
    }
    const errors = outcome?.formErrors;
    if (errors && Object.keys(errors).length > 0)
      await ack({ response_action: 'errors', errors: { ...errors } });
    else await ack();
  });

  // One listener for every event copro subscribes to: Bolt runs each listener's matchers on every
  // delivery, a vote click included, so five listeners cost five times the routing of one.
  bolt.event(SUBSCRIBED, async ({ event, body }) => {
    const { team_id: teamId, event_id: eventId } = body;
    if (event.type === 'member_joined_channel' || event.type === 'member_left_channel') {
      membership.changed(event.channel);
      if (event.user === botUserId) return; // the bot itself being invited is not a member joining
      const actor = await actorFor(teamId, event.user);
      if (actor.isBot) return;
      const kind = event.type === 'member_joined_channel' ? 'memberJoined' : 'memberLeft';
      await run(memberEvent(kind, eventId, actor, event.channel));
    } else if (event.type === 'app_uninstalled') {
      // The workspace removed copro: uninstalled it, or revoked its bot token (it has no user tokens).
      await run(workspaceRemovedEvent(eventId, teamId));
    } else if (event.type === 'tokens_revoked') {
      if ((event.tokens.bot ?? []).length > 0) await run(workspaceRemovedEvent(eventId, teamId));
    } else if (event.type === 'app_home_opened' && event.tab === 'home') {
      await run(homeOpenedEvent(eventId, await actorFor(teamId, event.user), tools));
    }
  });

  bolt.error(async (error) => {
    logger.error({ ref: errorRef(), err: error }, 'Slack request failed');
  });
}

/** The event with the inbox row its delivery was kept in, so the core lets it go with its effects. */
function kept<T extends InboundEvent>(event: T, context: Record<string, unknown>): T {
  const id = context[KEPT_AS];
  const released = context[KEPT_RELEASED];
  if (typeof id !== 'string') return event;
  return { ...event, keptAs: id, ...(typeof released === 'function' ? { keptReleased: released } : {}) };
}

/**
 * The event as the core should see it: with its inbox row, and, for a delivery handled again after
 * a restart (acknowledged long ago), no form. Its replies still reach the person through
 * response_url, but a form cannot open: Slack's trigger for it lasts 3 seconds.
 */
function afterRestart<T extends CommandEvent | ActionEvent>(
  event: T,
  context: Record<string, unknown>,
  logger: Logger,
): T {
  if (context[RECOVERED] !== true) return kept(event, context);
  return {
    ...kept(event, context),
    openForm: async () => {
      logger.info({ kind: event.kind }, 'did not open a form for a delivery handled after a restart');
    },
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
