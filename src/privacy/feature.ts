import { textMessage } from '../chat/index.js';
import { privately } from '../commands/reply.js';
import type { ContextOf, Reply } from '../commands/types.js';
import type { ActionContext } from '../features.js';
import { defineFeature } from '../features.js';
import { outboxPersonalData } from '../jobs/personal-data.js';
import { collectExport, exportFile, exportSummary } from './export.js';
import { KEEP_ACTION } from './forget.js';
import {
  confirmForgetMe,
  confirmForgetOther,
  FORGET_ACTION,
  FORGET_OTHER_ACTION,
  forgetMe,
  forgetOther,
} from './forget-commands.js';
import { applyRetention, ensureRetentionScheduled, RETENTION_JOB } from './retention.js';
import { privacySettingsCommand, SETTINGS_FORM, savePrivacySettings } from './settings.js';
import {
  ERASE_WORKSPACE_JOB,
  eraseWorkspace,
  keepRemovedWorkspacesStopped,
  workspaceRemoved,
} from './workspaces.js';

const NOTHING_HELD =
  'copro holds nothing about you: it has no record of you at all, so there is nothing to show or delete.';

/** /copro my-data: everything every feature holds about the person, as a summary and a file. */
async function myData(ctx: ContextOf<'my-data'>): Promise<Reply> {
  const { deps, member } = ctx;
  if (ctx.unrecorded) return privately(NOTHING_HELD);
  const sections = await collectExport(deps.personalData, {
    db: deps.db,
    member,
    encryptionKey: deps.encryptionKey,
  });
  const file = exportFile(sections, member, deps.clock.now());
  deps.logger.info({ sections: sections.length }, 'a member asked for their data');
  return { message: exportSummary(sections, file) };
}

async function keep({ event }: ActionContext): Promise<void> {
  await event.updateMessage(textMessage('Nothing was deleted. copro still holds the data as before.'));
}

/**
 * The personal-data lifecycle: my-data and forget-me, composed from every feature's
 * `personalData`. Its own declaration covers the tables all features share (outbox and jobs).
 */
export const privacyFeature = defineFeature({
  name: 'privacy',
  commands: {
    'my-data': myData,
    'forget-me': forgetMe,
    forget: forgetOther,
    'privacy.settings': privacySettingsCommand,
  },
  actions: {
    [FORGET_ACTION]: confirmForgetMe,
    [FORGET_OTHER_ACTION]: confirmForgetOther,
    [KEEP_ACTION]: keep,
  },
  forms: { [SETTINGS_FORM]: savePrivacySettings },
  jobs: {
    [RETENTION_JOB]: {
      // Each run deletes everything due by then, so missed days collapse into one run.
      policy: 'collapse',
      async run(ctx) {
        const done = await applyRetention(ctx.tx, ctx.deps.personalData, ctx.now, ctx.deps.voterSecret);
        ctx.logger.info(done, 'retention applied');
      },
      describe: () =>
        'delete the data of people who left long ago, and old entries of the coordinators’ record',
    },
    [ERASE_WORKSPACE_JOB]: {
      // However late, a workspace that removed copro is erased once its grace period is over.
      policy: 'run-once',
      async run(ctx) {
        const people = await eraseWorkspace(
          ctx.tx,
          ctx.deps.personalData,
          ctx.payload,
          ctx.now,
          ctx.deps.voterSecret,
        );
        ctx.logger.info({ platform: ctx.payload.platform, people }, 'a removed workspace was erased');
      },
      describe: () => 'erase the data of a workspace that removed copro',
    },
  },
  // Runs after every other feature's sweeps (privacy is last in the list): work they plan for a
  // removed workspace is cancelled before it can run.
  sweeps: [ensureRetentionScheduled, keepRemovedWorkspacesStopped],
  onWorkspaceRemoved: workspaceRemoved,
  personalData: {
    ...outboxPersonalData,
    sealed: [{ column: 'sealed_secrets.secret_sealed', context: (row) => `sealed_secrets:${row.name}` }],
  },
});
