import type { EventHandler, EventOutcome, InboundEvent } from './chat/index.js';
import { textMessage } from './chat/index.js';
import { type CommandHandlers, routeCommand } from './commands/router.js';
import type { AppDeps } from './deps.js';
import { digestFeature } from './digest/feature.js';
import { errorRef, UserError, unexpectedErrorText } from './errors.js';
import { firstTime } from './events.js';
import type { ActionHandler, Feature, FormHandler } from './features.js';
import { groupsFeature } from './groups/feature.js';
import { groupForChannel, groupsInWorkspace, groupsOfMember } from './groups/groups.js';
import { ensureMember, leaveGroup } from './groups/members.js';
import { homeMessage } from './home.js';
import type { JobHandlers, Sweep } from './jobs/index.js';
import { onboardingFeature } from './onboarding/feature.js';
import { pollsFeature } from './polls/feature.js';

/** Every feature copro has. A new feature adds itself here. */
export function defaultFeatures(deps: AppDeps): readonly Feature[] {
  return [groupsFeature, onboardingFeature(deps), pollsFeature(deps), digestFeature];
}

export interface App {
  /** Hand every inbound event here. Never throws: failures become plain answers. */
  readonly handle: EventHandler;
  /** Background work of every feature, by kind, for the scheduler. */
  readonly jobs: JobHandlers;
  readonly sweeps: readonly Sweep[];
}

export function createApp(deps: AppDeps, features: readonly Feature[] = defaultFeatures(deps)): App {
  const commands: CommandHandlers = Object.assign({}, ...features.map((f) => f.commands ?? {}));
  const actions: Record<string, ActionHandler> = Object.assign({}, ...features.map((f) => f.actions ?? {}));
  const forms: Record<string, FormHandler> = Object.assign({}, ...features.map((f) => f.forms ?? {}));

  async function dispatch(event: InboundEvent): Promise<EventOutcome | undefined> {
    switch (event.kind) {
      case 'command': {
        const reply = await routeCommand(deps, event, commands);
        await event.reply(reply.message, { private: !reply.public });
        return undefined;
      }
      case 'action': {
        const handler = actions[event.actionId];
        if (!handler) {
          await event.reply(
            textMessage('That button no longer works. Please type /copro help to find what you need.'),
          );
          return undefined;
        }
        await handler({ deps, event, actor: event.actor, member: await ensureMember(deps.db, event.actor) });
        return undefined;
      }
      case 'form': {
        const handler = forms[event.formId];
        if (!handler) throw new UserError('unknown_form', 'That form has expired. Please start again.');
        const errors = await handler({
          deps,
          event,
          actor: event.actor,
          member: await ensureMember(deps.db, event.actor),
        });
        return errors && Object.keys(errors).length > 0 ? { formErrors: errors } : undefined;
      }
      case 'memberJoined': {
        const { actor } = event;
        const group = event.channelId
          ? await groupForChannel(deps.db, actor.platform, actor.workspaceId, event.channelId)
          : (await groupsInWorkspace(deps.db, actor.platform, actor.workspaceId))[0];
        if (!group) return undefined;
        const member = await ensureMember(deps.db, actor);
        for (const feature of features) await feature.onMemberJoined?.(deps, group, member, event);
        return undefined;
      }
      case 'memberLeft': {
        const { actor } = event;
        const member = await ensureMember(deps.db, actor);
        const groups = event.channelId
          ? [await groupForChannel(deps.db, actor.platform, actor.workspaceId, event.channelId)]
          : await groupsOfMember(deps.db, member.id);
        for (const group of groups)
          if (group) await leaveGroup(deps.db, group.id, member.id, deps.clock.now());
        return undefined;
      }
      case 'homeOpened': {
        await event.show(await homeMessage(deps, features, await ensureMember(deps.db, event.actor)));
        return undefined;
      }
    }
  }

  async function handle(event: InboundEvent): Promise<EventOutcome | undefined> {
    try {
      if (!(await firstTime(deps.db, event.actor.platform, event.id))) {
        deps.logger.debug({ platform: event.actor.platform, kind: event.kind }, 'ignored a repeated event');
        return undefined;
      }
      return await dispatch(event);
    } catch (error) {
      return answerFailure(event, error);
    }
  }

  async function answerFailure(event: InboundEvent, error: unknown): Promise<EventOutcome | undefined> {
    let text: string;
    if (error instanceof UserError) {
      text = error.message;
      deps.logger.info({ code: error.code, kind: event.kind }, 'answered with a plain refusal');
    } else {
      const ref = errorRef();
      deps.logger.error({ ref, kind: event.kind, err: error }, 'unexpected failure while handling an event');
      text = unexpectedErrorText(ref);
    }
    if (!('reply' in event)) return undefined;
    try {
      await event.reply(textMessage(text), { private: true });
    } catch (replyError) {
      deps.logger.error({ err: replyError }, 'could not tell the person about a failure');
    }
    return undefined;
  }

  const jobs: JobHandlers = Object.assign({}, ...features.map((f) => f.jobs ?? {}));
  const sweeps = features.flatMap((f) => f.sweeps ?? []);
  return { handle, jobs, sweeps };
}
