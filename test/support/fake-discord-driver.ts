import {
  type APIApplicationCommand,
  type APIApplicationCommandInteractionDataOption,
  type APIApplicationCommandOption,
  type APIInteraction,
  type APIMessage,
  type APIModalInteractionResponseCallbackData,
  ApplicationCommandOptionType,
  ComponentType,
  GatewayIntentBits,
  type ModalSubmitComponent,
} from 'discord-api-types/v10';
import type { FakeGateway } from './fake-discord-gateway.js';
import {
  chatInputInteraction,
  componentInteraction,
  type FakeMember,
  guildMember,
  modalSubmitInteraction,
} from './fake-discord-payloads.js';

// biome-ignore lint/suspicious/noExplicitAny: stored bodies are untrusted JSON
type Json = any;

type OptionValue = string | number | boolean | FakeMember;

interface Recorded {
  readonly payload: APIInteraction;
  modal?: APIModalInteractionResponseCallbackData;
}

interface Stored {
  readonly id: string;
  readonly channelId: string;
  components: Json[];
}

/**
 * What a person does in the Discord client, as the gateway delivers it: run a command (only as
 * registered: unknown or missing options are refused, as the client would), click, choose, submit
 * a form, join the server.
 */
export abstract class FakeDriver<R extends Recorded> {
  abstract readonly applicationId: string;
  abstract readonly guildId: string;
  abstract readonly channelId: string;
  abstract readonly commands: Map<string, APIApplicationCommand[]>;
  abstract readonly gateway: FakeGateway;
  protected abstract dispatchInteraction(payload: APIInteraction): R;
  abstract toApiMessage(message: Stored): APIMessage;
  abstract readonly messages: ReadonlyMap<string, Stored>;

  /** Whether a channel is one of the bot's direct-message channels. */
  abstract isDmChannel(channelId: string): boolean;

  private get ctx() {
    return { applicationId: this.applicationId, guildId: this.guildId, channelId: this.channelId };
  }

  /** Where an interaction on this message happens: its channel, and whether that is a DM. */
  private ctxOn(channelId: string | undefined) {
    return channelId && this.isDmChannel(channelId) ? { ...this.ctx, channelId, dm: true } : this.ctx;
  }

  /** `/copro role add user:@Bob role:researcher` is command(ann, ['role', 'add'], { user: bob, role: 'researcher' }). */
  command(member: FakeMember, path: readonly string[], options: Record<string, OptionValue> = {}) {
    const registered = [
      ...(this.commands.get(`guild:${this.guildId}`) ?? []),
      ...(this.commands.get('global') ?? []),
    ];
    const copro = registered.find((c) => c.name === 'copro');
    if (!copro) throw new Error('/copro is not registered');
    let level: readonly APIApplicationCommandOption[] = copro.options ?? [];
    const chain: APIApplicationCommandOption[] = [];
    for (const word of path) {
      const next = level.find((o) => o.name === word);
      if (!next || !('options' in next) || next.type > ApplicationCommandOptionType.SubcommandGroup) {
        throw new Error(`/copro ${path.join(' ')} is not a registered subcommand`);
      }
      chain.push(next);
      level = next.options ?? [];
    }
    const users: FakeMember[] = [];
    const leaves: APIApplicationCommandInteractionDataOption[] = Object.entries(options).map(
      ([name, value]) => {
        const spec = level.find((o) => o.name === name);
        if (!spec) throw new Error(`/copro ${path.join(' ')} has no option "${name}"`);
        if (spec.type === ApplicationCommandOptionType.User) {
          users.push(value as FakeMember);
          return { name, type: spec.type, value: (value as FakeMember).user.id };
        }
        return { name, type: spec.type, value } as APIApplicationCommandInteractionDataOption;
      },
    );
    for (const spec of level) {
      if ('required' in spec && spec.required && !(spec.name in options)) {
        throw new Error(`/copro ${path.join(' ')} needs option "${spec.name}"`);
      }
    }
    let tree: APIApplicationCommandInteractionDataOption[] = leaves;
    for (const step of [...chain].reverse()) {
      tree = [
        { name: step.name, type: step.type, options: tree } as APIApplicationCommandInteractionDataOption,
      ];
    }
    return this.dispatchInteraction(
      chatInputInteraction(this.ctx, member, { id: copro.id, name: 'copro' }, tree, users),
    );
  }

  /** Clicks the button with this label on a message the bot sent. */
  click(member: FakeMember, message: Stored, label: string) {
    const button = this.componentsOf(message).find(
      (c) => c.type === ComponentType.Button && c.label === label,
    );
    if (!button) throw new Error(`No button "${label}" on message ${message.id}`);
    return this.dispatchInteraction(
      componentInteraction(this.ctxOn(message.channelId), member, this.toApiMessage(message), {
        customId: button.custom_id,
        type: ComponentType.Button,
      }),
    );
  }

  /** Chooses values in the select whose placeholder starts with `placeholder`. */
  choose(member: FakeMember, message: Stored, placeholder: string, values: string[]) {
    const select = this.componentsOf(message).find(
      (c) => c.type === ComponentType.StringSelect && String(c.placeholder ?? '').startsWith(placeholder),
    );
    if (!select) throw new Error(`No select "${placeholder}" on message ${message.id}`);
    return this.dispatchInteraction(
      componentInteraction(this.ctxOn(message.channelId), member, this.toApiMessage(message), {
        customId: select.custom_id,
        values,
      }),
    );
  }

  /** Fills in and submits the modal an interaction opened, by the fields' labels. */
  submit(member: FakeMember, opened: Recorded, answers: Record<string, string | string[]>) {
    const modal = opened.modal;
    if (!modal) throw new Error('That interaction did not open a form');
    const labels = modal.components as Json[];
    const byLabel = new Map(labels.map((l) => [l.label as string, l.component]));
    for (const label of Object.keys(answers)) {
      if (!byLabel.has(label)) throw new Error(`The form has no field labelled "${label}"`);
    }
    const components = labels.map((label, i) => {
      const answer = answers[label.label];
      const inner = label.component;
      const component =
        inner.type === ComponentType.TextInput
          ? {
              type: inner.type,
              id: i * 2 + 2,
              custom_id: inner.custom_id,
              value: (answer as string | undefined) ?? '',
            }
          : {
              type: inner.type,
              id: i * 2 + 2,
              custom_id: inner.custom_id,
              values: (answer as string[] | undefined) ?? [],
            };
      return { type: ComponentType.Label, id: i * 2 + 1, component };
    }) as unknown as ModalSubmitComponent[];
    // A form opened from a button comes back with that button's message, as it is now.
    const source = opened.payload.message && this.messages.get(opened.payload.message.id);
    const message = source ? this.toApiMessage(source) : undefined;
    return this.dispatchInteraction(
      modalSubmitInteraction(
        this.ctxOn(opened.payload.channel_id),
        member,
        modal.custom_id,
        components,
        message,
      ),
    );
  }

  /** Someone joins the server. Only delivered to bots that asked for the Server Members intent. */
  memberJoins(member: FakeMember, joinedAt = new Date().toISOString()): number {
    return this.gateway.dispatch(
      { t: 'GUILD_MEMBER_ADD', d: { ...guildMember(member, joinedAt), guild_id: this.guildId } } as never,
      GatewayIntentBits.GuildMembers,
    );
  }

  /** Someone leaves the server (or is removed). Server Members intent too. */
  memberLeaves(member: FakeMember): number {
    return this.gateway.dispatch(
      { t: 'GUILD_MEMBER_REMOVE', d: { guild_id: this.guildId, user: member.user } } as never,
      GatewayIntentBits.GuildMembers,
    );
  }

  /**
   * The server removes copro (kicked, or the server deleted), or, with `unavailable`, has an
   * outage. Only delivered to bots that asked for the Guilds intent, as Discord does.
   */
  serverGone(options: { readonly unavailable?: boolean; readonly guildId?: string } = {}): number {
    const { unavailable, guildId = this.guildId } = options;
    return this.gateway.dispatch(
      { t: 'GUILD_DELETE', d: { id: guildId, ...(unavailable ? { unavailable: true } : {}) } } as never,
      GatewayIntentBits.Guilds,
    );
  }

  private componentsOf(message: Stored): Json[] {
    return message.components.flatMap((row: Json) => row.components ?? []);
  }
}

/** Polls until `probe` returns something truthy; fails with `what` after `timeoutMs`. */
export async function eventually<T>(
  probe: () => T | undefined | null | false,
  what: string,
  // Generous: a wait that succeeds returns at once, and a busy machine can be slow to get there.
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
