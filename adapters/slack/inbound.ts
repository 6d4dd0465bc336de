import { createHash, randomUUID } from 'node:crypto';
import type {
  ActionEvent,
  CommandEvent,
  Destination,
  FileAttachment,
  Form,
  FormEvent,
  HomeOpenedEvent,
  MemberJoinedEvent,
  MemberLeftEvent,
  Message,
  MessageRef,
  ProfileLearnedEvent,
  ReplyOptions,
  WorkspaceRemovedEvent,
} from '../../src/chat/index.js';
import type { SlackActor } from './actors.js';
import { type SlackApi, withFileNote } from './outbound.js';
import { decodeActionId, renderHome, renderMessage } from './render.js';
import { formValues, parseFormMetadata, renderForm } from './render-form.js';

/** Posts to a response_url (Bolt's `respond`). */
export type Respond = (body: Record<string, unknown>) => Promise<unknown>;

/** What the translators need from the rest of the adapter. */
export interface InboundTools {
  readonly api: SlackApi;
  readonly post: (to: Destination, message: Message) => Promise<MessageRef>;
  readonly update: (ref: MessageRef, message: Message) => Promise<void>;
  readonly postEphemeral: (channelId: string | undefined, userId: string, message: Message) => Promise<void>;
  readonly sendFiles: (to: Destination, files: readonly FileAttachment[]) => Promise<void>;
}

export interface SlashCommandBody {
  readonly team_id: string;
  readonly channel_id?: string;
  readonly channel_name?: string;
  readonly user_id: string;
  readonly user_name?: string;
  readonly text?: string;
  readonly trigger_id: string;
}

/** Slack names these pseudo-channels instead of giving the channel's own name. */
const NOT_A_NAME = new Set(['directmessage', 'privategroup', 'mpdm']);

/**
 * Slack escapes three characters in typed text (& < >) as HTML entities; they are decoded once,
 * here, so "Tea & biscuits" reaches the core as typed. &amp; goes last, so a person who typed
 * "&lt;" keeps exactly that. Mentions arrive as real <@U123|name> sequences and are untouched.
 */
export function decodeSlackText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * The words of a command. A person Slack matched arrives as <@U123|name>; the same characters
 * typed arrive escaped (&lt;@U123&gt;), and decoded would pass for a mention of anyone at all. They
 * become a typed name ("@U123"), which names nobody outside the terminal.
 */
function commandText(raw: string): string {
  return decodeSlackText(raw.replace(/&lt;@([^&\s]*)&gt;/g, '@$1')).trim();
}

/** `/copro …` → a command event. The text is passed through as typed (mentions arrive escaped). */
export function commandEvent(
  body: SlashCommandBody,
  actor: SlackActor,
  respond: Respond,
  tools: InboundTools,
): CommandEvent {
  const channelName = body.channel_name && !NOT_A_NAME.has(body.channel_name) ? body.channel_name : undefined;
  // A DM with copro is not a group's channel: without a channel, the core uses the person's group.
  const inDm = body.channel_id?.startsWith('D') || body.channel_name === 'directmessage';
  return {
    kind: 'command',
    id: `command:${body.trigger_id}`,
    actor,
    channelId: inDm ? undefined : body.channel_id,
    ...(channelName ? { channelName } : {}),
    input: { kind: 'text', text: commandText(body.text ?? '') },
    reply: (message, options) =>
      replyVia(respond, message, options, { tools, userId: body.user_id, channelId: body.channel_id }),
    openForm: (form) => openForm(tools.api, body.trigger_id, form, body.channel_id),
  };
}

export interface BlockActionBody {
  readonly trigger_id?: string;
  readonly user: { readonly id: string; readonly name?: string };
  readonly team?: { readonly id: string } | null;
  readonly channel?: { readonly id: string };
  readonly container?: {
    readonly type?: string;
    readonly message_ts?: string;
    readonly view_id?: string;
    readonly channel_id?: string;
    readonly is_ephemeral?: boolean;
  };
  readonly response_url?: string;
  readonly view?: { readonly type?: string };
  readonly actions: readonly {
    readonly action_id: string;
    readonly action_ts?: string;
    readonly value?: string;
    readonly selected_option?: { readonly value: string } | null;
  }[];
}

/**
 * A button click or a select choice → an action event. The id is the click itself (who, what,
 * when): a delivery Slack repeats is dropped by the core, a new click is a new event.
 */
export function actionEvent(
  body: BlockActionBody,
  actor: SlackActor,
  respond: Respond | undefined,
  tools: InboundTools,
): ActionEvent | undefined {
  const action = body.actions[0];
  if (!action) return undefined;
  const channelId = body.container?.channel_id ?? body.channel?.id;
  const ts = body.container?.message_ts;
  const message: MessageRef | undefined =
    channelId && ts ? { platform: 'slack', channelId, messageId: ts } : undefined;
  return {
    kind: 'action',
    id: `action:${body.user.id}:${action.action_id}:${action.action_ts ?? body.trigger_id}`,
    actor,
    channelId,
    actionId: decodeActionId(action.action_id),
    value: action.value ?? action.selected_option?.value ?? '',
    ...(message ? { message } : {}),
    reply: (m, options) =>
      respond
        ? replyVia(respond, m, options, { tools, userId: body.user.id, channelId })
        : tools.post({ kind: 'dm', userId: body.user.id }, m).then(() => {}),
    updateMessage: async (m) => {
      // A button on the App Home: the home view is redrawn rather than a message edited.
      if (body.container?.type === 'view' && body.view?.type === 'home') {
        await tools.api.views.publish({ user_id: body.user.id, view: renderHome(m) });
        return;
      }
      // An ephemeral message has no ts that chat.update accepts; only its response_url can replace it.
      if ((body.container?.is_ephemeral || !message) && respond) {
        const [page] = renderMessage(m);
        await respond({ replace_original: true, text: page?.text, blocks: page?.blocks });
        return;
      }
      if (message) await tools.update(message, m);
    },
    openForm: async (form) => {
      if (!body.trigger_id) throw new Error('this click cannot open a form (no trigger_id)');
      await openForm(tools.api, body.trigger_id, form, channelId);
    },
  };
}

export interface ViewSubmissionBody {
  readonly user: { readonly id: string; readonly name?: string };
  readonly team?: { readonly id: string } | null;
  readonly view: {
    readonly id: string;
    readonly callback_id: string;
    readonly private_metadata?: string;
    readonly state?: { readonly values?: Record<string, Record<string, Record<string, unknown>>> };
  };
}

/**
 * A submitted modal → a form event. The id covers what was typed, so a double press on Submit
 * counts once while a corrected resubmission (after field errors) is a new event.
 */
export function formEvent(body: ViewSubmissionBody, actor: SlackActor, tools: InboundTools): FormEvent {
  const meta = parseFormMetadata(body.view.private_metadata);
  const values = formValues(body.view.state?.values as Parameters<typeof formValues>[0]);
  const digest = createHash('sha256').update(JSON.stringify(values)).digest('base64url').slice(0, 16);
  return {
    kind: 'form',
    // The person is part of the id too: two people can send the same answers from forms alike.
    id: `view:${body.user.id}:${body.view.id}:${digest}`,
    actor,
    channelId: meta.channelId,
    formId: body.view.callback_id,
    values,
    ...(meta.state !== undefined ? { state: meta.state } : {}),
    reply: (message, options) =>
      options?.private === false && meta.channelId
        ? tools.post({ kind: 'channel', channelId: meta.channelId }, message).then(() => {})
        : tools.postEphemeral(meta.channelId, body.user.id, message),
  };
}

export function memberEvent(
  kind: 'memberJoined' | 'memberLeft',
  eventId: string,
  actor: SlackActor,
  channelId: string,
): MemberJoinedEvent | MemberLeftEvent {
  return { kind, id: eventId, actor, channelId };
}

/** Slack has said who someone is, after their click was handled under its own name (click-actors.ts). */
export function profileLearnedEvent(actor: SlackActor): ProfileLearnedEvent {
  return { kind: 'profileLearned', id: `profile:${actor.userId}:${randomUUID()}`, actor };
}

export function homeOpenedEvent(eventId: string, actor: SlackActor, tools: InboundTools): HomeOpenedEvent {
  return {
    kind: 'homeOpened',
    id: eventId,
    actor,
    show: async (message) => {
      await tools.api.views.publish({ user_id: actor.userId, view: renderHome(message) });
    },
  };
}

/** Where the files of an answer go: a response_url carries no files. */
interface FileRoute {
  readonly tools: InboundTools;
  readonly userId: string;
  readonly channelId: string | undefined;
}

/**
 * Private by default; each page of a long answer is its own response. Files follow by upload:
 * a public answer's to the channel, a private answer's to the person's DM (the answer says so).
 */
async function replyVia(
  respond: Respond,
  message: Message,
  options: ReplyOptions | undefined,
  files: FileRoute,
): Promise<void> {
  const isPublic = options?.private === false;
  const responseType = isPublic ? 'in_channel' : 'ephemeral';
  const shown = isPublic ? message : withFileNote(message);
  for (const page of renderMessage(shown)) {
    await respond({
      response_type: responseType,
      replace_original: false,
      text: page.text,
      blocks: page.blocks,
    });
  }
  if (!message.files?.length) return;
  const to: Destination =
    isPublic && files.channelId
      ? { kind: 'channel', channelId: files.channelId }
      : { kind: 'dm', userId: files.userId };
  await files.tools.sendFiles(to, message.files);
}

async function openForm(
  api: SlackApi,
  triggerId: string,
  form: Form,
  channelId: string | undefined,
): Promise<void> {
  await api.views.open({ trigger_id: triggerId, view: renderForm(form, { state: form.state, channelId }) });
}

/** Slack told copro the workspace uninstalled it or revoked its token: no person is acting. */
export function workspaceRemovedEvent(eventId: string, teamId: string): WorkspaceRemovedEvent {
  return {
    kind: 'workspaceRemoved',
    id: eventId,
    actor: { platform: 'slack', workspaceId: teamId, userId: '', displayName: 'the workspace' },
  };
}
