/** What the member sees at each step: one short message, a few buttons, and always "Not now". */
import type { Block, Button, Message } from '../chat/index.js';
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
      {
        type: 'context',
        text: extra ?? 'Not now keeps your answers. Type /copro join whenever you want to carry on.',
      },
    ],
  };
}

export function stepMessage(view: StepView): Message {
  const { group, step, journey } = view;
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
        `Welcome to ${group.name}!`,
        'This is a co-production group: patients, carers, researchers and clinicians working together as equal partners.',
        'I would like to show you around: what the group does, what it asks and offers, and a few questions about you. It takes about two minutes, one short step at a time, and you can stop whenever you like. To carry on later, type /copro join.',
        contactLine(view),
      ]
        .filter(Boolean)
        .join('\n');
      return compose(
        `Welcome to ${group.name}`,
        [{ type: 'text', text }],
        [go('start', 'Start', 'primary')],
        g,
      );
    }
    case 'pack': {
      const { blocks } = packBlocks(view);
      return compose(
        stepTitle(view, `About ${group.name}`),
        blocks,
        [go('read', 'I have read this', 'primary')],
        g,
      );
    }
    case 'checklist': {
      const index = journey.confirmed.length;
      const item = view.pack.checklist[index] ?? '';
      const total = view.pack.checklist.length;
      const text = `What you can expect, and what we ask. Please read each one and confirm it.\n**${index + 1} of ${total}:** ${item}`;
      const c = view.coordinators;
      const help = c.length > 0 ? ` tell ${listOf(c.map(mention))}` : ' tell a coordinator';
      return compose(
        stepTitle(view, 'Expectations'),
        [{ type: 'text', text }],
        [go(`agree-${index}`, 'I understand and agree', 'primary')],
        g,
        `If something here does not work for you,${help}: nothing is final, and Not now keeps your place.`,
      );
    }
    case 'profile': {
      const text =
        'A little about you: what to call you, your timezone, how and how often you like to be contacted, and topics that interest you. Everything is optional except your name and timezone, and you can change it later with /copro profile.';
      return compose(
        stepTitle(view, 'Your profile'),
        [{ type: 'text', text }],
        [go('open', 'Fill in my profile', 'primary'), go('skip', 'Skip this step')],
        g,
      );
    }
    case 'access': {
      const text = [
        'Access needs (optional). Telling us what helps you take part lets coordinators plan meetings and papers that work for you: papers a week ahead, large print, captions, a step-free venue, breaks.',
        'Only you and the coordinators see your answers, and they are stored encrypted. Nothing is stored unless you agree. You can change or delete them at any time with /copro profile.',
        'Do you agree to copro keeping what you tell us about your access needs?',
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
        'Would you like a buddy? A buddy is a more experienced member who can be a friendly first contact while you settle in. You can change your mind later.';
      return compose(
        stepTitle(view, 'A buddy'),
        [{ type: 'text', text }],
        [go('yes', 'Yes please', 'primary'), go('no', 'No thanks')],
        g,
      );
    }
    case 'role': {
      const lines = view.selfRoles.map((r) => `- **${r.name}**: ${r.description}`).join('\n');
      const text = `Would you like to add a role that describes you?\n${lines}\nThese roles can say something about your health or your family, so copro never announces them.`;
      return compose(
        stepTitle(view, 'Your role'),
        [{ type: 'text', text }],
        [...view.selfRoles.map((r) => go(`role-${r.key}`, r.name)), go('none', 'No thanks')],
        g,
      );
    }
    case 'announce': {
      const text = `Shall I say hello to the group for you? I would post a short welcome with your name in <#${group.homeChannelId}>. Nothing else about you is shared.`;
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
    `You will see the group’s news in <#${view.group.homeChannelId}>, and a short digest each week.`,
    ...(view.profile?.wantsBuddy ? ['A coordinator will pair you with a buddy soon.'] : []),
    'You can see or change your answers at any time with /copro profile.',
    ...(view.coordinators.length > 0 ? [`Questions? Ask ${listOf(view.coordinators.map(mention))}.`] : []),
  ];
  const text = `Thank you, ${name}. You are all set, and very welcome in ${view.group.name}.\nWhat happens next:\n${next.map((l) => `- ${l}`).join('\n')}`;
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
  const text = `A gentle reminder from ${view.group.name}: your welcome is waiting at step ${number} of ${of}, whenever suits you. There is no rush, and this is the only reminder.`;
  const step = stepMessage(view);
  return {
    text: `${text}\n${step.text}`,
    blocks: [{ type: 'text', text }, { type: 'divider' }, ...(step.blocks ?? [])],
  };
}
