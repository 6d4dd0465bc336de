/**
 * `/copro meeting papers`: a link to the papers joins the meeting's post, and the people going
 * hear about it privately, so that those who need time to prepare get it.
 */
import { eq } from 'drizzle-orm';
import { schema } from '../../db/client.js';
import { literal } from '../chat/index.js';
import { privately } from '../commands/reply.js';
import type { ContextOf, Reply } from '../commands/types.js';
import { echo } from '../commands/values.js';
import { UserError } from '../errors.js';
import { enqueueMessage } from '../jobs/index.js';
import { plural } from '../text.js';
import { meetingTitle, whenFor } from './render.js';
import { dmTo, findMeeting, mustBeUpcoming, peopleGoing, refreshMeetingPost } from './store.js';
import { memberZone } from './zones.js';

const MAX_PAPERS = 10;

/**
 * A web address copro can show as a link it made itself: http or https, with nothing in it that
 * could close the link early or make it something else.
 */
export function readLink(raw: string): string | undefined {
  const typed = raw.trim();
  if (!/^https?:\/\/[^\s<>()[\]{}|\\^`"]+$/i.test(typed)) return undefined;
  try {
    const url = new URL(typed);
    return url.hostname.includes('.') ? typed : undefined;
  } catch {
    return undefined;
  }
}

export async function addPapers(ctx: ContextOf<'meeting.papers'>): Promise<Reply> {
  const { group, deps } = ctx;
  const now = deps.clock.now();
  const meeting = await findMeeting(deps.db, group, ctx.args.meeting);
  mustBeUpcoming(meeting, now, 'add papers to it');
  const link = readLink(ctx.args.link);
  if (!link)
    throw new UserError(
      'bad_link',
      `"${echo(ctx.args.link)}" is not a web address copro can link to. Please give the whole address, starting with https://`,
    );
  if (meeting.papers.includes(link))
    return privately(`That link is already on ${meeting.code}. Nothing changed.`);
  if (meeting.papers.length >= MAX_PAPERS)
    throw new UserError(
      'too_many_papers',
      `A meeting can have ${MAX_PAPERS} links to papers. Please put them in one folder and link to that.`,
    );
  const told = await deps.db.transaction(async (tx) => {
    const [changed] = await tx
      .update(schema.meetings)
      .set({ papers: [...meeting.papers, link] })
      .where(eq(schema.meetings.id, meeting.id))
      .returning();
    await refreshMeetingPost(tx, group, changed!, now);
    const people = await peopleGoing(tx, meeting.id, ['going', 'maybe']);
    for (const person of people) {
      const zone = await memberZone(tx, group.id, person);
      const text = `Papers for ${meetingTitle(meeting)} (${whenFor(meeting, group.timezone, zone)}): ${link}`;
      await enqueueMessage(tx, now, {
        purpose: `meeting.papers:${meeting.id}:${changed!.papers.length}`,
        platform: group.platform,
        destination: dmTo(person),
        message: {
          text,
          blocks: [
            { type: 'text', text: `Papers for ${meetingTitle(meeting)}: [${literal(link)}](${link})` },
          ],
        },
        groupId: group.id,
      });
    }
    return people.length;
  });
  await deps.outbox?.flush();
  return privately(
    `The papers are added to ${meeting.code}${meeting.agendaPostedAt ? ', and its post in the channel shows them' : ''}. ` +
      (told > 0
        ? `copro sent the link to the ${plural(told, 'person', 'people')} going or who might go.`
        : 'Nobody has said they are going yet; the post will show the link.'),
  );
}
