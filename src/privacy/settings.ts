/** `/copro privacy settings`: how long a group keeps data it no longer needs (coordinators). */
import { eq } from 'drizzle-orm';
import { schema } from '../../db/client.js';
import { textMessage } from '../chat/index.js';
import type { ContextOf, Reply } from '../commands/types.js';
import type { FormContext } from '../features.js';
import { audit } from '../groups/audit.js';
import { groupById } from '../groups/groups.js';
import { requireCoordinator } from '../groups/roles.js';
import { DEFAULT_AUDIT_YEARS, DEFAULT_LEFT_MONTHS } from './retention.js';

export const SETTINGS_FORM = 'privacy.settings';
const LIMITS = { months: 3, years: 2 } as const;
const RANGE = { months: [1, 120], years: [1, 20] } as const;

export async function privacySettingsCommand(ctx: ContextOf<'privacy.settings'>): Promise<Reply> {
  const { group, deps } = ctx;
  const [current] = await deps.db
    .select()
    .from(schema.privacySettings)
    .where(eq(schema.privacySettings.groupId, group.id));
  await ctx.event.openForm({
    id: SETTINGS_FORM,
    title: 'Privacy settings',
    submitLabel: 'Save',
    state: String(group.id),
    fields: [
      {
        kind: 'short',
        id: 'months',
        label: 'Months to keep the data of people who left',
        hint: 'When someone has left all their groups, copro waits this many months, then deletes what it holds about them (1 to 120).',
        required: true,
        initial: String(current?.leftRetentionMonths ?? DEFAULT_LEFT_MONTHS),
        maxLength: LIMITS.months,
      },
      {
        kind: 'short',
        id: 'years',
        label: "Years to keep the coordinators' record",
        hint: 'The record of actions such as roles given. Older entries are deleted (1 to 20).',
        required: true,
        initial: String(current?.auditRetentionYears ?? DEFAULT_AUDIT_YEARS),
        maxLength: LIMITS.years,
      },
    ],
  });
  return { message: textMessage('The privacy settings form is open.') };
}

function whole(value: unknown, [min, max]: readonly [number, number]): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.toString().trim() ?? '';
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= min && n <= max ? n : undefined;
}

export async function savePrivacySettings(
  ctx: FormContext,
): Promise<Readonly<Record<string, string>> | undefined> {
  const group = await groupById(ctx.deps.db, Number(ctx.event.state));
  await requireCoordinator(ctx.deps.db, group.id, ctx.member.id, 'change the privacy settings');
  // Too long is out of range too: the range says what to type ("121" is not "too many characters").
  const errors: Record<string, string> = {};
  const months = whole(ctx.event.values.months, RANGE.months);
  const years = whole(ctx.event.values.years, RANGE.years);
  if (months === undefined && !errors.months)
    errors.months = 'Please give a whole number of months from 1 to 120.';
  if (years === undefined && !errors.years)
    errors.years = 'Please give a whole number of years from 1 to 20.';
  if (months === undefined || years === undefined || Object.keys(errors).length > 0) return errors;

  const now = ctx.deps.clock.now();
  const s = schema.privacySettings;
  await ctx.deps.db.transaction(async (tx) => {
    const values = { leftRetentionMonths: months, auditRetentionYears: years, updatedAt: now };
    await tx
      .insert(s)
      .values({ groupId: group.id, ...values })
      .onConflictDoUpdate({ target: s.groupId, set: values });
    await audit(tx, {
      groupId: group.id,
      actorMemberId: ctx.member.id,
      action: 'privacy.settings',
      details: { months, years },
      at: now,
    });
  });
  await ctx.event.reply(
    textMessage(
      `Saved. copro will delete what it holds about people ${months} ${months === 1 ? 'month' : 'months'} after they leave. It keeps the record of what coordinators did for ${years} ${years === 1 ? 'year' : 'years'}.`,
    ),
  );
  return undefined;
}
