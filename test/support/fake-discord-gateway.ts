import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  type ApplicationFlags,
  type GatewayDispatchPayload,
  type GatewayIdentifyData,
  GatewayIntentBits,
  GatewayOpcodes,
  type GatewayReadyDispatchData,
  type GatewayReceivePayload,
  type GatewaySendPayload,
} from 'discord-api-types/v10';
import { WebSocket, WebSocketServer } from 'ws';
import { snowflake } from './fake-discord-payloads.js';

const PRIVILEGED =
  GatewayIntentBits.GuildMembers | GatewayIntentBits.GuildPresences | GatewayIntentBits.MessageContent;

export interface GatewayOptions {
  readonly token: string;
  readonly applicationId: string;
  readonly botUser: GatewayReadyDispatchData['user'];
  readonly guildId: string;
  readonly heartbeatIntervalMs: number;
  /** Privileged intents switched on in the (fake) developer portal. */
  readonly privilegedIntents: number;
  readonly gatewayUrl: () => string;
  readonly guildCreate: () => unknown;
}

interface Session {
  readonly socket: WebSocket;
  identify?: GatewayIdentifyData;
  sequence: number;
}

/**
 * The gateway side of the fake: HELLO on connect, READY after IDENTIFY, heartbeat acks, and
 * dispatches only to sessions whose intents cover the event, as Discord does.
 */
export class FakeGateway {
  readonly wss = new WebSocketServer({ noServer: true });
  readonly sessions = new Set<Session>();
  readonly identifies: GatewayIdentifyData[] = [];
  /** Close codes of connections the client ended (1000 when it shut down cleanly). */
  readonly closes: number[] = [];
  heartbeats = 0;

  constructor(private readonly options: GatewayOptions) {
    this.wss.on('connection', (socket) => this.accept(socket));
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (!req.url?.startsWith('/gateway')) {
      socket.destroy();
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
  }

  /** Sends a dispatch to every identified session that asked for `intent` (none: every session). */
  dispatch(payload: Omit<GatewayDispatchPayload, 's' | 'op'>, intent?: GatewayIntentBits): number {
    let sent = 0;
    for (const session of this.sessions) {
      if (!session.identify) continue;
      if (intent !== undefined && (session.identify.intents & intent) === 0) continue;
      this.send(session, {
        ...payload,
        op: GatewayOpcodes.Dispatch,
        s: ++session.sequence,
      } as GatewayDispatchPayload);
      sent++;
    }
    return sent;
  }

  get identified(): boolean {
    return [...this.sessions].some((s) => s.identify !== undefined);
  }

  close(): Promise<void> {
    for (const session of this.sessions) session.socket.terminate();
    return new Promise((resolve) => this.wss.close(() => resolve()));
  }

  private accept(socket: WebSocket): void {
    const session: Session = { socket, sequence: 0 };
    this.sessions.add(session);
    socket.on('close', (code) => {
      this.sessions.delete(session);
      this.closes.push(code);
    });
    socket.on('message', (raw) => this.receive(session, JSON.parse(raw.toString()) as GatewaySendPayload));
    this.send(session, {
      op: GatewayOpcodes.Hello,
      d: { heartbeat_interval: this.options.heartbeatIntervalMs },
      s: null,
      t: null,
    });
  }

  private receive(session: Session, frame: GatewaySendPayload): void {
    switch (frame.op) {
      case GatewayOpcodes.Heartbeat:
        this.heartbeats++;
        this.send(session, {
          op: GatewayOpcodes.HeartbeatAck,
          d: undefined,
          s: null,
          t: null,
        } as GatewayReceivePayload);
        return;
      case GatewayOpcodes.Identify:
        this.identify(session, frame.d);
        return;
      case GatewayOpcodes.Resume:
        // No session survives in the fake: ask the client to identify again.
        this.send(session, { op: GatewayOpcodes.InvalidSession, d: false, s: null, t: null });
        return;
      default:
        return;
    }
  }

  private identify(session: Session, data: GatewayIdentifyData): void {
    if (data.token !== this.options.token && data.token !== `Bot ${this.options.token}`) {
      session.socket.close(4004, 'Authentication failed.');
      return;
    }
    if ((data.intents & PRIVILEGED & ~this.options.privilegedIntents) !== 0) {
      session.socket.close(4014, 'Disallowed intent(s).');
      return;
    }
    this.identifies.push(data);
    session.identify = data;
    const ready: GatewayReadyDispatchData = {
      v: 10,
      user: this.options.botUser,
      guilds: [{ id: this.options.guildId, unavailable: true }],
      session_id: `session-${snowflake()}`,
      resume_gateway_url: this.options.gatewayUrl(),
      shard: [0, 1],
      application: { id: this.options.applicationId, flags: 0 as ApplicationFlags, flags_new: '0' },
    };
    this.send(session, {
      op: GatewayOpcodes.Dispatch,
      t: 'READY',
      s: ++session.sequence,
      d: ready,
    } as GatewayReceivePayload);
    if (data.intents & GatewayIntentBits.Guilds) {
      this.send(session, {
        op: GatewayOpcodes.Dispatch,
        t: 'GUILD_CREATE',
        s: ++session.sequence,
        d: this.options.guildCreate(),
      } as GatewayReceivePayload);
    }
  }

  private send(session: Session, frame: GatewayReceivePayload): void {
    if (session.socket.readyState === WebSocket.OPEN) session.socket.send(JSON.stringify(frame));
  }
}
