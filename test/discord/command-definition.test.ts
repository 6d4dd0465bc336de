import {
  type APIApplicationCommandOption,
  type APIApplicationCommandSubcommandOption,
  ApplicationCommandOptionType as T,
} from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { buildCommand, VARIADIC_SEPARATOR } from '../../adapters/discord/commands.js';
import { sameDefinition } from '../../adapters/discord/registration.js';
import { catalogue } from '../../src/commands/catalogue.js';
import type { CommandSpec } from '../../src/commands/types.js';

const { body, routes } = buildCommand(catalogue);
const top = body.options ?? [];

function find(path: string[]): APIApplicationCommandSubcommandOption {
  let level: readonly APIApplicationCommandOption[] = top;
  let found: APIApplicationCommandOption | undefined;
  for (const word of path) {
    found = level.find((o) => o.name === word);
    level = found && 'options' in found ? (found.options ?? []) : [];
  }
  if (found?.type !== T.Subcommand) throw new Error(`/copro ${path.join(' ')} is not a subcommand`);
  return found;
}

const spec = (id: string, path: string[], extra: Partial<CommandSpec> = {}): CommandSpec => ({
  id,
  path,
  access: 'anyone',
  needsGroup: false,
  summary: `Does ${id}`,
  example: `/copro ${path.join(' ')}`,
  options: [],
  ...extra,
});

describe('the /copro application command, generated from the catalogue', () => {
  it('is one guild-only chat command, with every catalogue entry reachable by its route', () => {
    expect(body).toMatchObject({ name: 'copro', type: 1, contexts: [0], integration_types: [0] });
    expect([...routes.values()].map((r) => r.commandId).sort()).toEqual(catalogue.map((c) => c.id).sort());
    for (const [words] of routes) expect(() => find(words.split(' '))).not.toThrow();
  });

  it('makes groups of shared first words, and gives a path that is also a group its own subcommand', () => {
    expect(top.find((o) => o.name === 'role')?.type).toBe(T.SubcommandGroup);
    expect(top.find((o) => o.name === 'roles')?.type).toBe(T.Subcommand);
    expect(routes.get('poll new')?.commandId).toBe('poll.new');
    expect(routes.get('poll close')?.commandId).toBe('poll.close');
    expect(routes.get('agenda show')?.commandId).toBe('agenda.show');
    expect(routes.get('meetings')?.commandId).toBe('meetings');
    expect(routes.get('meeting new')?.commandId).toBe('meeting.new');
  });

  it("types options from the catalogue, required ones first, with the catalogue's descriptions", () => {
    const add = find(['role', 'add']);
    expect(add.description).toBe('Give someone a role');
    expect(add.options).toEqual([
      { type: T.User, name: 'user', description: 'The person', required: true },
      { type: T.String, name: 'role', description: expect.stringContaining('The role'), required: true },
    ]);
    const log = find(['log', 'time']);
    expect(log.options?.map((o) => [o.name, o.type, o.required])).toEqual([
      ['time', T.String, true],
      ['what', T.String, true],
      ['for', T.User, false],
      ['date', T.String, false],
      ['type', T.String, false],
      ['pay', T.String, false],
    ]);
    expect(find(['match', 'run']).options).toEqual([
      {
        type: T.Boolean,
        name: 'dry-run',
        description: 'Show the pairs without sending them',
        required: false,
      },
      {
        type: T.String,
        name: 'size',
        description: 'People in each group: 2 (pairs, the default), 3 or 4',
        required: false,
        choices: ['2', '3', '4'].map((c) => ({ name: c, value: c })),
      },
    ]);
  });

  it("turns the poll's list of answers into one text option that says how to separate them", () => {
    const options = find(['poll', 'new']).options ?? [];
    const answers = options.find((o) => o.name === 'options');
    expect(answers).toMatchObject({ type: T.String, required: true });
    expect(answers?.description).toContain(`Separate them with ${VARIADIC_SEPARATOR}`);
    expect(options.filter((o) => o.type === T.Boolean).map((o) => o.name)).toEqual([
      'multi',
      'ranked',
      'anonymous',
      'hide-results',
    ]);
  });

  it("offers fixed values as choices, and keeps every text within Discord's limits", () => {
    const { body: withChoices } = buildCommand([
      spec('digest.when', ['when'], {
        options: [{ name: 'day', type: 'string', description: 'd'.repeat(150), choices: ['mon', 'tue'] }],
      }),
    ]);
    const [option] = (withChoices.options![0] as APIApplicationCommandSubcommandOption).options ?? [];
    expect(option).toMatchObject({
      choices: [
        { name: 'mon', value: 'mon' },
        { name: 'tue', value: 'tue' },
      ],
    });
    expect(option?.description).toHaveLength(100);
    expect(option?.description.endsWith('…')).toBe(true);
    const texts = JSON.stringify(body).match(/"description":"[^"]*"/g) ?? [];
    for (const text of texts) expect(text.length - '"description":""'.length).toBeLessThanOrEqual(100);
  });

  it('refuses a catalogue Discord would reject, before it is ever sent', () => {
    const many = Array.from({ length: 26 }, (_, i) => spec(`c${i}`, [`c${i}`]));
    expect(() => buildCommand(many)).toThrow(/more than 25/);
    expect(() => buildCommand([spec('a.b.c.d', ['a', 'b', 'c', 'd'])])).toThrow(/one or two/);
    expect(() => buildCommand([spec('bad', ['Not Valid'])])).toThrow(/not a valid Discord name/);
  });
});

describe('three-word commands', () => {
  it('become a subcommand named with a hyphen, which routes back to the catalogue entry', () => {
    const built = buildCommand(catalogue);
    expect(built.routes.get('onboarding checklist-add')?.commandId).toBe('onboarding.checklist.add');
    expect(built.routes.get('onboarding checklist-remove')?.commandId).toBe('onboarding.checklist.remove');
  });
});

describe('comparing with what Discord has registered', () => {
  it('ignores what Discord adds (ids, versions, defaults, required: false left out)', () => {
    const registered = JSON.parse(JSON.stringify(body), (key, value) =>
      key === 'required' && value === false ? undefined : value,
    );
    Object.assign(registered, {
      id: '1',
      application_id: '2',
      version: '3',
      default_member_permissions: null,
      nsfw: false,
    });
    expect(sameDefinition(registered, body)).toBe(true);
  });

  it('notices a changed description, a new option or a new subcommand', () => {
    const changed = buildCommand(
      catalogue.map((c) => (c.id === 'roles' ? { ...c, summary: 'See roles' } : c)),
    ).body;
    expect(sameDefinition(changed, body)).toBe(false);
    // A new subcommand in an existing group: /copro already has Discord's most top-level words (25).
    const more = buildCommand([...catalogue, spec('extra', ['poll', 'extra'])]).body;
    expect(sameDefinition(more, body)).toBe(false);
  });
});
