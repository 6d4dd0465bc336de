import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { createChannelCommands } from './channel-commands.js';
import type { EventHandler, EventOutcome, InboundEvent } from './chat/index.js';
import { ceilingErrors, controlCharacterErrors, textMessage } from './chat/index.js';
import type { CommandId } from './commands/catalogue.js';
import { routeCommand } from './commands/router.js';
import type { AppDeps, FeatureDeps } from './deps.js';
import { digestFeature } from './digest/feature.js';
import {
  DATABASE_BUSY_KEEPING_TEXT,
  DATABASE_KEEPING_TEXT,
  DATABASE_UNAVAILABLE_TEXT,
  errorRef,
  isDatabaseUnavailable,
  UserError,
  unexpectedErrorText,
} from './errors.js';
import { createActionBatches, createGate } from './event-batches.js';
import { handleOnce, notHandled } from './events.js';
import type { CommandsOf, Feature } from './features.js';
import { groupsFeature } from './groups/feature.js';
import { groupForChannel, groupsInWorkspace, groupsOfMember } from './groups/groups.js';
import { ensureMember, findMember, leaveGroup, refreshMember } from './groups/members.js';
import { homeMessage } from './home.js';
import { involvementFeature } from './involvement/feature.js';
import type { JobHandlers, Sweep } from './jobs/index.js';
import { matchingFeature } from './matching/feature.js';
import { meetingsFeature } from './meetings/feature.js';
import { onboardingFeature } from './onboarding/feature.js';
import { pollsFeature } from './polls/feature.js';
import { privacyFeature } from './privacy/feature.js';
import { buildRegistry } from './registry.js';

/** Every feature copro has, in the order their parts appear in the digest and home view. */
const features = [
  groupsFeature,
  onboardingFeature,
  meetingsFeature,
  pollsFeature,
  matchingFeature,
  involvementFeature,
  digestFeature,
  // Last: its share of erasure (messages and jobs left by any feature) runs after the others'.
  privacyFeature,
] as const;

/**
 * Catalogue commands no feature implements yet: they answer "coming soon". A feature that builds
 * one takes it off this list (the check below fails while it is on both).
 */
type NotBuiltYet = never;

type Built = CommandsOf<(typeof features)[number]>;
/** Every catalogue command is built, answered by help, or explicitly not built yet; never two. */
const everyCommandAccountedFor: [
  Exclude<CommandId, Built | NotBuiltYet | 'help'>,
  Extract<Built, NotBuiltYet>,
] extends [never, never]
  ? true
  : never = true;
void everyCommandAccountedFor;

export function defaultFeatures(): readonly Feature[] {
  return features;
}

export interface App {
  /** Hand every inbound event here. Never throws: failures become plain answers. */
  readonly handle: EventHandler;
  /** Background work of every feature, by kind, for the scheduler. */
  readonly jobs: JobHandlers;
  readonly sweeps: readonly Sweep[];
}

/** Throws FeatureConflictError at once if two features claim the same id. */
export function createApp(base: AppDeps, features: readonly Feature[] = defaultFeatures()): App {
  const registry = buildRegistry(base, features);
  const { deps, commands, actions, forms } = registry;

  async function dispatch(deps: FeatureDeps, event: InboundEvent): Promise<EventOutcome | undefined> {
    switch (event.kind) {
      case 'command': {
        const reply = await routeCommand(deps, event, commands);
        await event.reply(reply.message, { private: !reply.public });
        return undefined;
      }
      case 'action': {
        const handler = actions.get(event.actionId);
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
        const handler = forms.get(event.formId);
        if (!handler) throw new UserError('unknown_form', 'That form has expired. Please start again.');
        // Each form checks its own limits; none takes an answer longer than any form allows.
        const errors =
          ceilingErrors(event.values) ??
          controlCharacterErrors(event.values) ??
          (await handler({
            deps,
            event,
            actor: event.actor,
            member: await ensureMember(deps.db, event.actor),
          }));
        if (!errors || Object.keys(errors).length === 0) return undefined;
        // Nothing was saved: pressing Submit again on the same answers must show the errors again.
        await notHandled(deps.db, event.actor.platform, [event.id], deps.voterSecret);
        return { formErrors: errors };
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
        for (const group of groups) {
          if (!group) continue;
          await leaveGroup(deps.db, group.id, member.id, deps.clock.now());
          for (const feature of features) await feature.onMemberLeft?.(deps, group, member, event);
        }
        return undefined;
      }
      case 'workspaceRemoved': {
        const space = { platform: event.actor.platform, workspaceId: event.actor.workspaceId };
        for (const feature of features) await feature.onWorkspaceRemoved?.(deps, space);
        return undefined;
      }
      case 'profileLearned':
        await refreshMember(deps.db, event.actor);
        return undefined;
      case 'homeOpened': {
        // Looking records nothing about someone copro does not know (just after forget-me, say).
        const known = await findMember(deps.db, event.actor);
        const member = known ? await ensureMember(deps.db, event.actor) : undefined;
        await event.show(await homeMessage(deps, features, member));
        return undefined;
      }
    }
  }

  // The database work of events, a few at a time: connections stay free to keep new deliveries.
  // A form's answer is awaited by the person (its field errors go in it), so it does not queue.
  const gate = createGate(EVENTS_AT_ONCE);
  const batches = createActionBatches({
    deps,
    batches: registry.actionBatches,
    gate,
    alone: (event) => handleAlone(event),
  });

  async function handleAndRecord(event: InboundEvent): Promise<EventOutcome | undefined> {
    const key = event.kind === 'action' ? batches.keyOf(event) : undefined;
    if (event.kind === 'action' && key !== undefined) {
      await batches.handle(event, key);
      return undefined;
    }
    return handleAlone(event);
  }

  async function handleAlone(event: InboundEvent): Promise<EventOutcome | undefined> {
    const once = () => handleOnce(deps, event, dispatch);
    const handled = await (event.kind === 'form' ? once() : gate(once));
    if (!handled.repeated) return handled.result;
    deps.logger.debug({ platform: event.actor.platform, kind: event.kind }, 'ignored a repeated event');
    return undefined;
  }

  const channelCommands = createChannelCommands();
  async function handle(event: InboundEvent): Promise<EventOutcome | undefined> {
    if (event.kind === 'command') return channelCommands.track(event, () => handleWhileDatabaseComes(event));
    if (event.kind === 'memberJoined' || event.kind === 'memberLeft') await channelCommands.settled(event);
    return handleWhileDatabaseComes(event);
  }

  async function handleWhileDatabaseComes(event: InboundEvent): Promise<EventOutcome | undefined> {
    // The database going away mid-way leaves the work unsure: the commit may have landed and only
    // its answer been lost. Told to try again, the person would do it twice (a vote on a
    // multiple-choice poll taken back). An event is handled once (handleOnce), so copro tries it
    // again itself once the database answers, and the second try finds it done or does it.
    // An event kept in the inbox waits for the database however long it is gone: its person may
    // have been told it is kept, and has nothing else to do. Others wait WAIT_FOR_DATABASE_MS.
    const started = Date.now();
    const kept = event.keptAs !== undefined;
    const left = () => (kept ? Number.POSITIVE_INFINITY : WAIT_FOR_DATABASE_MS - (Date.now() - started));
    let toldKept = false;
    // The person hears about it WAIT_FOR_DATABASE_MS after their work began, not after the failure
    // showed: finding the database gone can itself take a connection timeout.
    const nextWait = () =>
      Math.min(
        left(),
        kept && !toldKept
          ? Math.max(LAST_LOOK_MS, WAIT_FOR_DATABASE_MS - (Date.now() - started))
          : WAIT_FOR_DATABASE_MS,
      );
    const tellKept = async (text: string) => {
      toldKept = true;
      await tellPrivately(event, text);
    };
    let failedWhileAnswering = 0;
    for (;;) {
      try {
        return await handleAndRecord(event);
      } catch (error) {
        if (!isDatabaseUnavailable(error)) return answerFailure(event, error);
        // The database answers, yet the work failed in it: a statement timed out (a table held
        // locked), or the database was gone for a moment. Work nobody kept is answered after a
        // few tries. A kept event is tried again, less and less often, for as long as it takes.
        if (await databaseBack(deps.db, LAST_LOOK_MS)) {
          failedWhileAnswering++;
          if (!kept) {
            if (failedWhileAnswering === TRIES_WHILE_DATABASE_ANSWERS) return answerFailure(event, error);
            continue;
          }
          // Work that fails every time (a statement that always times out) must not hold its
          // place for ever: others wait behind it.
          if (Date.now() - started > KEPT_WHILE_ANSWERING_MS) return answerFailure(event, error);
          if (!toldKept && Date.now() - started >= WAIT_FOR_DATABASE_MS)
            await tellKept(DATABASE_BUSY_KEEPING_TEXT);
          await sleep(
            Math.min(
              RETRY_WHILE_ANSWERING_MS.first * 2 ** (failedWhileAnswering - 1),
              RETRY_WHILE_ANSWERING_MS.most,
            ),
          );
          continue;
        }
        while (!(await databaseBack(deps.db, nextWait()))) {
          if (left() <= 0) return answerFailure(event, error);
          // Kept in the inbox, it is not lost: the person hears so, once, rather than nothing.
          if (kept && !toldKept) await tellKept(DATABASE_KEEPING_TEXT);
        }
      }
    }
  }

  async function tellPrivately(event: InboundEvent, text: string): Promise<void> {
    if (!('reply' in event)) return;
    try {
      await event.reply(textMessage(text), { private: true });
    } catch (replyError) {
      deps.logger.error({ err: replyError }, 'could not tell the person about a failure');
    }
  }

  async function answerFailure(event: InboundEvent, error: unknown): Promise<EventOutcome | undefined> {
    let text: string;
    if (error instanceof UserError) {
      text = error.message;
      deps.logger.info({ code: error.code, kind: event.kind }, 'answered with a plain refusal');
    } else if (isDatabaseUnavailable(error)) {
      deps.logger.error({ ref: errorRef(), kind: event.kind, err: error }, 'the database is out of reach');
      text = DATABASE_UNAVAILABLE_TEXT;
    } else {
      const ref = errorRef();
      deps.logger.error({ ref, kind: event.kind, err: error }, 'unexpected failure while handling an event');
      text = unexpectedErrorText(ref);
    }
    await tellPrivately(event, text);
    return undefined;
  }

  const sweeps = features.flatMap((f) =>
    (f.sweeps ?? []).map(
      (sweep): Sweep =>
        (db, now) =>
          sweep(db, now, deps),
    ),
  );
  return { handle, jobs: registry.jobs, sweeps };
}

/** Events whose database work runs at the same time (a server pool has 10 connections). */
const EVENTS_AT_ONCE = 4;

/** How long handling that lost its database waits for it to come back before telling the person. */
const WAIT_FOR_DATABASE_MS = 10_000;
/** How long the database gets to answer a look before it counts as gone. */
const LAST_LOOK_MS = 1_000;
/** Tries of work nobody kept that fail while the database answers (its statements time out, say). */
const TRIES_WHILE_DATABASE_ANSWERS = 3;
/** How long a kept event is tried again while the database answers and the work fails in it. */
const KEPT_WHILE_ANSWERING_MS = 10 * 60_000;
/** How long a kept event waits before it is tried again after such a failure: 1 s, 2 s, 4 s … 30 s. */
const RETRY_WHILE_ANSWERING_MS = { first: 1_000, most: 30_000 } as const satisfies Record<string, number>;

/** True once the database answers again within `ms`, asking every half second. */
async function databaseBack(db: AppDeps['db'], ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const left = deadline - Date.now();
    const answered = await Promise.race([
      db.execute(sql`select 1`).then(
        () => true,
        () => false,
      ),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), left).unref()),
    ]);
    if (answered) return true;
    await new Promise((resolve) => setTimeout(resolve, Math.min(500, Math.max(0, deadline - Date.now()))));
  }
  return false;
}
