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
