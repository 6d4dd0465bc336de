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
    ? `If you have a question, ${listOf(c.map(mention))} ${c.length > 1 ? 'coordinate' : 'coordinates'} the group and will be glad to help.`
    : '';
}

function stepTitle(view: StepView, title: string): string {
  const { number, of } = position(view.step, view.shape);
  return `${title} (step ${number} of ${of})`;
}

function compose(
  heading: string,
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
    text: [heading, ...texts, choicesLine].join('\n'),
    blocks: [
      { type: 'heading', text: heading },
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
        'This is a co-production group: patients, carers, researchers and clinicians working together as equal partners.',
        'I will show you around in a few short steps, about two minutes in all. You can stop at any time with Not now, and carry on later with /copro join.',
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
      const intro =
        index === 0 || resent ? 'What you can expect, and what we ask. Please confirm each one.\n' : '';
      const text = `${intro}**${index + 1} of ${total}:** ${literal(item)}`;
      const c = view.coordinators;
      return compose(
        stepTitle(view, 'Expectations'),
        [{ type: 'text', text }],
        [go(`agree-${index}`, 'I understand and agree', 'primary')],
        g,
        `Not sure about one? Ask ${c.length > 0 ? listOf(c.map(mention)) : 'a coordinator'}. Nothing is final.`,
      );
    }
    case 'profile': {
      const text =
        'A little about you: your name, timezone, how you like to be contacted, and your interests. You can change it later with /copro profile.';
      return compose(
        stepTitle(view, 'Your profile'),
        [{ type: 'text', text }],
        [go('open', 'Fill in my profile', 'primary'), go('skip', 'Skip this step')],
        g,
      );
    }
    case 'access': {
      const text = [
        'Access needs (optional). Tell us what helps you take part, such as papers a week ahead, large print or captions, so coordinators can plan for it.',
        'Only you and the coordinators see your answers. They are stored encrypted, and nothing is stored unless you agree. You can delete them at any time with /copro profile.',
        'May copro keep what you tell us?',
      ].join('\n');
      return compose(
        stepTitle(view, 'Access needs'),
        [{ type: 'text', text }],
        [go('consent', 'Yes, I agree', 'primary'), go('skip', 'No thanks')],
        g,
      );
    }
    case 'buddy': {
      const text =
        'Would you like a buddy? A buddy is a more experienced member, a friendly first contact while you settle in.';
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
      const text = `Shall I say hello to the group for you, with a short welcome and your name in <#${group.homeChannelId}>? Nothing else about you is shared.`;
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
    `Group news is in <#${view.group.homeChannelId}>, with a short digest each week.`,
    ...(view.profile?.wantsBuddy ? ['A coordinator will pair you with a buddy soon.'] : []),
    'Change your answers at any time with /copro profile.',
    ...(view.coordinators.length > 0 ? [`Questions? Ask ${listOf(view.coordinators.map(mention))}.`] : []),
  ];
  const text = `Thank you, ${literal(name)}. You are all set, and very welcome in ${literal(view.group.name)}.\nWhat happens next:\n${next.map((l) => `- ${l}`).join('\n')}`;
  return {
    text,
    blocks: [
      { type: 'heading', text: 'You are all set' },
      { type: 'text', text },
    ],
  };
}

export function pausedMessage(group: GroupRow): Message {
  const text = `No problem. Everything you have answered so far is kept, and copro will not remind you. When you are ready, type /copro join in <#${group.homeChannelId}> to carry on where you left off.`;
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
