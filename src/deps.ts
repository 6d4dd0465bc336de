import type { Db } from '../db/client.js';
import type { ChatPlatform, PlatformKind } from './chat/index.js';
import type { Clock } from './clock.js';
import type { DigestSectionBuilder } from './digest/sections.js';
import type { Logger } from './logger.js';
import type { NamedPersonalData } from './privacy/declaration.js';
import type { SealKey } from './privacy/sealed.js';

/** The platforms copro is connected to. Filled in by main.ts (or a test) as each one starts. */
export type Platforms = Partial<Record<PlatformKind, ChatPlatform>>;

/** Everything a feature needs, handed in: no module-level singletons. */
export interface AppDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly platforms: Platforms;
  /**
   * Deliver what is waiting in the outbox now rather than at the next tick: used after a person
   * starts or closes something they expect to see at once. Absent in tests that deliver by hand.
   */
  readonly outbox?: { readonly flush: () => Promise<unknown> };
  /**
   * Work for after the event being handled has committed, given deps outside its transaction:
   * work that must see the event's own change, or must not hold its locks (drawing a poll message
   * after a vote). Absent outside an event's transaction: do the work at once.
   */
  readonly afterCommit?: (work: (deps: AppDeps) => Promise<void>) => void;
  /**
   * AES-256-GCM key for special-category fields, when configured; while the key is being changed,
   * the new one and the one it replaces (src/privacy/sealed.ts).
   */
  readonly encryptionKey?: SealKey;
  /**
   * The key behind anonymous voter hashes and the keys repeated events are recognised by. Kept
   * outside the database (src/voter-secret.ts); without it, anonymous polls are refused.
   */
  readonly voterSecret?: Buffer;
  /** Days after a Slack workspace or Discord server removes copro before its data is erased (default 30). */
  readonly removedWorkspaceDays?: number;
}

/** What feature code receives: the deps, plus what createApp gathered from every feature. */
export interface FeatureDeps extends AppDeps {
  /** Every feature's digest sections, in the order of the feature list. */
  readonly digestSections: readonly DigestSectionBuilder[];
  /** Every feature's personal-data declaration, in the order of the feature list. */
  readonly personalData: readonly NamedPersonalData[];
}
