import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { textMessage } from '../src/chat/index.js';
import { fixedClock } from '../src/clock.js';
import { testDatabaseUrl } from '../src/config.js';
import type { AppDeps } from '../src/deps.js';
import { defineFeature } from '../src/features.js';
import { createInbox } from '../src/inbox.js';
import { silentLogger } from '../src/logger.js';
import { recordingPlatform } from './jobs/support.js';
import { openTestDb, type TestDb } from './support/db.js';
import { clicked, person } from './support/events.js';

/**
 * A button whose clicks a feature can handle several at once (ActionBatch), written only here:
 * its clicks that arrive together go to the batch, and whatever the batch does not take, or a
 * batch that fails, is handled by the button's own handler, one click at a time.
 */
let db: TestDb;
let app: ReturnType<typeof createApp>;
/** What the toy did, and how: "batch" or "alone". */
let done: { who: string; how: string }[] = [];
let failNextBatch = false;
/** How many clicks each batch was handed, in order. */
let batchSizes: number[] = [];
/** When each batch began and ended, in order ("start 100", "end 100"). */
let batchSteps: string[] = [];
/** How long a batch of more than 60 clicks takes inside its transaction, as a slow database would. */
let bigBatchTakesMs = 0;

const toy = defineFeature({
  name: 'toy',
  actions: {
    async 'toy.break'() {
      throw new Error('the toy broke');
    },
    async 'toy.tap'(ctx) {
      if (ctx.actor.userId.startsWith('broken')) throw new Error('the toy broke for them');
      done.push({ who: ctx.actor.userId, how: 'alone' });
      await ctx.event.reply(textMessage('Tapped alone.'));
    },
  },
  actionBatches: {
    'toy.tap': {
      key: (event) => event.value,
      async runMany(_deps, clicks) {
        batchSizes.push(clicks.length);
        batchSteps.push(`start ${clicks.length}`);
        if (clicks.length > 60 && bigBatchTakesMs > 0)
          await new Promise((r) => setTimeout(r, bigBatchTakesMs));
        const left = clicks.filter((c) => c.actor.userId.startsWith('odd'));
        for (const c of clicks) {
          if (left.includes(c)) continue;
          done.push({ who: c.actor.userId, how: 'batch' });
          await c.event.reply(textMessage('Tapped together.'));
        }
        batchSteps.push(`end ${clicks.length}`);
        if (failNextBatch && clicks.length > 1) {
          failNextBatch = false;
          throw new Error('the batch broke');
        }
        return left;
      },
    },
  },
});

beforeAll(async () => {
  db = await openTestDb();
});
beforeEach(async () => {
  await db.reset();
  done = [];
  batchSizes = [];
  batchSteps = [];
  bigBatchTakesMs = 0;
  failNextBatch = false;
  const clock = fixedClock('2026-11-23T10:00:00Z');
  const deps: AppDeps = {
    db: db.db,
    clock,
    logger: silentLogger(),
    platforms: { console: recordingPlatform(clock, 'console') },
    voterSecret: Buffer.alloc(32, 3),
  };
  app = createApp(deps, [toy]);
});
afterAll(async () => {
  await db.close();
});

/** Everyone taps at the same moment; what each was told. */
async function tapTogether(names: readonly string[]) {
  const clicks = names.map((name) => clicked(person(name), 'toy.tap', 'same-thing'));
  await Promise.all(clicks.map((c) => app.handle(c.event)));
  return clicks.map((c) => c.said.map((s) => s.message.text).join('\n'));
}

describe('clicks a feature handles several at once', () => {
  it('goes together when they arrive together, and each person is answered once', async () => {
    const answers = await tapTogether(['Ann', 'Bo', 'Cy', 'Di', 'Ed']);
    expect(answers).toEqual(['Tapped together.', ...Array(4).fill('Tapped together.')]);
    expect(done.map((d) => d.who).sort()).toEqual(
      ['Ann', 'Bo', 'Cy', 'Di', 'Ed'].map((n) => person(n).userId).sort(),
    );
  });

  it('goes together when the clicks come a moment apart, as an adapter lets them go', async () => {
    // Each a few turns of the event loop after the one before, as clicks taken in hand together
    // reach the core between other work.
    const tapAfter = async (turns: number, name: string) => {
      for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
      await app.handle(clicked(person(name), 'toy.tap', 'same-thing').event);
    };
    await Promise.all([tapAfter(0, 'Ann'), tapAfter(1, 'Bo'), tapAfter(2, 'Cy'), tapAfter(3, 'Di')]);
    expect(batchSizes).toEqual([4]);
    expect(done.map((d) => d.how)).toEqual(['batch', 'batch', 'batch', 'batch']);
  });

  it('takes a lone click at once, in a batch of its own', async () => {
    const answers = await tapTogether(['Ann']);
    expect(answers).toEqual(['Tapped together.']);
    expect(batchSizes).toEqual([1]);
  });

  // The embedded database has one connection: there the second batch waits for the first.
  it.runIf(testDatabaseUrl())(
    'writes a second batch of the same key while the first waits for the database',
    async () => {
      bigBatchTakesMs = 300;
      const names = Array.from({ length: 150 }, (_, i) => `Tapper${i}`);
      const answers = await tapTogether(names);
      expect(answers.every((a) => a === 'Tapped together.')).toBe(true);
      // The 50 begins while the 100 is still being written.
      expect([...batchSizes].sort((a, b) => a - b)).toEqual([50, 100]);
      expect(batchSteps.indexOf('start 50')).toBeLessThan(batchSteps.indexOf('end 100'));
    },
  );

  it.runIf(testDatabaseUrl())(
    'keeps a person’s second click out of the batch written beside the one holding their first',
    async () => {
      bigBatchTakesMs = 300;
      const names = Array.from({ length: 150 }, (_, i) => (i === 0 || i === 120 ? 'Twice' : `Tapper${i}`));
      const answers = await tapTogether(names);
      expect(answers.every((a) => a === 'Tapped together.')).toBe(true);
      // The 100 (with Twice's first click) and the 49 side by side; Twice's second after the 100.
      expect([...batchSizes].sort((a, b) => a - b)).toEqual([1, 49, 100]);
      expect(batchSteps.indexOf('start 49')).toBeLessThan(batchSteps.indexOf('end 100'));
      expect(batchSteps.slice(-2)).toEqual(['start 1', 'end 1']);
      expect(batchSteps.indexOf('end 100')).toBeLessThan(batchSteps.indexOf('start 1'));
    },
  );

  it('hands the clicks the batch leaves to the button’s own handler, one at a time', async () => {
    const answers = await tapTogether(['Ann', 'Odd1', 'Bo', 'Odd2']);
    expect(answers).toEqual(['Tapped together.', 'Tapped alone.', 'Tapped together.', 'Tapped alone.']);
    expect(done.filter((d) => d.how === 'alone').map((d) => d.who)).toEqual([
      person('Odd1').userId,
      person('Odd2').userId,
    ]);
  });

  it('handles each click alone when a batch fails, and nobody hears of the batch that did not happen', async () => {
    failNextBatch = true;
    const answers = await tapTogether(['Ann', 'Bo', 'Cy', 'Di']);
    // The four failed together, then went alone.
    expect(batchSizes).toEqual([4]);
    expect(answers).toEqual(['Tapped alone.', 'Tapped alone.', 'Tapped alone.', 'Tapped alone.']);
    expect(answers.every((a) => a.split('\n').length === 1)).toBe(true);
  });

  it('does nothing again for a click delivered again after its batch', async () => {
    const { event, said } = clicked(person('Ann'), 'toy.tap', 'same-thing');
    await Promise.all([app.handle(event), ...tapTogetherLater(['Bo', 'Cy'])]);
    await app.handle(event);
    expect(said).toHaveLength(1);
    expect(done.filter((d) => d.who === person('Ann').userId)).toHaveLength(1);
  });
});

describe('a click kept in the inbox', () => {
  it('is let go with its effects, and the adapter is told so once, whether it went in a batch or alone', async () => {
    const inbox = createInbox(db.db);
    const told = new Map<string, number>();
    const clicks = await Promise.all(
      ['Ann', 'Odd1', 'Bo', 'Cy'].map(async (name) => {
        const { event } = clicked(person(name), 'toy.tap', 'same-thing');
        const keptAs = await inbox.keep('console', { name });
        return { ...event, keptAs, keptReleased: () => told.set(name, (told.get(name) ?? 0) + 1) };
      }),
    );
    await Promise.all(clicks.map((c) => app.handle(c)));
    expect(Object.fromEntries(told)).toEqual({ Ann: 1, Odd1: 1, Bo: 1, Cy: 1 });
    expect(await inbox.waiting('console')).toEqual([]);
  });

  it('stays kept, and the adapter is not told it went, when handling it failed', async () => {
    const inbox = createInbox(db.db);
    let told = 0;
    const { event } = clicked(person('Ann'), 'toy.break', 'x');
    const keptAs = await inbox.keep('console', { name: 'Ann' });
    await app.handle({ ...event, keptAs, keptReleased: () => told++ });
    expect(told).toBe(0);
    expect((await inbox.waiting('console')).map((k) => k.id)).toEqual([keptAs]);
  });

  it('stays kept when its batch failed and so did handling it alone, while the others in the batch go', async () => {
    const inbox = createInbox(db.db);
    const told = new Map<string, number>();
    failNextBatch = true;
    const clicks = await Promise.all(
      ['Ann', 'broken1', 'Bo'].map(async (name) => {
        const { event } = clicked(person(name), 'toy.tap', 'same-thing');
        const keptAs = await inbox.keep('console', { name });
        return { ...event, keptAs, keptReleased: () => told.set(name, (told.get(name) ?? 0) + 1) };
      }),
    );
    const outcomes = await Promise.allSettled(clicks.map((c) => app.handle(c)));
    expect(batchSizes).toEqual([3]);
    expect(done.filter((d) => d.how === 'alone').map((d) => d.who)).toEqual(['ann', 'bo']);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    expect(Object.fromEntries(told)).toEqual({ Ann: 1, Bo: 1 });
    const waiting = await inbox.waiting('console');
    expect(waiting.map((k) => k.payload)).toEqual([{ name: 'broken1' }]);
  });
});

function tapTogetherLater(names: readonly string[]) {
  return names.map((name) => app.handle(clicked(person(name), 'toy.tap', 'same-thing').event));
}
