import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, schema } from '../../db/client.js';
import { loadConfig } from '../../src/config.js';
import { accessContext } from '../../src/onboarding/sensitive.js';
import { seal } from '../../src/privacy/sealed.js';
import { checkSetup } from '../../src/setup-check.js';
import { runConsole } from '../support/console-process.js';

describe('starting without the key that opens stored access needs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'copro-unreadable-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const key = randomBytes(32).toString('base64');

  beforeAll(async () => {
    const setup = await runConsole(['/copro setup'], { COPRO_DATA_DIR: dir, COPRO_ENCRYPTION_KEY: key });
    expect(setup.code).toBe(0);
    // Someone's access needs, stored as copro stores them: sealed with the key.
    const opened = await openDb({ dataDir: dir });
    try {
      const [group] = await opened.db.select().from(schema.groups);
      const [member] = await opened.db.select().from(schema.members);
      if (!group || !member) throw new Error('setup made no group');
      await opened.db.insert(schema.onboardingProfiles).values({
        groupId: group.id,
        memberId: member.id,
        accessConsentAt: new Date(),
        accessNeedsSealed: seal(
          Buffer.from(key, 'base64'),
          'Step-free access, please',
          accessContext(group.id, member.id),
        ),
      });
    } finally {
      await opened.close();
    }
  });

  it('refuses to start with no key, and says what to do', async () => {
    const run = await runConsole(['/copro help'], { COPRO_DATA_DIR: dir });
    expect(run.code).toBe(78);
    expect(run.stderr).toContain(
      'copro cannot start: its database holds 1 encrypted answer (access needs or lived experience), and COPRO_ENCRYPTION_KEY is not set',
    );
    expect(run.stderr).toContain('COPRO_START_WITH_UNREADABLE=yes');
    expect(run.stdout).not.toContain('What copro can do');
  });

  it('refuses to start with another key, and points to changing the key properly', async () => {
    const run = await runConsole(['/copro help'], {
      COPRO_DATA_DIR: dir,
      COPRO_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    });
    expect(run.code).toBe(78);
    expect(run.stderr).toContain('encrypted with a key copro was not given');
    expect(run.stderr).toContain('COPRO_PREVIOUS_ENCRYPTION_KEY');
  });

  it('starts with the key it used, or with the old key beside a new one', async () => {
    const same = await runConsole(['/copro help'], { COPRO_DATA_DIR: dir, COPRO_ENCRYPTION_KEY: key });
    expect(same.stderr).not.toContain('cannot start');
    expect(same.code).toBe(0);
    const changing = await runConsole(['/copro help'], {
      COPRO_DATA_DIR: dir,
      COPRO_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      COPRO_PREVIOUS_ENCRYPTION_KEY: key,
    });
    expect(changing.code).toBe(0);
  });

  it('is named by npm run check, which then exits 1', async () => {
    let text = '';
    const out = new Writable({
      write(chunk, _encoding, done) {
        text += String(chunk);
        done();
      },
    });
    const never = async () => [];
    const code = await checkSetup(
      { config: loadConfig({ COPRO_DATA_DIR: dir }), openDb, slack: never, discord: never },
      out,
    );
    expect(code).toBe(1);
    expect(text).toContain(
      'npm start would stop: its database holds 1 encrypted answer (access needs or lived experience), and COPRO_ENCRYPTION_KEY is not set',
    );
  });

  it('starts without the key when told the key is lost for good', async () => {
    const run = await runConsole(['/copro help'], {
      COPRO_DATA_DIR: dir,
      COPRO_START_WITH_UNREADABLE: 'yes',
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('What copro can do');
  });
});

describe('starting with another key when no access needs are stored', () => {
  const dir = mkdtempSync(join(tmpdir(), 'copro-other-key-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts, and says in a sentence, not a line of JSON, that anonymous polls are off', async () => {
    const first = await runConsole(['/copro setup'], {
      COPRO_DATA_DIR: dir,
      COPRO_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    });
    expect(first.code).toBe(0);
    const run = await runConsole(['/copro help'], {
      COPRO_DATA_DIR: dir,
      COPRO_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('What copro can do');
    expect(run.stderr).toContain('copro warning: anonymous polls are off');
    expect(run.stderr).not.toContain('{"level"');
  });
});
