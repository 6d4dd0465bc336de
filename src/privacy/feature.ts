import { textMessage } from '../chat/index.js';
import type { ContextOf, Reply } from '../commands/types.js';
import type { ActionContext } from '../features.js';
import { defineFeature } from '../features.js';
import { groupsOfMember } from '../groups/groups.js';
import { coordinatorsOf } from '../groups/roles.js';
import { outboxPersonalData } from '../jobs/personal-data.js';
import { collectExport, exportFile, exportSummary } from './export.js';
import { erasePerson, FORGET_ACTION, forgetConfirmation, KEEP_ACTION } from './forget.js';

/** /copro my-data: everything every feature holds about the person, as a summary and a file. */
async function myData(ctx: ContextOf<'my-data'>): Promise<Reply> {
  const { deps, member } = ctx;
  const sections = await collectExport(deps.personalData, {
    db: deps.db,
    member,
    encryptionKey: deps.encryptionKey,
  });
  const file = exportFile(sections, member, deps.clock.now());
  deps.logger.info({ sections: sections.length }, 'a member asked for their data');
  return { message: exportSummary(sections, file) };
}

/** /copro forget-me: first say what goes and what stays; nothing happens until they confirm. */
async function forgetMe(ctx: ContextOf<'forget-me'>): Promise<Reply> {
  const { deps, member } = ctx;
  const lastCoordinatorOf: string[] = [];
  for (const group of await groupsOfMember(deps.db, member.id)) {
    const coordinators = await coordinatorsOf(deps.db, group.id);
    if (coordinators.length === 1 && coordinators[0]?.id === member.id) lastCoordinatorOf.push(group.name);
  }
  return { message: forgetConfirmation(deps.personalData, { memberId: member.id, lastCoordinatorOf }) };
}

async function confirmForget({ deps, event, member }: ActionContext): Promise<void> {
  // The button carries who it was shown to: only that person's own click erases them.
  if (event.value !== String(member.id)) {
    await event.reply(textMessage('That button was meant for someone else, so nothing was deleted.'), {
      private: true,
    });
    return;
  }
  await erasePerson(deps.db, deps.personalData, member, deps.clock.now());
  deps.logger.info('personal data erased at the request of the person it was about');
  await event.updateMessage(
    textMessage(
      'Done. copro has deleted everything it held about you. Group totals (votes counted, pairs that met) stay, without your name. Thank you for the time you gave the group.',
    ),
  );
}

async function keep({ event }: ActionContext): Promise<void> {
  await event.updateMessage(textMessage('Nothing was deleted. copro still holds your data as before.'));
}

/**
 * The personal-data lifecycle: my-data and forget-me, composed from every feature's
 * `personalData`. Its own declaration covers the tables all features share (outbox and jobs).
 */
export const privacyFeature = defineFeature({
  name: 'privacy',
  commands: { 'my-data': myData, 'forget-me': forgetMe },
  actions: { [FORGET_ACTION]: confirmForget, [KEEP_ACTION]: keep },
  personalData: outboxPersonalData,
});
