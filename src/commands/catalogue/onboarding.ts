import type { CommandSpec } from '../types.js';

/** The group's onboarding pack, and how newcomers are settling in (coordinators). */
export const onboardingCommands = [
  {
    id: 'onboarding.show',
    path: ['onboarding', 'show'],
    access: 'member',
    needsGroup: true,
    summary: "See the group's welcome pack, as newcomers see it",
    example: '/copro onboarding show',
    options: [],
  },
  {
    id: 'onboarding.edit',
    path: ['onboarding', 'edit'],
    access: 'coordinator',
    needsGroup: true,
    summary: "Write the group's welcome pack: what it is for, time, who to ask, pay and support",
    example: '/copro onboarding edit',
    options: [],
  },
  {
    id: 'onboarding.status',
    path: ['onboarding', 'status'],
    access: 'coordinator',
    needsGroup: true,
    summary: 'See who is at which onboarding step, and who has finished',
    example: '/copro onboarding status',
    options: [],
  },
  {
    id: 'onboarding.needs',
    path: ['onboarding', 'needs'],
    access: 'coordinator',
    needsGroup: true,
    summary: 'See the access needs people shared, to plan meetings and papers',
    example: '/copro onboarding needs',
    options: [],
  },
  {
    id: 'onboarding.checklist.add',
    path: ['onboarding', 'checklist', 'add'],
    access: 'coordinator',
    needsGroup: true,
    summary: 'Add an item newcomers read and confirm',
    example: '/copro onboarding checklist add "We will tell you what changed because of your input"',
    options: [
      {
        name: 'item',
        type: 'text',
        description: 'The expectation, in plain words',
        required: true,
        placeholder: '"text"',
      },
    ],
  },
  {
    id: 'onboarding.checklist.remove',
    path: ['onboarding', 'checklist', 'remove'],
    access: 'coordinator',
    needsGroup: true,
    summary: 'Take an item off the checklist, by its number',
    example: '/copro onboarding checklist remove 2',
    options: [
      { name: 'number', type: 'integer', description: 'The item number', required: true, placeholder: 'N' },
    ],
  },
] as const satisfies readonly CommandSpec[];
