import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/fake-discord-driver.js';
import { ANN, BO, type Harness, startHarness } from './harness.js';

const EPHEMERAL = 64;

/** The involvement report's spreadsheets, through discord.js, the adapter and the fake Discord. */
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
beforeEach(async () => {
  await h.reset();
  const setup = h.fake.command(ANN, ['setup']);
  await eventually(() => h.fake.visible(setup).length > 0, 'setup');
  await h.discord.settled();
});
afterAll(async () => {
  await h.close();
});

async function answer(record: ReturnType<Harness['fake']['command']>, files = 0) {
  await eventually(
    () => h.fake.visible(record).length > 0 && h.fake.visible(record).flatMap((m) => m.files).length >= files,
    'an answer',
  );
  await h.discord.settled();
  return h.fake.visible(record);
}

describe('the involvement report on Discord', () => {
  it("attaches the report's CSV files to the coordinator's private answer, and they read back as the records", async () => {
    await answer(h.fake.command(ANN, ['payments', 'rate'], { type: 'meeting', amount: '£25' }));
    await answer(
      h.fake.command(ANN, ['log', 'time'], {
        time: '90m',
        what: 'Reviewed the leaflet',
        type: 'meeting',
        for: BO,
      }),
    );
    const shown = await answer(h.fake.command(ANN, ['report'], { csv: true }), 3);
    expect(shown[0]?.content).toContain('Time: 1h 30m from 1 person.');
    expect(shown.every((m) => (m.flags & EPHEMERAL) === EPHEMERAL)).toBe(true);
    const files = shown.flatMap((m) => m.files);
    expect(files.map((f) => [f.name.replace(/_\d.*/, ''), f.contentType])).toEqual([
      ['payments', 'text/csv'],
      ['involvement', 'text/csv'],
      ['you-said-we-did', 'text/csv'],
    ]);
    const time: string[][] = parse(files[1]?.content ?? '', { bom: true });
    expect(time[1]).toEqual(
      expect.arrayContaining(['meeting', '1.50', '90', 'Reviewed the leaflet', 'Full', 'Owed']),
    );
  });

  it('refuses the report to a member, with no file', async () => {
    const shown = await answer(h.fake.command(BO, ['report'], { csv: true }));
    expect(shown[0]?.content).toContain('Only coordinators can use /copro report.');
    expect(shown.flatMap((m) => m.files)).toEqual([]);
  });
});
