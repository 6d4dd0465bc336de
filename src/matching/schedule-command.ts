/**
 * /copro match schedule ["every 2 weeks on Monday 10:00" | off] [--size 3]: coordinators choose
 * when peer rounds run by themselves. With nothing after it, it says what is set now.
 */
import { textMessage } from '../chat/index.js';
import type { ContextOf, Reply } from '../commands/types.js';
import { UserError } from '../errors.js';
import { formatWhen } from '../time.js';
import { describeCadence, isOff, parseCadence } from './cadence.js';
import { sizeOf, sizeWords } from './round-commands.js';
import {
  pendingRoundAt,
  roundScheduleOf,
  setRoundSchedule,
  setScheduledSize,
  stopRoundSchedule,
} from './schedule.js';

const privately = (text: string): Reply => ({ message: textMessage(text) });
const EXAMPLE = '/copro match schedule "every 2 weeks on Monday 10:00"';

export const schedule = async (ctx: ContextOf<'match.schedule'>): Promise<Reply> => {
  const { group } = ctx;
  const { db, clock } = ctx.deps;
  const now = clock.now();
  const when = ctx.args.when?.trim();
  const size = sizeOf(ctx.args.size);

  if (when && isOff(when)) {
    const stopped = await db.transaction((tx) => stopRoundSchedule(tx, group.id, now));
    return privately(
      stopped
        ? 'Done: buddy rounds will no longer run by themselves. You can still run one with /copro match run.'
        : 'Buddy rounds were not running by themselves, so nothing changed.',
    );
  }
  if (when) {
    const cadence = parseCadence(when);
    const current = await roundScheduleOf(db, group.id);
    const groupSize = size ?? current?.groupSize ?? 2;
    const first = await db.transaction((tx) => setRoundSchedule(tx, group, cadence, groupSize, now));
    return privately(
      `Done. Buddy rounds will run ${describeCadence(cadence)} (${group.timezone} time), in ${sizeWords(groupSize)}. ` +
        `The first is on ${formatWhen(first, group.timezone)}. Members who opted in get an introduction then. ` +
        'To stop, type /copro match schedule off.',
    );
  }

  const current = await roundScheduleOf(db, group.id);
  if (size !== undefined) {
    if (!current) {
      throw new UserError(
        'no_schedule',
        `Buddy rounds do not run by themselves yet, so there is no size to change. Say when too, for example: ${EXAMPLE} --size ${size}.`,
      );
    }
    await db.transaction((tx) => setScheduledSize(tx, group.id, size, now));
    return privately(`Done: scheduled buddy rounds will make ${sizeWords(size)} from now on.`);
  }
  if (!current) {
    return privately(
      'Buddy rounds do not run by themselves: a coordinator runs each one with /copro match run. ' +
        `To run them on a schedule, type for example ${EXAMPLE}.`,
    );
  }
  const next = await pendingRoundAt(db, group.id);
  return privately(
    `Buddy rounds run ${describeCadence(current)} (${group.timezone} time), in ${sizeWords(current.groupSize)}. ` +
      (next ? `The next is on ${formatWhen(next, group.timezone)}. ` : '') +
      `To change it, type for example ${EXAMPLE}; to stop, /copro match schedule off.`,
  );
};
