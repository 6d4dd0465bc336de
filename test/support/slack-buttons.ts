import type { FakeSlackCall } from './fake-slack.js';

/** A button copro sent in a Slack message, as the fake received it. */
export interface SlackButton {
  readonly type: string;
  readonly action_id: string;
  readonly value: string;
  readonly text: { readonly text: string };
}

/** The buttons of a message copro posted or updated, in order (none when there is no call). */
export function buttonsIn(call: FakeSlackCall | undefined): SlackButton[] {
  const blocks = (call?.body.blocks ?? []) as { type: string; elements?: SlackButton[] }[];
  return blocks.flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []));
}
