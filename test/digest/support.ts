import { createApp } from '../../src/app.js';
import type { Actor, EventHandler } from '../../src/chat/index.js';
import type { AppDeps } from '../../src/deps.js';
import { typed } from '../support/events.js';

/** The real app, answering typed commands the way a platform would see it. */
export function driver(deps: AppDeps) {
  const handle: EventHandler = createApp(deps).handle;
  return async function run(actor: Actor, text: string, channel = 'general') {
    const { event, said } = typed(actor, text, channel);
    await handle(event);
    if (said.length !== 1) throw new Error(`expected one answer to "${text}", got ${said.length}`);
    return { text: said[0]!.message.text, private: said[0]!.private, message: said[0]!.message };
  };
}
