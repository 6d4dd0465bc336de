/** The Events API events copro subscribes to; both Slack manifests list the same (a test checks). */
export const SLACK_EVENTS = [
  'app_home_opened',
  'member_joined_channel',
  'member_left_channel',
  'app_uninstalled',
  'tokens_revoked',
] as const;
