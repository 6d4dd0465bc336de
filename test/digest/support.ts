import { createApp, defaultFeatures } from '../../src/app.js';
import type { Actor, EventHandler } from '../../src/chat/index.js';
import type { AppDeps } from '../../src/deps.js';
import { digestFeature } from '../../src/digest/feature.js';
import { typed } from '../support/events.js';

/** The real app with the digest feature, answering typed commands the way a platform would see it. */
export function driver(deps: AppDeps) {
  const base = defaultFeatures(deps);
  const features = base.some((f) => f.commands?.['digest.preview']) ? base : [...base, digestFeature];
  const handle: EventHandler = createApp(deps, features).handle;
  return async function run(actor: Actor, text: string, channel = 'general') {
    const { event, said } = typed(actor, text, channel);
    await handle(event);
    if (said.length !== 1) throw new Error(`expected one answer to "${text}", got ${said.length}`);
    return { text: said[0]!.message.text, private: said[0]!.private, message: said[0]!.message };
  };
}
