/**
 * A burst of signed clicks sent by autocannon from a process of its own, so the sender shares
 * nothing with the app but the machine. Run by bench/poll-votes.ts with a CannonSpec as JSON on
 * stdin (a BurstSpec); prints a CannonResult as JSON on stdout. Each request is a different click (its own
 * member, its own signature, made just before it is sent, as Slack signs each delivery).
 */
import { text } from 'node:stream/consumers';
import autocannon from 'autocannon';
import { slackDriver } from '../../test/support/slack-driver.js';
import type { BurstSpec, Click } from './slack-side.js';

export interface CannonResult {
  /** When autocannon sent its first request (ms since the epoch): the process took a while to start. */
  readonly startedAt: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly perSecond: number;
  readonly non2xx: number;
  readonly errors: number;
}

const spec = JSON.parse(await text(process.stdin)) as BurstSpec;
const driver = slackDriver({
  url: spec.url,
  signingSecret: spec.signingSecret,
  teamId: spec.teamId,
  responseUrl: (id) => `${spec.fakeOrigin}/respond/${encodeURIComponent(id)}`,
});
let next = 0;
// autocannon ends a run only at its next once-a-second sample, so its own duration (and rate) comes
// in steps of a second: the first send and the last answer are timed here instead.
let firstSentAt: number | undefined;
let lastAnsweredAt = 0;
const result = await autocannon({
  url: spec.url,
  connections: spec.concurrency,
  amount: spec.clicks.length,
  requests: [
    {
      method: 'POST',
      setupRequest: (request) => {
        firstSentAt ??= Date.now();
        const click = spec.clicks[next++ % spec.clicks.length] as Click;
        const { body, headers } = driver.signedClick({
          user: { id: click.userId, name: click.userId.toLowerCase() },
          actionId: 'poll.vote',
          value: click.value,
          messageTs: click.messageTs,
        });
        return { ...request, body, headers: { ...request.headers, ...headers } };
      },
      onResponse: () => {
        lastAnsweredAt = Date.now();
      },
    },
  ],
});
const out: CannonResult = {
  startedAt: firstSentAt ?? Number.NaN,
  p50Ms: result.latency.p50,
  p99Ms: result.latency.p99,
  maxMs: result.latency.max,
  perSecond: (result.requests.total * 1000) / (lastAnsweredAt - (firstSentAt ?? Number.NaN)),
  non2xx: result.non2xx,
  errors: result.errors,
};
process.stdout.write(JSON.stringify(out));
