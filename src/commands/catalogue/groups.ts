import type { CommandSpec, OptionSpec } from '../types.js';

const user = <Name extends string>(name: Name, description: string) =>
  ({ name, type: 'user', description, required: true }) as const satisfies OptionSpec;
const role = {
  name: 'role',
  type: 'role',
  description: 'The role, e.g. researcher or "expert by experience"',
  required: true,
} as const satisfies OptionSpec;

/** Giving or taking away a role: the same shape both ways. */
const roleChange = <Verb extends 'add' | 'remove'>(verb: Verb, summary: string) =>
  ({
    id: `role.${verb}`,
    path: ['role', verb],
    access: 'coordinator',
    needsGroup: true,
    summary,
    example: `/copro role ${verb} @sam researcher`,
    options: [user('user', 'The person'), role],
  }) as const;

/** Help, setup, onboarding and the role registry. */
export const groupsCommands = [
  {
    id: 'help',
    path: ['help'],
    access: 'anyone',
    needsGroup: false,
    summary: 'Show what copro can do, or how to use one command',
    example: '/copro help role',
    options: [{ name: 'command', type: 'text', description: 'A command to explain', placeholder: 'COMMAND' }],
  },
  {
    id: 'setup',
    path: ['setup'],
    access: 'anyone',
    needsGroup: false,
    summary: "Make this channel the group's home. The first person to run it becomes coordinator",
    // As setupGroup checks: where the platform says who administers it, only they may start one.
    whoOn: {
      slack: 'A workspace admin, or the person who created the channel, can use it.',
      discord: 'A server manager (someone with Manage Server) can use it.',
    },
    example: '/copro setup --timezone Europe/London',
    options: [
      {
        name: 'timezone',
        type: 'string',
        named: true,
        description: 'Where the group meets, e.g. Europe/London',
        placeholder: 'Europe/London',
      },
      { name: 'name', type: 'string', named: true, description: 'A name for the group', maxLength: 80 },
    ],
  },
  {
    id: 'group.settings',
    path: ['group', 'settings'],
    access: 'coordinator',
    needsGroup: true,
    summary: "Change the group's name or timezone",
    example: '/copro group settings',
    options: [],
  },
  {
    id: 'join',
    path: ['join'],
    access: 'anyone',
    needsGroup: true,
    summary: 'Start your welcome to the group, or carry on where you left off',
    example: '/copro join',
    options: [],
  },
  {
    id: 'profile',
    path: ['profile'],
    access: 'member',
    needsGroup: true,
    summary: 'See or change your answers, delete your access needs, and show or hide a private role',
    example: '/copro profile',
    options: [],
  },
  {
    id: 'roles',
    path: ['roles'],
    access: 'anyone',
    needsGroup: true,
    summary: 'See who holds which role, and what each role involves',
    example: '/copro roles',
    options: [],
  },
  roleChange('add', 'Give someone a role'),
  roleChange('remove', 'Take a role away from someone'),
  {
    id: 'role.define',
    path: ['role', 'define'],
    access: 'coordinator',
    needsGroup: true,
    summary: 'Create a new role, or change what a role involves',
    example: '/copro role define "lay reviewer" "Reads drafts and says what is unclear"',
    options: [
      {
        name: 'role',
        type: 'string',
        description: 'The role name',
        required: true,
        placeholder: 'ROLE',
        maxLength: 40,
      },
      {
        name: 'description',
        type: 'text',
        description: 'What the role involves, in plain words',
        required: true,
        placeholder: '"what it involves"',
      },
      {
        name: 'sensitive',
        type: 'flag',
        named: true,
        description: 'Private: only coordinators and the holder see who holds it',
      },
    ],
  },
] as const satisfies readonly CommandSpec[];
