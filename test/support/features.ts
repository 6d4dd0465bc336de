import { defaultFeatures } from '../../src/app.js';
import type { Feature } from '../../src/features.js';

/**
 * copro's features with a test's own fixtures added. A fixture takes over the catalogue commands
 * it implements (the platform tests drive forms and slow answers through a real command), so it
 * never depends on which commands happen to be built yet.
 */
export function featuresWith(extra: readonly Feature[] = []): Feature[] {
  const taken = new Set(extra.flatMap((f) => Object.keys(f.commands ?? {})));
  const built = defaultFeatures().map((f) =>
    f.commands
      ? { ...f, commands: Object.fromEntries(Object.entries(f.commands).filter(([id]) => !taken.has(id))) }
      : f,
  );
  return [...built, ...extra];
}
