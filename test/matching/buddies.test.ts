import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignBuddies, type Buddy, DEFAULT_BUDDY_CAPACITY } from '../../src/matching/buddies.js';
import type { Candidate, Pair } from '../../src/matching/types.js';

const AT = new Date('2026-01-12T10:00:00Z');
const person = (id: string, extra: Partial<Candidate> = {}): Candidate => ({
  id,
  timezone: 'Europe/London',
  interests: [],
  status: 'active',
  ...extra,
});

const scenario = fc
  .record({ newcomers: fc.integer({ min: 0, max: 6 }), buddies: fc.integer({ min: 0, max: 4 }) })
  .chain(({ newcomers, buddies }) => {
    const newIds = Array.from({ length: newcomers }, (_, i) => `n${i}`);
    const buddyIds = Array.from({ length: buddies }, (_, i) => `b${i}`);
    const anyone = fc.constantFrom('nobody', ...newIds, ...buddyIds);
    const status = fc.constantFrom('active', 'active', 'paused', 'opted-out') as fc.Arbitrary<
      Candidate['status']
    >;
    return fc.record({
      newcomers: fc.tuple(
        ...newIds.map((id) =>
          fc.record({ id: fc.constant(id), status, avoid: fc.array(anyone, { maxLength: 2 }) }),
        ),
      ),
      buddies: fc.tuple(
        ...buddyIds.map((id) =>
          fc.record({
            id: fc.constant(id),
            status,
            avoid: fc.array(anyone, { maxLength: 2 }),
            capacity: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
            load: fc.integer({ min: 0, max: 2 }),
          }),
        ),
      ),
      forbidden: fc.array(fc.tuple(anyone, anyone), { maxLength: 2 }),
    });
  });

/** Most newcomers that could get a buddy, by trying every assignment. */
function mostPossible(
  newcomers: readonly Candidate[],
  buddies: readonly Buddy[],
  banned: (a: string, b: string) => boolean,
) {
  const waiting = newcomers.filter((n) => n.status === 'active');
  const open = buddies.filter((b) => b.status === 'active');
  const free = open.map((b) => (b.capacity ?? DEFAULT_BUDDY_CAPACITY) - b.load);
  const visit = (i: number): number => {
    if (i === waiting.length) return 0;
    let best = visit(i + 1);
    open.forEach((b, j) => {
      if (free[j]! <= 0 || banned(waiting[i]!.id, b.id)) return;
      free[j]!--;
      best = Math.max(best, 1 + visit(i + 1));
      free[j]!++;
    });
    return best;
  };
  return visit(0);
}

describe('newcomers and buddies', () => {
  it('respects capacity, avoid lists, forbidden pairs and pauses, and gives as many newcomers a buddy as possible', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const newcomers = s.newcomers.map((n) => person(n.id, n as Partial<Candidate>));
        const buddies: Buddy[] = s.buddies.map((b) => ({ ...person(b.id, b as Partial<Candidate>), ...b }));
        const forbidden = s.forbidden as Pair[];
        const everyone = [...newcomers, ...buddies];
        const banned = (a: string, b: string) =>
          forbidden.some(([x, y]) => (x === a && y === b) || (x === b && y === a)) ||
          everyone.some((m) => (m.id === a && m.avoid?.includes(b)) || (m.id === b && m.avoid?.includes(a)));
        const plan = assignBuddies({ newcomers, buddies, at: AT, rules: { forbidden } });

        const seen = new Set<string>();
        const taken = new Map<string, number>();
        for (const { newcomer, buddy } of plan.assignments) {
          expect(seen.has(newcomer)).toBe(false);
          seen.add(newcomer);
          expect(newcomers.find((n) => n.id === newcomer)?.status).toBe('active');
          const b = buddies.find((x) => x.id === buddy)!;
          expect(b.status).toBe('active');
          expect(banned(newcomer, buddy)).toBe(false);
          taken.set(buddy, (taken.get(buddy) ?? 0) + 1);
        }
        for (const [id, count] of taken) {
          const b = buddies.find((x) => x.id === id)!;
          expect(b.load + count).toBeLessThanOrEqual(b.capacity ?? DEFAULT_BUDDY_CAPACITY);
        }
        expect(plan.assignments.length).toBe(mostPossible(newcomers, buddies, banned));
      }),
      { numRuns: 300 },
    );
  });

  it('spreads newcomers across free buddies before giving anyone a second', () => {
    const plan = assignBuddies({
      newcomers: [person('ann'), person('bob')],
      buddies: [
        { ...person('kim', { interests: ['art'] }), load: 0 },
        { ...person('lee'), load: 0 },
      ],
      at: AT,
    });
    expect(plan.assignments.map((a) => a.buddy).sort()).toEqual(['kim', 'lee']);
  });

  it('prefers the buddy who shares interests and waking hours', () => {
    const plan = assignBuddies({
      newcomers: [person('ann', { interests: ['art', 'walking'] })],
      buddies: [
        { ...person('kim', { timezone: 'Australia/Sydney', interests: ['art'] }), load: 0 },
        { ...person('lee', { interests: ['art', 'walking'] }), load: 0 },
      ],
      at: AT,
    });
    expect(plan.assignments).toMatchObject([{ newcomer: 'ann', buddy: 'lee' }]);
    expect(plan.assignments[0]!.parts.sharedInterests).toEqual(['art', 'walking']);
  });
});
