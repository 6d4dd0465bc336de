import type { PlatformLimits } from '../../src/chat/index.js';

/** Discord's documented limits that shape how copro renders. Exceeding any of them gets a 400. */
export const LIMITS = {
  content: 2000,
  rowsPerMessage: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  customId: 100,
  selectOptions: 25,
  selectPlaceholder: 150,
  optionLabel: 100,
  optionValue: 100,
  optionDescription: 100,
  modalTitle: 45,
  modalComponents: 5,
  labelText: 45,
  labelDescription: 100,
  textInputValue: 4000,
  commandDescription: 100,
  commandOptions: 25,
  commandChoices: 25,
  choiceName: 100,
} as const;

/** What the core needs to know about Discord, kept a little under the published figures. */
export const discordLimits: PlatformLimits = {
  sendRate: {
    // 50 requests a second for the whole bot, and a per-channel route bucket (5 per 5 s).
    post: [
      { scope: 'platform', count: 50, perMs: 1_000 },
      { scope: 'recipient', count: 5, perMs: 5_000 },
    ],
    update: [
      { scope: 'platform', count: 50, perMs: 1_000 },
      { scope: 'recipient', count: 5, perMs: 5_000 },
    ],
  },
  buttonLabel: LIMITS.buttonLabel,
};

/**
 * Shortens a label to `max` characters with a visible ellipsis. Only used for labels (buttons,
 * options, titles) whose full wording also appears in the message or form text. Lengths are
 * counted in UTF-16 units, never fewer than Discord counts, and a surrogate pair is never cut.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  for (const ch of text) {
    if (out.length + ch.length > max - 1) break;
    out += ch;
  }
  return `${out.trimEnd()}…`;
}
