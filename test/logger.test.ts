import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../db/client.js';
import { createLogger, plainLines, terminalLog } from '../src/logger.js';
import { openTestDb, type TestDb } from './support/db.js';

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

describe('logs in the terminal chat', () => {
  it('are sentences with their reference, not JSON, and still hide secrets', async () => {
    let written = '';
    const out = new Writable({
      write(chunk, _enc, done) {
        written += String(chunk);
        done();
      },
    });
    const logger = createLogger('warn', plainLines(out));
    logger.warn('anonymous polls are off: set COPRO_ENCRYPTION_KEY');
    logger.error({ ref: 'K5N2M', err: new Error('boom'), botToken: 'xoxb-live-123' }, 'a command failed');
    logger.info('not shown at warn');
    await new Promise((resolve) => setImmediate(resolve));
    expect(written).toBe(
      'copro warning: anonymous polls are off: set COPRO_ENCRYPTION_KEY\ncopro error: a command failed (reference K5N2M)\n',
    );
  });
});

describe('the terminal chat’s log file', () => {
  it('holds the whole entry a reference in the chat points to, readable only by copro’s user', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'copro-log-'));
    try {
      const file = join(dir, 'data', 'copro.log');
      let written = '';
      const out = new Writable({
        write(chunk, _enc, done) {
          written += String(chunk);
          done();
        },
      });
      const logger = createLogger('warn', terminalLog(out, file));
      logger.error({ ref: 'QS7SX', err: new Error('relation "roles" does not exist') }, 'a command failed');
      await new Promise((resolve) => setImmediate(resolve));
      expect(written).toBe(`copro error: a command failed (reference QS7SX; details in ${file})\n`);
      const entry = JSON.parse(readFileSync(file, 'utf8').trim()) as { ref: string; err: { stack: string } };
      expect(entry.ref).toBe('QS7SX');
      expect(entry.err.stack).toContain('relation "roles" does not exist');
      expect(statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('logs of database errors', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb();
  });
  afterAll(async () => {
    await db.close();
  });

  it('never carry the failed query’s values (who it was about and what they typed), on this database driver', async () => {
    {
      const { lines, logger } = capture();
      const question = 'My diagnosis is\u0000 bipolar disorder';
      for (const eventId of [question, 'UMEMBER42-poll.vote', 'UMEMBER42-poll.vote']) {
        await db.db
          .insert(schema.processedEvents)
          .values({ platform: 'slack', eventId })
          .catch((err: unknown) => logger.error({ err }, 'a query failed'));
      }
      const all = lines.join('');
      expect(lines.length).toBe(2); // the NUL byte, then the second insert of the same key
      expect(all).not.toContain('diagnosis');
      expect(all).not.toContain('bipolar');
      expect(all).not.toContain('UMEMBER42');
      expect(all).toContain('insert into \\"processed_events\\"');
      expect(all).toContain('[redacted]');
    }
  });
});
