import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createLogger('info', stream) };
}

describe('logs', () => {
  it('never contain tokens, secrets or what someone typed into a form', () => {
    const { lines, logger } = capture();
    logger.info(
      { config: { botToken: 'xoxb-live-123', signingSecret: 'shh' }, token: 'disc-abc' },
      'starting',
    );
    logger.info({ event: { values: { accessNeeds: 'I use a wheelchair' } } }, 'form received');
    const all = lines.join('');
    expect(all).not.toContain('xoxb-live-123');
    expect(all).not.toContain('shh');
    expect(all).not.toContain('disc-abc');
    expect(all).not.toContain('wheelchair');
    expect(all).toContain('[redacted]');
  });
});
