import { describe, expect, it } from 'vitest';
import { createSeenMembers, SEEN_FOR_MS } from '../../adapters/discord/seen-members.js';

/** Who the Discord adapter counts as in a server without asking Discord, by a clock of the test's own. */
describe('people seen in a server', () => {
  it('counts someone seen in a server as in it for ten minutes, and only in that server', () => {
    let now = 1_000_000;
    const seen = createSeenMembers(() => now);
    seen.saw('G1', 'U1');
    expect(seen.seenLately('G1', 'U1')).toBe(true);
    expect(seen.seenLately('G2', 'U1')).toBe(false);
    now += SEEN_FOR_MS;
    expect(seen.seenLately('G1', 'U1')).toBe(true);
    now += 1;
    expect(seen.seenLately('G1', 'U1')).toBe(false);
  });

  it('forgets someone who leaves the server at once', () => {
    const seen = createSeenMembers(() => 0);
    seen.saw('G1', 'U1');
    seen.left('G1', 'U1');
    expect(seen.seenLately('G1', 'U1')).toBe(false);
  });

  it('forgets the person seen longest ago once it remembers 10,000', () => {
    let now = 0;
    const seen = createSeenMembers(() => now);
    for (let i = 0; i < 10_000; i++) seen.saw('G1', `U${i}`);
    now += 1;
    // Seen again, U0 is now the latest: U1 is the one to go.
    seen.saw('G1', 'U0');
    seen.saw('G1', 'NEW');
    expect(seen.seenLately('G1', 'U0')).toBe(true);
    expect(seen.seenLately('G1', 'U1')).toBe(false);
    expect(seen.seenLately('G1', 'U2')).toBe(true);
    expect(seen.seenLately('G1', 'NEW')).toBe(true);
  });
});
