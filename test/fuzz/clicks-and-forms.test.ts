import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, defaultFeatures } from '../../src/app.js';
import type { Actor, FormValues } from '../../src/chat/index.js';
import { fixedClock } from '../../src/clock.js';
import type { AppDeps } from '../../src/deps.js';
import { buildRegistry } from '../../src/registry.js';
import { recordingPlatform } from '../jobs/support.js';
import { openTestDb, type TestDb } from '../support/db.js';
import { clicked, person, submitted, typed } from '../support/events.js';
import { awkwardText, errorsIn, recordingLogger, runs, typedSoFar, uglyPart } from './support.js';

/**
 * Buttons and forms are copro's own, but what comes back from a platform is only what it says:
 * any action or form id, any value, any state. Whatever arrives, the core answers in plain words
 * (or says nothing), never throws, and logs no unexpected failure. One group is built once, with
 * a poll, a meeting and a newcomer part way through the welcome, and every run acts on it.
 */
let db: TestDb;
const { logger, lines } = recordingLogger();
const clock = fixedClock('2026-11-23T10:00:00Z');
let app: ReturnType<typeof createApp>;
let actionIds: string[] = [];
let formIds: string[] = [];
const ann = person('Ann');
const sam = person('Sam');
const stranger = person('Stranger');
/** Codes and ids of things in the group, so random values can name them. */
const known: string[] = ['1', '2'];
/** What every earlier run sent: its words may be quoted back in later answers. */
const earlier = typedSoFar();

async function say(actor: Actor, text: string) {
  const { event, said } = typed(actor, text);
  await app.handle(event);
  return said.map((s) => s.message.text).join('\n');
}

beforeAll(async () => {
  db = await openTestDb();
  const deps: AppDeps = {
    db: db.db,
    clock,
    logger,
    platforms: { console: recordingPlatform(clock, 'console') },
    voterSecret: randomBytes(32),
    encryptionKey: randomBytes(32),
  };
  app = createApp(deps);
  const registry = buildRegistry(deps, defaultFeatures());
  actionIds = [...registry.actions.keys()];
  formIds = [...registry.forms.keys()];
  await say(ann, 'setup --timezone Europe/London');
  await app.handle({ kind: 'memberJoined', id: 'sam-joins', actor: sam, channelId: 'general' });
  const answers = [
    await say(ann, 'poll "Tea or coffee?" "Tea" "Coffee" --ranked'),
    await say(ann, 'meeting new "Leaflet review" "next Tuesday 2pm" --length 90m'),
    await say(sam, 'feedback "Papers arrive too late"'),
    await say(sam, 'log 2h "Read the leaflet"'),
  ];
  for (const answer of answers) known.push(...(answer.match(/\b[PMF][A-Z0-9]{1,5}\b/g) ?? []));
  expect(errorsIn(lines)).toEqual([]);
});
afterAll(async () => db.close());

const actor = fc.constantFrom(ann, sam, stranger);
/** What a button or form might carry: things that exist, joined the ways copro joins them, or junk. */
const value = (codes: readonly string[] = known) =>
  fc.oneof(
    fc.constantFrom(...codes),
    fc
      .tuple(fc.constantFrom(...codes), fc.oneof(fc.integer({ min: -1, max: 4 }).map(String), awkwardText))
      .map(([k, v]) => `${k}:${v}`),
    fc
      .tuple(fc.constantFrom(...codes), fc.constantFrom('journey', 'edit', 'yes', 'no', 'met'), awkwardText)
      .map(([k, w, v]) => `${k}:${w}:${v}`),
    awkwardText,
  );
/** Codes of the kind an action's own buttons carry (a poll's for poll buttons), else group ids. */
function codesFor(actionId: string): string[] {
  const letter = { poll: 'P', meeting: 'M', feedback: 'F' }[actionId.split('.')[0] ?? ''];
  const codes = letter ? known.filter((k) => k.startsWith(letter)) : [];
  return codes.length > 0 ? codes : ['1', '2'];
}
/** An action and a value, usually of the shape its own buttons carry. */
const click = () =>
  fc.oneof(
    {
      weight: 5,
      arbitrary: fc
        .constantFrom(...actionIds)
        .chain((a) =>
          fc.tuple(
            fc.constant(a),
            fc.oneof({ weight: 3, arbitrary: value(codesFor(a)) }, { weight: 1, arbitrary: value() }),
          ),
        ),
    },
    { weight: 1, arbitrary: fc.tuple(awkwardText, value()) },
  );

const fieldIds = fc.oneof(
  fc.constantFrom('name', 'timezone', 'rank1', 'rank2', 'title', 'when', 'where', 'length', 'pronouns'),
  fc.constantFrom('interests', 'contact', 'needs', 'other', 'forget', 'lived', 'months', 'years', 'often'),
  awkwardText,
);

describe('random clicks and form answers', () => {
  it('are answered in plain words or not at all, and never throw', async () => {
    await fc.assert(
      fc.asyncProperty(actor, click(), async (who, [actionId, v]) => {
        lines.length = 0;
        const { event, said, forms } = clicked(who, actionId, v);
        await app.handle(event);
        const input = `${actionId} ${v}`;
        earlier.add(input);
        for (const s of said)
          expect(uglyPart(JSON.stringify(s.message), input, earlier.kinds)).toBeUndefined();
        for (const f of forms) expect(uglyPart(JSON.stringify(f), input, earlier.kinds)).toBeUndefined();
        expect(errorsIn(lines)).toEqual([]);
      }),
      { numRuns: runs(250) },
    );
  });

  it('of forms are refused field by field or answered plainly, and never throw', async () => {
    await fc.assert(
      fc.asyncProperty(
        actor,
        fc.oneof(
          { weight: 5, arbitrary: fc.constantFrom(...formIds) },
          { weight: 1, arbitrary: awkwardText },
        ),
        fc.dictionary(fieldIds, fc.oneof(awkwardText, value(), fc.array(value(), { maxLength: 3 })), {
          maxKeys: 6,
        }),
        fc.option(value(), { nil: undefined }),
        async (who, formId, values, state) => {
          lines.length = 0;
          const { event, said } = submitted(who, formId, values as FormValues, state);
          const outcome = await app.handle(event);
          const input = JSON.stringify([formId, values, state]);
          earlier.add(input);
          for (const s of said)
            expect(uglyPart(JSON.stringify(s.message), input, earlier.kinds)).toBeUndefined();
          expect(uglyPart(JSON.stringify(outcome ?? {}), input, earlier.kinds)).toBeUndefined();
          expect(errorsIn(lines)).toEqual([]);
        },
      ),
      { numRuns: runs(250) },
    );
  });
});
