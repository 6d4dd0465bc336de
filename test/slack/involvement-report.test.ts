import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ANN, BO, type Harness, startHarness } from './harness.js';

/** The involvement report's spreadsheets, through Bolt, the Slack adapter and the fake Slack. */
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
beforeEach(async () => {
  await h.reset();
  await h.driver.command('setup', { userId: ANN.id });
  await h.slack.settled();
  h.fake.clear();
});
afterAll(async () => {
  await h.close();
});

describe('the involvement report on Slack', () => {
  it("uploads the report's CSV files to the coordinator's direct messages, and they read back as the records", async () => {
    await h.driver.command('payments rate meeting £25', { userId: ANN.id });
    await h.driver.command(`log 2h "Reviewed the leaflet" --type meeting --for <@${BO.id}|bo>`, {
      userId: ANN.id,
    });
    await h.slack.settled();
    h.fake.clear();
    const { responseId } = await h.driver.command('report --csv', { userId: ANN.id });
    await h.slack.settled();
    const answer = h.fake.callsTo('response_url').find((c) => c.responseUrlId === responseId);
    expect(answer?.body.text).toContain('Time: 2h from 1 person.');
    expect(answer?.body.text).toContain('I have sent you the 3 files in your direct messages with copro.');
    const files = h.fake.sharedFiles();
    expect(files.map((f) => [f.channelId, f.filename.replace(/_\d.*/, '')])).toEqual([
      [`D${ANN.id}`, 'payments'],
      [`D${ANN.id}`, 'involvement'],
      [`D${ANN.id}`, 'you-said-we-did'],
    ]);
    const payments: string[][] = parse(files[0]?.content ?? '', { bom: true });
    expect(payments[1]).toEqual(
      expect.arrayContaining(['bo', BO.id, 'Time', 'meeting', '2.00', '25.00', '50.00', 'GBP', 'Owed']),
    );
  });

  it('refuses the report to a member', async () => {
    const { responseId } = await h.driver.command('report --csv', { userId: BO.id });
    await h.slack.settled();
    const answer = h.fake.callsTo('response_url').find((c) => c.responseUrlId === responseId);
    expect(answer?.body.text).toContain('Only coordinators can use /copro report.');
    expect(h.fake.sharedFiles()).toEqual([]);
  });
});
