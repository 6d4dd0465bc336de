import type { Db } from '../../db/client.js';
import { plural } from '../text.js';
import type { NamedPersonalData } from './declaration.js';
import { sealedColumns, unreadable } from './rotation.js';
import type { Keyring } from './sealed.js';

const LOST_KEY =
  'If that key is lost for good, nobody can open them again: set COPRO_START_WITH_UNREADABLE=yes to start anyway, and they stay as they are, shown to nobody.';

/**
 * Why copro must not start, if encrypted answers are stored that none of the keys it was given
 * opens (the caller puts "copro cannot start:" or "npm start would stop:" before it). Started
 * anyway, it would show nobody those access needs, and coordinators would plan meetings without
 * them and not know. Undefined when every one can be opened (or there are none).
 */
export async function unreadableAtStart(
  db: Db,
  declarations: readonly NamedPersonalData[],
  key: Keyring | undefined,
): Promise<{ count: number; problem: string } | undefined> {
  const aboutHealth = sealedColumns(declarations).filter((c) => c.aboutHealth);
  const count = await unreadable(db, aboutHealth, key);
  if (count === 0) return undefined;
  const what = `${plural(count, 'encrypted answer')} (access needs or lived experience)`;
  const problem = key
    ? `its database holds ${what} encrypted with a key copro was not given. ` +
      'If you are changing the key, set COPRO_PREVIOUS_ENCRYPTION_KEY to the key used until now (README, "Changing the encryption key"); ' +
      `otherwise start copro with the COPRO_ENCRYPTION_KEY it used before. ${LOST_KEY}`
    : `its database holds ${what}, and COPRO_ENCRYPTION_KEY is not set, so nobody could see them. ` +
      `Start copro with the key it used before (README, "Start"). ${LOST_KEY}`;
  return { count, problem };
}
