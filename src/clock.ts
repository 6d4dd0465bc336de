/** Time, handed in so tests can fix it. */
export interface Clock {
  now(): Date;
}

export const systemClock = { now: () => new Date() } as const satisfies Clock;

/** A clock tests can set and move. */
export function fixedClock(
  start: Date | string,
): Clock & { set(to: Date | string): void; advance(ms: number): void } {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set: (to) => {
      current = new Date(to);
    },
    advance: (ms) => {
      current = new Date(current.getTime() + ms);
    },
  };
}
