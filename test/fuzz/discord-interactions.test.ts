import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultFeatures } from '../../src/app.js';
import { catalogue } from '../../src/commands/catalogue.js';
import { buildRegistry } from '../../src/registry.js';
import { ANN, BO, type Harness, startHarness } from '../discord/harness.js';
import { eventually } from '../support/fake-discord-driver.js';
import { snowflake } from '../support/fake-discord-payloads.js';
import {
  awkwardText,
  damage,
  damaged,
  errorsIn,
  recordingLogger,
  runs,
  typedSoFar,
  uglyPart,
  withoutUnhandledRejections,
} from './support.js';

/**
 * Interactions of every type, with random custom ids, options and fields missing, sent through
 * the fake gateway to the real discord.js client: the client never falls over, no promise is left
 * rejected unheard, and each one gets a plain answer or none. After each, /copro help is still
 * answered, which shows the client is connected and listening.
 */
const { logger, lines } = recordingLogger();
let h: Harness;
// biome-ignore lint/suspicious/noExplicitAny: payloads are deliberately random JSON
type Json = any;
let command: Json;
let click: Json;
let actionIds: string[] = [];
let formIds: string[] = [];
const known: string[] = [];
/** What every earlier interaction sent: its words may be quoted back in later answers. */
const earlier = typedSoFar();

beforeAll(async () => {
  h = await startHarness({ logger });
  const registry = buildRegistry(h.deps, defaultFeatures());
  actionIds = [...registry.actions.keys()];
  formIds = [...registry.forms.keys()];
  await h.fake.command(ANN, ['setup']);
  await h.discord.settled();
  command = structuredClone(h.fake.command(ANN, ['polls']).payload);
  await h.discord.settled();
  const poll = h.fake.command(ANN, ['poll', 'new'], { question: 'Tea?', options: 'Yes; No' });
  await eventually(() => h.fake.visible(poll).length > 0, 'the poll command to be answered');
  await h.discord.settled();
  await h.dispatcher.dispatchDue();
  const posted = await eventually(() => h.fake.messagesIn(h.fake.channelId).at(-1), 'the poll');
  known.push(...(JSON.stringify(posted).match(/\bP[A-Z0-9]{2,5}\b/g) ?? []));
  const vote = h.fake.click(ANN, posted, 'Yes');
  click = structuredClone(vote.payload);
  await eventually(() => vote.callbacks.length > 0, 'the vote to be taken');
  await h.discord.settled();
  expect(known.length).toBeGreaterThan(0);
});
afterAll(async () => h.close());

const words = [...new Set(catalogue.flatMap((c) => [...c.path, ...c.options.map((o) => o.name)]))];

/** A value a custom id could carry: a real poll's code and option, or anything. */
const value = () =>
  fc.oneof(
    fc.tuple(fc.constantFrom(...known), fc.integer({ min: -1, max: 4 })).map(([c, n]) => `${c}:${n}`),
    fc.constantFrom(...known, '1', ''),
    awkwardText,
  );

const customId = () =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .tuple(fc.constantFrom(...actionIds, ...formIds), fc.nat(5), value())
        .map(([a, n, v]) => `${a}|${n}|${v}`),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...actionIds), value())
        .map(([a, v]) => `${a}|0~${snowflake()}|${v}`),
    },
    { weight: 1, arbitrary: awkwardText },
  );

/** A command's option tree: subcommand words from the catalogue, leaves of any type and value. */
const leaf = fc.record({
  name: fc.oneof(fc.constantFrom(...words), awkwardText),
  type: fc.integer({ min: 3, max: 11 }),
  value: fc.oneof(awkwardText, fc.integer(), fc.boolean(), fc.double(), fc.constant(null)),
});
const subcommand = fc.record({
  name: fc.constantFrom(...words),
  type: fc.constant(1),
  options: fc.array(leaf, { maxLength: 3 }),
});
const options: fc.Arbitrary<Json[]> = fc.array(fc.oneof(subcommand, leaf), { maxLength: 3 });

const modalComponents = fc.array(
  fc.record({
    type: fc.constantFrom(1, 18),
    components: fc.array(
      fc.record({
        type: fc.constantFrom(4, 3),
        custom_id: fc.oneof(fc.constantFrom('name', 'timezone', 'rank1'), awkwardText),
        value: awkwardText,
      }),
      { maxLength: 2 },
    ),
  }),
  { maxLength: 3 },
);

/** A value for a registered option of Discord's type `type`: of that type mostly, awkward always. */
function optionValue(type: number): fc.Arbitrary<unknown> {
  switch (type) {
    case 4:
    case 10:
      return fc.oneof(fc.integer({ min: -3, max: 40 }), fc.constantFrom(2 ** 31, 2 ** 53, 1e21, -0, 0.5));
    case 5:
      return fc.boolean();
    case 6:
      return fc.oneof(
        fc.constantFrom(ANN.user.id, BO.user.id),
        fc.constant('1').map(() => snowflake()),
      );
    default:
      return fc.oneof(awkwardText, value());
  }
}

/**
 * The option tree of one of copro's real commands, as Discord sends it, with its options filled
 * with awkward values: these reach the commands themselves, past the reading of the tree.
 */
function realCommandOptions(): fc.Arbitrary<Json[]> {
  const copro = [...h.fake.commands.values()].flat().find((c) => c.name === 'copro');
  const paths: { chain: Json[]; leaves: Json[] }[] = [];
  const walk = (level: Json[], chain: Json[]) => {
    for (const o of level) {
      if (o.type === 1 || o.type === 2) walk(o.options ?? [], [...chain, o]);
    }
    if (chain.length > 0 && !level.some((o: Json) => o.type === 1 || o.type === 2))
      paths.push({ chain, leaves: level });
  };
  walk(copro?.options ?? [], []);
  return fc.constantFrom(...paths).chain(({ chain, leaves }) =>
    fc
      .tuple(
        ...leaves.map((o: Json) =>
          fc.option(optionValue(o.type), { freq: o.required ? 8 : 2, nil: undefined }),
        ),
      )
      .map((values) => {
        let tree: Json[] = leaves.flatMap((o: Json, i: number) =>
          values[i] === undefined ? [] : [{ name: o.name, type: o.type, value: values[i] }],
        );
        for (const step of [...chain].reverse()) tree = [{ name: step.name, type: step.type, options: tree }];
        return tree;
      }),
  );
}

/** An interaction: a real command's or click's payload with its type and data made random. */
const interactions = (): fc.Arbitrary<Json> =>
  fc
    .record({
      template: fc.constantFrom('command', 'click'),
      type: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(2, 3, 5) },
        { weight: 1, arbitrary: fc.integer({ min: -1, max: 9 }) },
      ),
      customId: customId(),
      options: fc.oneof({ weight: 3, arbitrary: realCommandOptions() }, { weight: 1, arbitrary: options }),
      values: fc.array(value(), { maxLength: 3 }),
      components: modalComponents,
      componentType: fc.constantFrom(2, 3, 5, 99),
      who: fc.constantFrom(ANN, BO),
      damage,
    })
    .map((r) => {
      const payload = structuredClone(r.template === 'command' ? command : click);
      payload.id = snowflake();
      payload.type = r.type;
      payload.member.user = r.who.user;
      if (r.type === 2) payload.data = { ...structuredClone(command.data), options: r.options };
      else if (r.type === 5) payload.data = { custom_id: r.customId, components: r.components };
      else
        payload.data = {
          custom_id: r.customId,
          component_type: r.componentType,
          // A button carries no values; selects (and anything else) may.
          ...(r.componentType === 2 ? {} : { values: r.values }),
        };
      return damaged(payload, r.damage);
    });

/** /copro help, answered: the client is still connected and handling interactions. */
async function stillAnswers() {
  const help = h.fake.command(ANN, ['help']);
  await eventually(() => h.fake.visible(help).length > 0, 'an answer to /copro help');
}

describe('random Discord interactions', () => {
  it('never bring the client down, leave no rejection unheard, and are answered plainly or not at all', async () => {
    await fc.assert(
      fc.asyncProperty(interactions(), async (payload) => {
        lines.length = 0;
        earlier.add(JSON.stringify(payload) ?? '');
        await withoutUnhandledRejections(async () => {
          h.fake.dispatchRaw('INTERACTION_CREATE', payload);
          await stillAnswers();
          await h.discord.settled();
        });
        const record = typeof payload?.id === 'string' ? h.fake.interactions.get(payload.id) : undefined;
        if (record) {
          const said = JSON.stringify([record.callbacks, record.original, record.followups, record.modal]);
          expect(uglyPart(said, JSON.stringify(payload), earlier.kinds)).toBeUndefined();
        }
        expect(errorsIn(lines)).toEqual([]);
      }),
      { numRuns: runs(50) },
    );
  });
});

describe("random answers to copro's own Discord forms", () => {
  /** Commands that open a form for Ann, a coordinator. */
  const forms = [
    ['group', 'settings'],
    ['privacy', 'settings'],
    ['onboarding', 'edit'],
  ];

  it('are refused field by field or answered plainly, and never bring the client down', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...forms),
        fc.array(fc.oneof(awkwardText, value()), { minLength: 12, maxLength: 12 }),
        fc.array(fc.array(fc.oneof(value(), awkwardText), { maxLength: 3 }), {
          minLength: 12,
          maxLength: 12,
        }),
        async (path, texts, choices) => {
          lines.length = 0;
          const opened = h.fake.command(ANN, path);
          await eventually(() => opened.modal ?? opened.callbacks.length > 0, 'the form or an answer');
          await h.discord.settled();
          if (!opened.modal) return;
          const labels = (opened.modal.components as Json[]).map((c) => c.label as string);
          const answers = Object.fromEntries(
            labels.map((label, i) => {
              const inner = (opened.modal!.components as Json[])[i].component;
              return [label, inner.type === 4 ? (texts[i] ?? '') : (choices[i] ?? [])];
            }),
          );
          earlier.add(JSON.stringify(answers));
          await withoutUnhandledRejections(async () => {
            const sent = h.fake.submit(ANN, opened, answers);
            await eventually(() => sent.callbacks.length > 0, 'an answer to the form');
            await h.discord.settled();
            const said = JSON.stringify([sent.callbacks, sent.original, sent.followups, sent.modal]);
            expect(uglyPart(said, JSON.stringify(answers), earlier.kinds)).toBeUndefined();
          });
          await stillAnswers();
          expect(errorsIn(lines)).toEqual([]);
        },
      ),
      { numRuns: runs(25) },
    );
  });
});
