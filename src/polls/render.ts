import { type Block, type Button, type Message, withoutBold } from '../chat/index.js';
import { formatWhen } from '../time.js';
import { type Ballot, type PollMode, percent, type Tally, tally, tallyByRole } from './tally.js';

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

const BAR_WIDTH = 10;

function bar(share: number): string {
  const filled = Math.round((share / 100) * BAR_WIDTH);
  return '█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled);
}

const people = (n: number) => `${n} ${n === 1 ? 'person' : 'people'}`;
const votes = (n: number) => `${n} ${n === 1 ? 'vote' : 'votes'}`;

/** One line per option, best first for ranked polls, in listed order otherwise. */
export function resultLines(poll: PollView, t: Tally, withBars: boolean): string[] {
  if (poll.mode === 'ranked') {
    if (t.voters === 0) return [`No rankings yet. The options are: ${poll.options.join(', ')}.`];
    return t.order.map((option, place) => {
      const label = poll.options[option] ?? '';
      const points = t.points[option] ?? 0;
      return `${place + 1}. **${label}**: ${points} ${points === 1 ? 'point' : 'points'} (first choice of ${people(t.firstChoices[option] ?? 0)})`;
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

export function pollMessage(poll: PollView, ballots: readonly Ballot[], timezone: string): Message {
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
        : 'Open until the person who started it, or a coordinator, closes it.',
    );
  }
  if (poll.anonymous) facts.push('Anonymous: nobody, coordinators included, can see who voted for what.');
  blocks.push({ type: 'context', text: facts.join(' ') });
  text.push(...facts);
  if (!closed) blocks.push(...voteControls(poll));
  return { text: text.join('\n'), blocks };
}

export function turnoutLine(voters: number, eligible: number | null): string {
  return eligible
    ? `${voters} of ${eligible} members voted (${percent(voters, eligible)}%).`
    : `${people(voters)} voted.`;
}

export function voteControls(poll: Pick<PollView, 'code' | 'mode' | 'options'>): Block[] {
  if (poll.mode === 'ranked') {
    return [
      {
        type: 'buttons',
        buttons: [{ actionId: 'poll.rank', label: 'Rank the options', value: poll.code, style: 'primary' }],
      },
    ];
  }
  const buttons: Button[] = poll.options.map((label, i) => ({
    actionId: 'poll.vote',
    label,
    value: `${poll.code}:${i}`,
  }));
  return [{ type: 'buttons', buttons }];
}

/** Posted in the channel when a poll closes. */
export function resultsMessage(poll: PollView, ballots: readonly Ballot[], roleName: RoleNames): Message {
  const t = tally(poll.mode, poll.options.length, ballots);
  const heading = `Poll ${poll.code} has closed: ${poll.question}`;
  const blocks: Block[] = [{ type: 'heading', text: heading }];
  const text: string[] = [heading];
  const winner = t.order[0];
  if (t.voters === 0) {
    const none = 'Nobody voted, so there is no result.';
    blocks.push({ type: 'text', text: none });
    text.push(none);
  } else {
    const top =
      winner === undefined
        ? ''
        : poll.mode === 'ranked'
          ? `Top priority: **${poll.options[winner]}**.`
          : `Most chosen: **${poll.options[winner]}** (${votes(t.counts[winner] ?? 0)}).`;
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

/** Fewest voters a role needs before an anonymous poll shows that role on its own. */
export const ANONYMOUS_ROLE_MINIMUM = 3;

function roleBreakdown(poll: PollView, ballots: readonly Ballot[], roleName: RoleNames): string[] {
  const minimum = poll.anonymous ? ANONYMOUS_ROLE_MINIMUM : 1;
  const roles = tallyByRole(poll.mode, poll.options.length, ballots, minimum);
  if (roles.length === 0) return [];
  const lines = ['**How each role voted**'];
  for (const { role, tally: t } of roles) {
    const ordered = poll.mode === 'ranked' ? t.order : t.order.filter((o) => (t.counts[o] ?? 0) > 0);
    const summary = ordered
      .slice(0, 5)
      .map((o, place) =>
        poll.mode === 'ranked' ? `${place + 1}. ${poll.options[o]}` : `${poll.options[o]} (${t.counts[o]})`,
      )
      .join(poll.mode === 'ranked' ? ', ' : '; ');
    lines.push(`- ${roleName(role)} (${people(t.voters)}): ${summary}`);
  }
  if (poll.anonymous) {
    lines.push(
      `Roles with fewer than ${ANONYMOUS_ROLE_MINIMUM} voters are counted only in the total, to keep votes anonymous.`,
    );
  }
  return lines;
}
