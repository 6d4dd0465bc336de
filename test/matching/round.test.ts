import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planRound } from '../../src/matching/round.js';
import { ScoreTable } from '../../src/matching/scoring.js';
import type { Candidate, Pair, RoundHistory } from '../../src/matching/types.js';

const AT = new Date('2026-01-12T10:00:00Z');
const ZONES = ['Europe/London', 'America/New_York', 'Asia/Kolkata', 'Australia/Sydney'];
const TAGS = ['art', 'walking', 'gardens', 'policy', 'music', 'cooking', 'data'];

/** A small group with every kind of rule: statuses, avoid lists, forbidden pairs, recent rounds. */
const scenario = (maxMembers: number) =>
  fc.integer({ min: 0, max: maxMembers }).chain((n) => {
    const ids = Array.from({ length: n }, (_, i) => `p${i}`);
    const id = fc.constantFrom(...(ids.length ? ids : ['nobody']));
    return fc.record({
      members: fc.tuple(
        ...ids.map((memberId) =>
          fc.record({
            id: fc.constant(memberId),
            timezone: fc.constantFrom(...ZONES),
            interests: fc.subarray(TAGS),
            status: fc.constantFrom('active', 'active', 'active', 'paused', 'opted-out'),
            avoid: fc.array(id, { maxLength: 2 }),
          }),
        ),
      ) as fc.Arbitrary<Candidate[]>,
      forbidden: fc.array(fc.tuple(id, id), { maxLength: 3 }) as fc.Arbitrary<Pair[]>,
      history: fc.array(
        fc.array(
          fc.array(id, { minLength: 2, maxLength: 3 }).map((g) => [...new Set(g)]),
          { maxLength: 4 },
        ),
        { maxLength: 7 },
      ) as fc.Arbitrary<RoundHistory>,
    });
  });

function key(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

function ruledOut(members: readonly Candidate[], forbidden: readonly Pair[]): Set<string> {
  const out = new Set(forbidden.map(([a, b]) => key(a, b)));
  for (const m of members) for (const other of m.avoid ?? []) out.add(key(m.id, other));
  return out;
}

/** Best (pairs, -repeats, weight) over every matching of the allowed pairs, by trying them all. */
function bruteForce(members: readonly Candidate[], forbidden: readonly Pair[], history: RoundHistory) {
  const active = members.filter((m) => m.status === 'active');
  const table = new ScoreTable(active, AT, history);
  const banned = ruledOut(members, forbidden);
  let best = { pairs: 0, repeats: 0, weight: 0 };
  const used = new Array<boolean>(active.length).fill(false);
  const visit = (from: number, pairs: number, repeats: number, weight: number): void => {
    let i = from;
    while (i < active.length && used[i]) i++;
    if (i >= active.length) {
      const better =
        pairs > best.pairs ||
        (pairs === best.pairs &&
          (repeats < best.repeats || (repeats === best.repeats && weight > best.weight)));
      if (better) best = { pairs, repeats, weight };
      return;
    }
    used[i] = true;
    visit(i + 1, pairs, repeats, weight);
    for (let j = i + 1; j < active.length; j++) {
      if (used[j] || banned.has(key(active[i]!.id, active[j]!.id))) continue;
      used[j] = true;
      const repeat = table.metRoundsAgo(i, j) === undefined ? 0 : 1;
      visit(i + 1, pairs + 1, repeats + repeat, weight + table.weight(i, j));
      used[j] = false;
    }
    used[i] = false;
  };
  visit(0, 0, 0, 0);
  return best;
}

describe('planning a peer round', () => {
  it('never pairs anyone with themselves, places nobody twice and leaves out paused and opted-out members', () => {
    fc.assert(
      fc.property(scenario(14), ({ members, forbidden, history }) => {
        const plan = planRound({ members, at: AT, history, rules: { forbidden } });
        const placed = plan.groups.flatMap((g) => g.members);
        expect(new Set(placed).size).toBe(placed.length);
        const status = new Map(members.map((m) => [m.id, m.status]));
        for (const id of placed) expect(status.get(id)).toBe('active');
        for (const u of plan.unmatched) expect(status.get(u.id)).toBe('active');
        const active = members.filter((m) => m.status === 'active').length;
        expect(placed.length + plan.unmatched.length).toBe(active);
      }),
      { numRuns: 300 },
    );
  });

  it('never puts together two people when either asked to avoid the other or a coordinator forbade it', () => {
    fc.assert(
      fc.property(scenario(14), fc.integer({ min: 2, max: 4 }), ({ members, forbidden, history }, size) => {
        const banned = ruledOut(members, forbidden);
        const plan = planRound({
          members,
          at: AT,
          history,
          rules: { forbidden },
          groupSize: size as 2 | 3 | 4,
        });
        for (const group of plan.groups) {
          for (const a of group.members) {
            for (const b of group.members) if (a !== b) expect(banned.has(key(a, b))).toBe(false);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('pairs as many as possible, repeats a recent pair only when unavoidable, and reaches the best total score', () => {
    fc.assert(
      fc.property(scenario(12), ({ members, forbidden, history }) => {
        const plan = planRound({ members, at: AT, history, rules: { forbidden } });
        const best = bruteForce(members, forbidden, history);
        const active = members.filter((m) => m.status === 'active');
        const table = new ScoreTable(active, AT, history);
        const index = new Map(active.map((m, i) => [m.id, i]));
        const repeats = plan.pairs.filter(
          ([a, b]) => table.metRoundsAgo(index.get(a)!, index.get(b)!) !== undefined,
        );
        expect(plan.pairs.length).toBe(best.pairs);
        expect(repeats.length).toBe(best.repeats);
        expect(plan.weight).toBe(best.weight);
      }),
      { numRuns: 300 },
    );
  });

  it('an odd number of people who may all meet makes exactly one trio and leaves nobody out', () => {
    const members: Candidate[] = Array.from({ length: 7 }, (_, i) => ({
      id: `p${i}`,
      timezone: 'Europe/London',
      interests: [],
      status: 'active',
    }));
    const plan = planRound({ members, at: AT });
    expect(plan.groups.map((g) => g.members.length).sort()).toEqual([2, 2, 3]);
    expect(plan.unmatched).toEqual([]);
  });

  it('someone everyone else avoids is left unmatched, with a reason that names nobody', () => {
    const members: Candidate[] = [
      { id: 'ann', timezone: 'Europe/London', interests: [], status: 'active', avoid: ['cat'] },
      { id: 'bob', timezone: 'Europe/London', interests: [], status: 'active', avoid: ['cat'] },
      { id: 'cat', timezone: 'Europe/London', interests: [], status: 'active' },
    ];
    const plan = planRound({ members, at: AT });
    expect(plan.groups.map((g) => g.members)).toEqual([['ann', 'bob']]);
    expect(plan.unmatched).toEqual([{ id: 'cat', reason: 'no-suitable-partner' }]);
    expect(JSON.stringify(plan)).not.toContain('avoid');
  });

  it('a coordinator pin is honoured, but never over an avoid list, and a skipped pin says nothing of why', () => {
    const members: Candidate[] = ['ann', 'bob', 'cat', 'dev'].map((id) => ({
      id,
      timezone: 'Europe/London',
      interests: [],
      status: 'active',
      avoid: id === 'dev' ? ['cat'] : [],
    }));
    const plan = planRound({
      members,
      at: AT,
      rules: {
        pinned: [
          ['ann', 'bob'],
          ['cat', 'dev'],
        ],
      },
    });
    expect(plan.groups.find((g) => g.kind === 'pinned')?.members.slice(0, 2)).toEqual(['ann', 'bob']);
    expect(plan.pinsSkipped).toBe(1);
    expect(plan.groups.some((g) => g.members.includes('cat') && g.members.includes('dev'))).toBe(false);
  });

  it('groups of four and of three hold everyone, in groups of two up to one more than asked for', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 30 }), fc.constantFrom(3, 4), (n, size) => {
        const members: Candidate[] = Array.from({ length: n }, (_, i) => ({
          id: `p${i}`,
          timezone: ZONES[i % 3]!,
          interests: TAGS.slice(0, i % TAGS.length),
          status: 'active',
        }));
        const plan = planRound({ members, at: AT, groupSize: size as 3 | 4 });
        expect(plan.unmatched).toEqual([]);
        for (const g of plan.groups) {
          expect(g.members.length).toBeGreaterThanOrEqual(2);
          expect(g.members.length).toBeLessThanOrEqual(size + 1);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('when nothing rules a pairing out, every group has the size asked for, and the remainder is as documented', () => {
    /** groups.ts: the sizes n people make, largest first, when everyone may meet everyone. */
    const expected = (n: number, size: 2 | 3 | 4): number[] => {
      if (n < 2) return [];
      if (n <= size) return [n];
      const r = n % size;
      const full = Math.floor(n / size);
      const sizes = (count: number, of: number) => Array.from({ length: count }, () => of);
      if (r === 0) return sizes(full, size);
      if (r === 1) return [size + 1, ...sizes(full - 1, size)];
      if (size === 4 && r === 2) return [...sizes(full - 1, 4), 3, 3];
      return [...sizes(full, size), r];
    };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 26 }), fc.constantFrom(2, 3, 4), (n, size) => {
        const members: Candidate[] = Array.from({ length: n }, (_, i) => ({
          id: `p${i}`,
          timezone: ZONES[i % ZONES.length]!,
          interests: TAGS.slice(i % 4, (i % 4) + (i % 3)),
          status: 'active',
        }));
        // Past rounds change who meets whom, never how many.
        const history: RoundHistory = [members.slice(0, 6).map((m) => m.id)].map((ids) => [ids]);
        const plan = planRound({ members, at: AT, history, groupSize: size as 2 | 3 | 4 });
        const sizes = plan.groups.map((g) => g.members.length).sort((a, b) => b - a);
        expect(sizes).toEqual(expected(n, size as 2 | 3 | 4));
        expect(plan.unmatched.map((u) => u.id)).toEqual(n === 1 ? ['p0'] : []);
      }),
      { numRuns: 200 },
    );
  });

  it('with every kind of rule, groups of any size place nobody twice and stay within one of the size asked for', () => {
    fc.assert(
      fc.property(scenario(16), fc.constantFrom(2, 3, 4), ({ members, forbidden, history }, size) => {
        const plan = planRound({
          members,
          at: AT,
          history,
          rules: { forbidden },
          groupSize: size as 2 | 3 | 4,
        });
        const placed = plan.groups.flatMap((g) => g.members);
        expect(new Set(placed).size).toBe(placed.length);
        for (const g of plan.groups) {
          expect(g.members.length).toBeGreaterThanOrEqual(2);
          expect(g.members.length).toBeLessThanOrEqual(size + 1);
        }
        const banned = ruledOut(members, forbidden);
        for (const g of plan.groups) {
          for (const a of g.members)
            for (const b of g.members) if (a !== b) expect(banned.has(key(a, b))).toBe(false);
        }
        const active = members.filter((m) => m.status === 'active').length;
        expect(placed.length + plan.unmatched.length).toBe(active);
      }),
      { numRuns: 300 },
    );
  });
});
