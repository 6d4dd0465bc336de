/**
 * Gathers what every feature brings into one lookup per kind of id. Two features claiming the
 * same id is a mistake made while writing code, so it stops copro at start with a message that
 * names both features, rather than letting the later one silently win.
 */
import type { RunCommand } from './commands/types.js';
import type { AppDeps, FeatureDeps } from './deps.js';
import type {
  ActionBatch,
  ActionHandler,
  Feature,
  FeatureJobBatchContext,
  FeatureJobContext,
  FormHandler,
} from './features.js';
import type { JobDefinition, JobHandlers } from './jobs/index.js';
import type { JobKind, JobPayloads } from './jobs/jobs.js';
import type { NamedPersonalData } from './privacy/declaration.js';

export interface Registry {
  readonly deps: FeatureDeps;
  readonly commands: ReadonlyMap<string, RunCommand>;
  readonly actions: ReadonlyMap<string, ActionHandler>;
  readonly actionBatches: ReadonlyMap<string, ActionBatch>;
  readonly forms: ReadonlyMap<string, FormHandler>;
  /** For the scheduler: each feature's jobs, with the deps bound and the payload typed. */
  readonly jobs: JobHandlers;
}

/** A job as the registry sees it: any kind, any declared payload. */
interface AnyJob extends Omit<JobDefinition, 'run' | 'runMany'> {
  run(ctx: FeatureJobContext<JobKind>): Promise<void>;
  runMany?(ctx: FeatureJobBatchContext<JobKind>): Promise<void>;
}

export class FeatureConflictError extends Error {
  override readonly name = 'FeatureConflictError';
}

/** What each feature's tables hold about a person, named by feature. */
export function personalDataOf(features: readonly Feature[]): NamedPersonalData[] {
  return features.flatMap((f) => (f.personalData ? [{ ...f.personalData, feature: f.name }] : []));
}

export function buildRegistry(base: AppDeps, features: readonly Feature[]): Registry {
  const deps: FeatureDeps = {
    ...base,
    digestSections: features.flatMap((f) => f.digestSections ?? []),
    personalData: personalDataOf(features),
  };
  const owners = new Map<string, string>();
  function claim<T>(
    into: Map<string, T>,
    what: string,
    feature: Feature,
    entries: [string, T | undefined][],
  ) {
    for (const [id, value] of entries) {
      if (value === undefined) continue;
      const owner = owners.get(`${what}\u0000${id}`);
      if (owner !== undefined) {
        throw new FeatureConflictError(
          `copro cannot start: the ${owner} and ${feature.name} features both handle the ${what} "${id}". ` +
            'Each command, action, form and job belongs to one feature: rename or remove one of them.',
        );
      }
      owners.set(`${what}\u0000${id}`, feature.name);
      into.set(id, value);
    }
  }

  const commands = new Map<string, RunCommand>();
  const actions = new Map<string, ActionHandler>();
  const actionBatches = new Map<string, ActionBatch>();
  const forms = new Map<string, FormHandler>();
  const jobs = new Map<string, JobDefinition>();
  for (const feature of features) {
    claim(commands, 'command', feature, Object.entries(feature.commands ?? {}));
    claim(actions, 'action', feature, Object.entries(feature.actions ?? {}));
    claim(actionBatches, 'batched action', feature, Object.entries(feature.actionBatches ?? {}));
    claim(forms, 'form', feature, Object.entries(feature.forms ?? {}));
    const featureJobs: [string, AnyJob | undefined][] = Object.entries(feature.jobs ?? {});
    claim(
      jobs,
      'job',
      feature,
      featureJobs.map(([kind, job]) => [kind, job && bind(job, deps)]),
    );
  }
  return { deps, commands, actions, actionBatches, forms, jobs: Object.fromEntries(jobs) };
}

function bind(job: AnyJob, deps: FeatureDeps): JobDefinition {
  return {
    policy: job.policy,
    maxAttempts: job.maxAttempts,
    describe: job.describe?.bind(job),
    // The payload was written by scheduleJob for this same kind, typed by JobPayloads.
    run: (ctx) => job.run({ ...ctx, deps, payload: ctx.job.payload as JobPayloads[JobKind] }),
    runMany:
      job.runMany &&
      ((ctx) =>
        job.runMany!({ ...ctx, deps, payloads: ctx.jobs.map((j) => j.payload as JobPayloads[JobKind]) })),
  };
}
