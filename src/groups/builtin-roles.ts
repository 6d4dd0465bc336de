/**
 * Roles every group starts with. Coordinators can reword them or add their own. Holding a
 * sensitive one says something about a person's health or life, so it is private by default.
 */
export const builtinRoles = [
  {
    key: 'coordinator',
    name: 'coordinator',
    description:
      'Runs the group day to day. Plans meetings, looks after roles and buddy pairs, and is the person to ask.',
  },
  {
    key: 'member',
    name: 'member',
    description: "Takes part in the group's discussions, polls and meetings.",
  },
  {
    key: 'expert-by-experience',
    name: 'expert by experience',
    description:
      'Knows from their own life what it is like to have a health condition or use services. Shapes the work as an equal partner.',
    sensitive: true,
  },
  {
    key: 'carer',
    name: 'carer',
    description: 'Brings experience of caring for someone, and shapes the work as an equal partner.',
    sensitive: true,
  },
  {
    key: 'researcher',
    name: 'researcher',
    description: 'Plans and carries out the research together with the group.',
  },
  {
    key: 'clinician',
    name: 'clinician',
    description: 'Gives care as their job, for example as a nurse, doctor or therapist.',
  },
  {
    key: 'buddy',
    name: 'buddy',
    description: 'Supports a newer member as a friendly first contact, and helps them find their way.',
  },
] as const satisfies readonly { key: string; name: string; description: string; sensitive?: boolean }[];

export const COORDINATOR = 'coordinator';
/** Everyone in a group holds it. */
export const MEMBER = 'member';
