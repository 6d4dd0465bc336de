import { type Block, type Button, literal, type Message, withoutBold } from '../chat/index.js';
import { formatWhen } from '../time.js';
import {
  type Ballot,
  leaders,
  type PollMode,
  percent,
  places,
  type Tally,
  tally,
  tallyByRole,
} from './tally.js';

export interface PollView {
  readonly code: string;
  readonly question: string;
  readonly options: readonly string[];
  readonly mode: PollMode;
  readonly anonymous: boolean;
  readonly hideResults: boolean;
  readonly status: string;
  readonly closesAt: Date | null;
  readonly eligibleAtClose: number | null;
}

export type RoleNames = (key: string) => string;

/**
 * The poll with its question and options as they go into text: shown exactly as the member
 * wrote them, never as a mention or a link. Buttons take the options as they are.
 */
function asText(poll: PollView): PollView {
  return { ...poll, question: literal(poll.question), options: poll.options.map(literal) };
}

const BAR_WIDTH = 10;

function bar(share: number): string {
  const filled = Math.round((share / 100) * BAR_WIDTH);
  return '█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled);
}

const people = (n: number) => `${n} ${n === 1 ? 'person' : 'people'}`;
const firstChoices = (n: number) => (n === 0 ? "nobody's first choice" : `first choice of ${people(n)}`);
const votes = (n: number) => `${n} ${n === 1 ? 'vote' : 'votes'}`;
const pointsText = (n: number) => `${n} ${n === 1 ? 'point' : 'points'}`;

/** "A", "A and B", "A, B and C". */
function andList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/**
 * The headline of a closed poll. A tie is said as a tie: the ranked tie-break (first choices) is
 * the only one README documents, so single and multiple choice never pick a winner from a tie.
 */
export function headline(poll: Pick<PollView, 'mode' | 'options'>, t: Tally): string {
  const top = leaders(poll.mode, t);
  const names = andList(top.map((o) => `**${poll.options[o]}**`));
  const first = top[0];
  if (first === undefined) return '';
  if (poll.mode === 'ranked') {
    if (top.length > 1) {
      const firsts = t.firstChoices[first] ?? 0;
      const points = pointsText(t.points[first] ?? 0);
      return firsts > 0
        ? `${names} tied for top priority, with ${points} and ${people(firsts)} putting each first.`
        : `${names} tied for top priority, with ${points} each. ${top.length === 2 ? 'Neither' : 'None of them'} was anyone's first choice.`;
    }
    const level = t.order.filter((o) => o !== first && (t.points[o] ?? 0) === (t.points[first] ?? 0));
    return level.length === 0
      ? `Top priority: ${names}.`
      : `Top priority: ${names}. It tied on points with ${andList(level.map((o) => `**${poll.options[o]}**`))}, and more people put it first.`;
  }
  return top.length > 1
    ? `${names} tied with ${votes(t.counts[first] ?? 0)} each.`
    : `Most chosen: ${names} (${votes(t.counts[first] ?? 0)}).`;
}

/** One line per option, best first for ranked polls, in listed order otherwise. */
export function resultLines(poll: PollView, t: Tally, withBars: boolean): string[] {
  if (poll.mode === 'ranked') {
    if (t.voters === 0) return [`No rankings yet. The options are: ${poll.options.join(', ')}.`];
    const place = places(poll.mode, t);
    const shared = (option: number) => place.filter((p) => p === place[option]).length > 1;
    return t.order.map((option) => {
      const label = poll.options[option] ?? '';
      const points = t.points[option] ?? 0;
      return `${place[option]}. **${label}**: ${pointsText(points)} (${firstChoices(t.firstChoices[option] ?? 0)})${shared(option) ? ', tied' : ''}`;
    });
  }
  return poll.options.map((label, option) => {
    const count = t.counts[option] ?? 0;
    const share = percent(count, t.voters);
    // Numbers first, bar last: a screen reader gives the figures before the drawing.
    return `**${label}**: ${votes(count)} (${share}%)${withBars ? `  ${bar(share)}` : ''}`;
  });
}

function howToVote(poll: PollView): string {
  switch (poll.mode) {
    case 'single':
      return 'Choose one answer. You can change your vote until the poll closes.';
    case 'multi':
      return 'Choose as many answers as you like. Choose an answer again to take it back.';
    case 'ranked':
      return 'Put the options in order of priority: press "Rank the options". You can change your ranking until the poll closes.';
  }
}

export function pollMessage(written: PollView, ballots: readonly Ballot[], timezone: string): Message {
  const poll = asText(written);
  const t = tally(poll.mode, poll.options.length, ballots);
  const closed = poll.status === 'closed';
  const heading = `Poll ${poll.code}${closed ? ' (closed)' : ''}: ${poll.question}`;
  const blocks: Block[] = [{ type: 'heading', text: heading }];
  const text: string[] = [heading];
  if (!closed) {
    blocks.push({ type: 'text', text: howToVote(poll) });
    text.push(howToVote(poll));
  }
  if (closed || !poll.hideResults) {
    const lines = resultLines(poll, t, true);
    blocks.push({ type: 'text', text: lines.join('\n') });
    text.push(...resultLines(poll, t, false).map(withoutBold));
  } else {
    const hidden = `The options are: ${poll.options.join(', ')}. Results will be shown when the poll closes.`;
    blocks.push({ type: 'text', text: hidden });
    text.push(hidden);
  }
  const turnout = closed ? turnoutLine(t.voters, poll.eligibleAtClose) : `${people(t.voters)} voted so far.`;
  const facts = [turnout];
  if (!closed) {
    facts.push(
      poll.closesAt
        ? `Closes ${formatWhen(poll.closesAt, timezone)} (${timezone}).`
        : 'The person who started it, or a coordinator, can close it when they want.',
    );
  }
  if (poll.anonymous) facts.push('Anonymous: no one can see who voted for what. Not even coordinators can.');
  blocks.push({ type: 'context', text: facts.join(' ') });
  text.push(...facts);
  if (!closed) blocks.push(...voteControls(written));
  return { text: text.join('\n'), blocks };
}

export function turnoutLine(voters: number, eligible: number | null): string {
  return eligible
    ? `${voters} of ${eligible} members voted (${percent(voters, eligible)}%).`
    : `${people(voters)} voted.`;
}

/** The poll's buttons; `listed` for a list shown privately to one member rather than the poll itself. */
export function voteControls(poll: Pick<PollView, 'code' | 'mode' | 'options'>, listed = false): Block[] {
  const suffix = listed ? '-listed' : '';
  if (poll.mode === 'ranked') {
    return [
      {
        type: 'buttons',
        buttons: [
          { actionId: `poll.rank${suffix}`, label: 'Rank the options', value: poll.code, style: 'primary' },
        ],
      },
    ];
  }
  const buttons: Button[] = poll.options.map((label, i) => ({
    actionId: `poll.vote${suffix}`,
    label,
    value: `${poll.code}:${i}`,
  }));
  return [{ type: 'buttons', buttons }];
}

/** Posted in the channel when a poll closes. */
export function resultsMessage(written: PollView, ballots: readonly Ballot[], roleName: RoleNames): Message {
  const poll = asText(written);
  const t = tally(poll.mode, poll.options.length, ballots);
  const heading = `Poll ${poll.code} has closed: ${poll.question}`;
  const blocks: Block[] = [{ type: 'heading', text: heading }];
  const text: string[] = [heading];
  if (t.voters === 0) {
    const none = 'Nobody voted, so there is no result.';
    blocks.push({ type: 'text', text: none });
    text.push(none);
  } else {
    const top = headline(poll, t);
    const lines = resultLines(poll, t, true);
    blocks.push({ type: 'text', text: [top, ...lines].join('\n') });
    text.push(withoutBold(top), ...resultLines(poll, t, false).map(withoutBold));
  }
  const turnout = turnoutLine(t.voters, poll.eligibleAtClose);
  text.push(turnout);
  const breakdown = roleBreakdown(poll, ballots, roleName);
  if (breakdown.length > 0) {
    blocks.push({ type: 'divider' }, { type: 'text', text: breakdown.join('\n') });
    text.push(...breakdown.map(withoutBold));
  }
  blocks.push({ type: 'context', text: `${turnout} Thank you to everyone who took part.` });
  return { text: text.join('\n'), blocks };
}

/** Fewest voters a role needs before any poll shows that role on its own. */
export const ROLE_MINIMUM = 3;

function roleBreakdown(poll: PollView, ballots: readonly Ballot[], roleName: RoleNames): string[] {
  const roles = tallyByRole(poll.mode, poll.options.length, ballots, ROLE_MINIMUM);
  if (roles.length === 0) return [];
  const lines = ['**How each role voted**'];
  for (const { role, tally: t } of roles) {
    const place = places(poll.mode, t);
    const ordered = poll.mode === 'ranked' ? t.order : t.order.filter((o) => (t.counts[o] ?? 0) > 0);
    const summary = ordered
      .slice(0, 5)
      .map((o) =>
        poll.mode === 'ranked' ? `${place[o]}. ${poll.options[o]}` : `${poll.options[o]} (${t.counts[o]})`,
      )
      .join(poll.mode === 'ranked' ? ', ' : '; ');
    lines.push(`- ${literal(roleName(role))} (${people(t.voters)}): ${summary}`);
  }
  lines.push(
    `Roles with fewer than ${ROLE_MINIMUM} voters are counted only in the total, so nobody's vote can be worked out.`,
  );
  return lines;
}
