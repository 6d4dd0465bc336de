import { eq } from 'drizzle-orm';
import { schema } from '../../db/client.js';
import { lengthErrors, textMessage } from '../chat/index.js';
import type { CommandContext, Reply } from '../commands/types.js';
import { UserError } from '../errors.js';
import type { FormContext } from '../features.js';
import { readTimezone } from '../time.js';
import { audit } from './audit.js';
import { groupById } from './groups.js';
import { requireCoordinator } from './roles.js';

/** The most characters each answer may have: the form's boxes and the check on saving use these. */
const LIMITS = { name: 80, timezone: 60 } as const;

/** `/copro group settings`: a form, filled in with the group's name and timezone as they are. */
export async function groupSettings(ctx: CommandContext): Promise<Reply> {
  const group = ctx.group;
  if (!group) throw new UserError('no_group', 'Run /copro group settings in the group’s channel.');
  await ctx.event.openForm({
    id: 'group.settings',
    title: 'Group settings',
    submitLabel: 'Save',
    state: String(group.id),
    fields: [
      {
        kind: 'short',
        id: 'name',
        label: 'Name of the group',
        required: true,
        initial: group.name,
        maxLength: LIMITS.name,
      },
      {
        kind: 'short',
        id: 'timezone',
        label: 'Timezone (a place name)',
        hint: 'Times such as the weekly digest follow this, including summer time. For example Europe/London.',
        required: true,
        initial: group.timezone,
        maxLength: LIMITS.timezone,
      },
    ],
  });
  return { message: textMessage('The group settings form is open.') };
}

/** Saves the form: checks each answer, says what is wrong with it, and changes nothing until both are right. */
export async function saveGroupSettings(
  ctx: FormContext,
): Promise<Readonly<Record<string, string>> | undefined> {
  const group = await groupById(ctx.deps.db, Number(ctx.event.state));
  await requireCoordinator(ctx.deps.db, group.id, ctx.member.id, 'change the group settings');
  const text = (id: string) => {
    const v = ctx.event.values[id];
    return (Array.isArray(v) ? v[0] : v)?.trim() ?? '';
  };
  const errors: Record<string, string> = { ...lengthErrors(LIMITS, ctx.event.values) };
  const name = text('name');
  if (name === '') errors.name = 'Please give the group a name.';
  const zone = readTimezone(text('timezone') || ' ');
  if (!zone.ok && !errors.timezone)
    errors.timezone =
      text('timezone') === '' ? 'Please give a timezone, such as Europe/London.' : zone.problem;
  if (!zone.ok || Object.keys(errors).length > 0) return errors;

  const changes = { name, timezone: zone.zone };
  if (name === group.name && zone.zone === group.timezone) {
    await ctx.event.reply(textMessage('Nothing changed: the name and timezone were already those.'));
    return undefined;
  }
  await ctx.deps.db.transaction(async (tx) => {
    await tx.update(schema.groups).set(changes).where(eq(schema.groups.id, group.id));
    await audit(tx, {
      groupId: group.id,
      actorMemberId: ctx.member.id,
      action: 'group.settings',
      details: { from: { name: group.name, timezone: group.timezone }, to: changes },
      at: ctx.deps.clock.now(),
    });
  });
  await ctx.event.reply(
    textMessage(`Saved. The group is called ${name}, and its times are shown for ${zone.zone}.`),
  );
  return undefined;
}
