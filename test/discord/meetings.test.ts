import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { unlimited } from '../../src/jobs/index.js';
import { eventually } from '../support/fake-discord-driver.js';
import { ANN, CY, type Harness, startHarness } from './harness.js';

/** A meeting end to end on Discord: planned by command, its agenda posted, answered by button. */
const EPHEMERAL = 64;
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ limits: unlimited });
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

async function answerTo(record: ReturnType<Harness['fake']['command']>) {
  const [first] = await eventually(
    () => h.fake.visible(record).length > 0 && h.fake.visible(record),
    'an answer',
  );
  await h.discord.settled();
  return first!;
}

describe('meetings on Discord', () => {
  it('posts the agenda with three buttons; Going is counted on the post and thanked privately', async () => {
    const planned = await answerTo(
      h.fake.command(ANN, ['meeting', 'new'], {
        title: 'Leaflet review',
        when: 'in 3 days at 2pm',
        where: 'Room 4',
      }),
    );
    expect(planned.content).toMatch(/^Meeting M\w+: Leaflet review is planned for /);
    expect(planned.flags & EPHEMERAL).toBe(EPHEMERAL);
    await h.dispatcher.dispatchDue();
    const [post] = h.fake.messagesIn(h.fake.channelId);
    expect(post!.content).toContain('Leaflet review');
    const labels = post!.components.flatMap((row) => row.components.map((c: { label: string }) => c.label));
    expect(labels).toEqual(['Going', "Can't make it", 'Maybe']);

    const thanks = await answerTo(h.fake.click(CY, post!, 'Going'));
    expect(thanks.content).toContain('Thank you. You are going to "Leaflet review" on ');
    expect(thanks.flags & EPHEMERAL).toBe(EPHEMERAL);
    await h.dispatcher.dispatchDue();
    expect(post!.content).toContain("1 going, 0 maybe, 0 can't make it");

    await answerTo(h.fake.click(CY, post!, "Can't make it"));
    await h.dispatcher.dispatchDue();
    expect(post!.content).toContain("0 going, 0 maybe, 1 can't make it");
    expect(h.fake.messagesIn(h.fake.channelId)).toHaveLength(1);
  });
});
