import { openDb } from '../../db/client.js';
import { claimEmbeddedData } from '../../db/lock.js';
import { defaultFeatures } from '../app.js';
import { ConfigError, keyringOf, loadConfig } from '../config.js';
import { personalDataOf } from '../registry.js';
import { plural } from '../text.js';
import { notUnder, rotateSealed } from './rotation.js';
import type { Keyring } from './sealed.js';

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 78;
  }
  if (!config.encryptionKey) {
    process.stderr.write(
      'Set COPRO_ENCRYPTION_KEY to the new key, and COPRO_PREVIOUS_ENCRYPTION_KEY to the key used until now (README, "Changing the encryption key").\n',
    );
    return 78;
  }
  if (!config.previousEncryptionKey)
    say('COPRO_PREVIOUS_ENCRYPTION_KEY is not set: only values stored before keys were named are updated.');
  const claim = claimEmbeddedData(config);
  if ('inUse' in claim) {
    process.stderr.write(
      `${claim.inUse}\nThe embedded database takes one program at a time: stop copro, run this again, then start copro.\n`,
    );
    return 75;
  }
  const unlock = claim.release;
  const database = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const declarations = personalDataOf(defaultFeatures());
    // Set: checked above.
    const keys = keyringOf(config) as Keyring;
    let total = 0;
    const result = await rotateSealed(database.db, declarations, keys, {
      onBatch: ({ column, resealed, unopened }) => {
        total += resealed;
        say(
          `${column}: ${resealed} re-encrypted${unopened ? `, ${unopened} could not be opened` : ''} (${total} so far)`,
        );
      },
    });
    const left = await notUnder(database.db, declarations, config.encryptionKey);
    say(
      `Done: ${plural(result.resealed, 'value')} re-encrypted with the new key; ${result.already} already under it.`,
    );
    if (left === 0) {
      say('Every encrypted value is now under the new key. You can remove COPRO_PREVIOUS_ENCRYPTION_KEY.');
      return 0;
    }
    if (result.unopened >= left) {
      say(
        `${plural(left, 'value', 'values')} could not be opened with either key: ${left === 1 ? 'it was' : 'they were'} encrypted with a key you did not give, and ${left === 1 ? 'stays as it is' : 'stay as they are'}. ` +
          'If you have that key, give it as COPRO_PREVIOUS_ENCRYPTION_KEY and run this again.',
      );
    } else {
      say(
        `${plural(left, 'value is', 'values are')} not under the new key yet (copro was writing them meanwhile). Run this again to finish.`,
      );
    }
    return 1;
  } finally {
    await database.close();
    unlock();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `The key change stopped: ${error instanceof Error ? error.message : String(error)}\nRun it again to carry on.\n`,
    );
    process.exit(70);
  },
);
