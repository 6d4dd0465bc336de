import type { PlatformLimits } from '../../src/chat/index.js';

/** Slack's Block Kit limits that copro designs for (see docs.slack.dev, Block Kit reference). */
export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  contextText: 2000,
  fields: 10,
  fieldText: 2000,
  headerText: 150,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  selectOptions: 100,
  optionGroups: 100,
  optionText: 75,
  optionValue: 150,
  placeholder: 150,
  checkboxOptions: 10,
  inputLabel: 2000,
  inputMaxLength: 3000,
  modalTitle: 24,
  privateMetadata: 3000,
  /** Slack accepts 40,000 characters of fallback text but recommends far fewer; blocks carry the rest. */
  fallbackText: 3000,
} as const;

/** A message copro cannot express on Slack at all (a programming error, not a member's). */
export class RenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RenderError';
  }
}

/**
 * What the core needs to know about Slack, kept a little under the published figures so copro is
 * not the one who finds the edge.
 */
export const slackLimits: PlatformLimits = {
  sendRate: {
    // chat.postMessage: about one message per second per channel.
    post: [{ scope: 'recipient', count: 1, perMs: 1_000 }],
    // A DM first needs conversations.open (Tier 3: about 50 a minute per workspace). Reminders to
    // everyone who has not voted are DMs, so they are spread out rather than refused.
    postDm: [
      { scope: 'recipient', count: 1, perMs: 1_000 },
      { scope: 'workspace', count: 50, perMs: 60_000 },
    ],
    // chat.update is Tier 3: about 50 a minute per workspace. One message counted live (a poll
    // in a burst of votes) would spend all of that in seconds and then show a stale count for
    // the rest of the minute; at 5 edits per 10 seconds in one channel, the latest count is
    // never more than 10 seconds away while one channel is busy. Two busy channels at once can
    // still use up the workspace's 50; their edits then wait, and the latest version is sent.
    update: [
      { scope: 'workspace', count: 50, perMs: 60_000 },
      { scope: 'recipient', count: 5, perMs: 10_000 },
    ],
  },
  buttonLabel: LIMITS.buttonText,
};
