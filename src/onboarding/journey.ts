/**
 * The newcomer's journey as a pure state machine: which steps a group's journey has and what
 * comes after each. Steps a group cannot offer are left out rather than shown empty: no
 * checklist step without items, no access-needs step without an encryption key, no role step
 * unless coordinators let members choose one.
 */
export const STEPS = [
  'welcome',
  'pack',
  'checklist',
  'profile',
  'access',
  'buddy',
  'role',
  'announce',
  'done',
] as const;

export type Step = (typeof STEPS)[number];

export interface JourneyShape {
  readonly checklistItems: number;
  /** Access needs and lived experience can be asked: an encryption key is set. */
  readonly asksSensitive: boolean;
  readonly selfChosenRoles: boolean;
}

export function isStep(value: string): value is Step {
  return (STEPS as readonly string[]).includes(value);
}

export function stepsFor(shape: JourneyShape): Step[] {
  return STEPS.filter((step) => {
    if (step === 'checklist') return shape.checklistItems > 0;
    if (step === 'access') return shape.asksSensitive;
    if (step === 'role') return shape.selfChosenRoles;
    return true;
  });
}

/** The step after `step` in this group's journey (a step since left out counts by its place). */
export function nextStep(step: Step, shape: JourneyShape): Step {
  const at = STEPS.indexOf(step);
  return stepsFor(shape).find((s) => STEPS.indexOf(s) > at) ?? 'done';
}

/** The step a member should see: the stored one, or the next offered one if it was left out since. */
export function currentStep(stored: Step, shape: JourneyShape): Step {
  return stepsFor(shape).includes(stored) ? stored : nextStep(stored, shape);
}

/** "Step 3 of 7": the welcome is step 1; done is not counted. */
export function position(step: Step, shape: JourneyShape): { readonly number: number; readonly of: number } {
  const steps: Step[] = stepsFor(shape).filter((s) => s !== 'done');
  return { number: Math.max(1, steps.indexOf(step) + 1), of: steps.length };
}

/** Each step in plain words, as coordinators and the member see it: "at step 3 of 7 (...)". */
export const STEP_NAMES: Readonly<Record<Step, string>> = {
  welcome: 'the first hello',
  pack: 'reading about the group',
  checklist: 'what we expect of each other',
  profile: 'a little about you',
  access: 'what helps you take part',
  buddy: 'whether to have a buddy',
  role: 'choosing a role',
  announce: 'saying hello to the group',
  done: 'finished',
};
