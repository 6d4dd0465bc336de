import type { RESTOptions } from 'discord.js';

/**
 * Discord's REST requests go through the runtime's own fetch. By default @discordjs/rest calls
 * its own copy of undici, which sends through whatever dispatcher the process set up first; when
 * that is another undici's (Slack's Socket Mode brings one), a message with files fails with
 * "action is not a function", because that undici does not know this FormData. fetch turns the
 * body into bytes itself, so any dispatcher can send it.
 */
export const viaFetch: RESTOptions['makeRequest'] = (url, init) =>
  fetch(url, init as RequestInit) as unknown as ReturnType<RESTOptions['makeRequest']>;
