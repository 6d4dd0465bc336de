/** What the member sees at each step: one short message, a few buttons, and always "Not now". */
import { type Block, type Button, literal, type Message } from '../chat/index.js';
import type { GroupRow, MemberRow, RoleRow } from '../groups/types.js';
import { listOf, mention } from '../text.js';
import { type JourneyShape, position, type Step } from './journey.js';
import { packBlocks, type ResolvedPack } from './pack.js';
import type { JourneyRow, ProfileRow } from './store.js';

export const STEP_ACTION = 'onboarding.step';
export const NOT_NOW_ACTION = 'onboarding.not-now';

export interface StepView {
  readonly group: GroupRow;
  readonly member: MemberRow;
  readonly journey: JourneyRow;
  readonly step: Step;
  readonly shape: JourneyShape;
  readonly pack: ResolvedPack;
  readonly roles: readonly RoleRow[];
  readonly coordinators: readonly MemberRow[];
  /** Roles a newcomer may choose for themselves, when the group allows it. */
  readonly selfRoles: readonly RoleRow[];
  readonly profile: ProfileRow | undefined;
}

/** A button's value: which group, which step it belongs to, and the answer. */
export const stepValue = (groupId: number, step: Step, answer: string) => `${groupId}:${step}:${answer}`;

export function parseStepValue(value: string): { groupId: number; step: string; answer: string } | undefined {
  const [id = '', step = '', ...rest] = value.split(':');
  const groupId = Number(id);
  if (!/^\d{1,9}$/.test(id) || !step) return undefined;
  return { groupId, step, answer: rest.join(':') };
}

function contactLine(view: StepView): string {
  const c = view.coordinators;
  return c.length > 0
    ? `Questions? Ask ${listOf(c.map(mention))}, the ${c.length > 1 ? 'coordinators' : 'coordinator'}.`
    : '';
}

function stepTitle(view: StepView, title: string): string {
  const { number, of } = position(view.step, view.shape);
  return `${title} (step ${number} of ${of})`;
}

function compose(
  heading: string | undefined,
  body: readonly Block[],
  buttons: readonly Button[],
  groupId: number,
  extra?: string,
): Message {
  const all: Button[] = [...buttons, { actionId: NOT_NOW_ACTION, label: 'Not now', value: String(groupId) }];
  const texts = body.flatMap((b) =>
    b.type === 'text' || b.type === 'context' ? [b.text.replace(/\*\*/g, '')] : [],
  );
  const choicesLine = `Choices: ${all.map((b) => b.label).join(', ')}.`;
  return {
    text: [...(heading ? [heading] : []), ...texts, choicesLine].join('\n'),
    blocks: [
      ...(heading ? [{ type: 'heading' as const, text: heading }] : []),
      ...body,
      { type: 'buttons', buttons: all },
      ...(extra ? [{ type: 'context' as const, text: extra }] : []),
    ],
  };
}

/**
 * The message for the member's step. `resent` is for a step sent as a new message (carrying on
 * after Not now, the reminder) rather than replacing the last one: it must make sense on its own.
 */
export function stepMessage(view: StepView, resent = false): Message {
  const { group, step, journey } = view;
  const groupName = literal(group.name);
  const g = group.id;
  const go = (answer: string, label: string, style: Button['style'] = 'default'): Button => ({
    actionId: STEP_ACTION,
    label,
    value: stepValue(g, step, answer),
    style,
  });
  switch (step) {
    case 'welcome': {
      const text = [
        'This is a co-production group. Patients, carers, researchers and clinicians are equals here.',
        'Stop with Not now. Carry on with /copro join.',
        contactLine(view),
      ]
        .filter(Boolean)
        .join('\n');
      return compose(
        `Welcome to ${groupName}`,
        [{ type: 'text', text }],
        [go('start', 'Start', 'primary')],
        g,
      );
    }
    case 'pack': {
      const { blocks } = packBlocks(view);
      return compose(
        stepTitle(view, `About ${groupName}`),
        blocks,
        [go('read', 'I have read this', 'primary')],
        g,
      );
    }
    case 'checklist': {
      const index = journey.confirmed.length;
      const item = view.pack.checklist[index] ?? '';
      const total = view.pack.checklist.length;
      // The first item (or one sent afresh) says what this is; the next ones replace it in place.
      const first = index === 0 || resent;
      const text = `**${index + 1} of ${total}:** ${literal(item)}`;
      return compose(
        first ? stepTitle(view, 'Expectations') : undefined,
        [{ type: 'text', text }],
        [go(`agree-${index}`, 'I agree', 'primary')],
        g,
      );
    }
    case 'profile': {
      return compose(
        stepTitle(view, 'Your profile'),
        [],
        [go('open', 'Fill in my profile', 'primary'), go('skip', 'Skip')],
        g,
      );
    }
    case 'access': {
      const text = [
        'What helps you take part? Coordinators use it to plan.',
        'Only you and the coordinators see it. You can delete it any time. May copro keep it?',
      ].join('\n');
      return compose(
        stepTitle(view, 'Access needs'),
        [{ type: 'text', text }],
        [go('consent', 'Yes, I agree', 'primary'), go('skip', 'No thanks')],
        g,
      );
    }
    case 'buddy': {
      const text = 'Would you like a buddy to help you settle in?';
      return compose(
        stepTitle(view, 'A buddy'),
        [{ type: 'text', text }],
        [go('yes', 'Yes please', 'primary'), go('no', 'No thanks')],
        g,
      );
    }
    case 'role': {
      const lines = view.selfRoles
        .map((r) => `- **${literal(r.name)}**: ${literal(r.description)}`)
        .join('\n');
      const text = `Would you like to add a role that describes you?\n${lines}\nThese roles can say something about your health or your family, so copro never announces them. You choose later whether the group sees yours.`;
      return compose(
        stepTitle(view, 'Your role'),
        [{ type: 'text', text }],
        [...view.selfRoles.map((r) => go(`role-${r.key}`, r.name)), go('none', 'No thanks')],
        g,
      );
    }
    case 'announce': {
      const text = `Shall I say hello for you in <#${group.homeChannelId}>? Only your name is shared.`;
      return compose(
        stepTitle(view, 'Say hello'),
        [{ type: 'text', text }],
        [go('yes', 'Yes please', 'primary'), go('no', 'No thanks')],
        g,
      );
    }
    case 'done':
      return doneMessage(view);
  }
}

export function doneMessage(view: StepView): Message {
  const name = view.profile?.preferredName ?? view.member.displayName;
  const next = [
    `News is in <#${view.group.homeChannelId}>.`,
    ...(view.profile?.wantsBuddy ? ['A coordinator will find you a buddy soon.'] : []),
    '/copro profile changes your answers.',
  ];
  const heading = 'You are all set';
  const text = `Thank you, ${literal(name)}!\n${next.map((l) => `- ${l}`).join('\n')}`;
  return {
    text: `${heading}\n${text}`,
    blocks: [
      { type: 'heading', text: heading },
      { type: 'text', text },
    ],
  };
}

export function pausedMessage(group: GroupRow): Message {
  const text = `No problem. Your answers so far are kept, and copro will not remind you. When you are ready, type /copro join in <#${group.homeChannelId}> to carry on.`;
  return { text, blocks: [{ type: 'text', text }] };
}

export function reminderMessage(view: StepView): Message {
  const { number, of } = position(view.step, view.shape);
  const text = `A gentle reminder from ${literal(view.group.name)}: your welcome is waiting at step ${number} of ${of}, whenever suits you. There is no rush, and this is the only reminder.`;
  const step = stepMessage(view, true);
  return {
    text: `${text}\n${step.text}`,
    blocks: [{ type: 'text', text }, { type: 'divider' }, ...(step.blocks ?? [])],
  };
}
