export { type Edge, matchedPairs, maxWeightMatching } from './blossom.js';
export { assignBuddies, type Buddy, type BuddyPlan, DEFAULT_BUDDY_CAPACITY } from './buddies.js';
export { countViolations } from './check.js';
export { greedyMatching } from './greedy.js';
export { planRound, type RoundInput } from './round.js';
export { REPEAT_WINDOW, ScoreTable } from './scoring.js';
export type * from './types.js';
