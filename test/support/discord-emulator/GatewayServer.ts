import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  type APIUser,
  type ApplicationFlags,
  GatewayDispatchEvents,
  GatewayIntentBits,
  GatewayOpcodes,
  type GatewayReadyDispatchData,
} from 'discord-api-types/v10';
import { type WebSocket, WebSocketServer } from 'ws';
import type { EmulatorEvents, GatewaySessionInfo, RecordedGatewayFrame, SessionState } from './types.js';

/** Close codes after which Discord forgets the session (the client must IDENTIFY again). */
const SESSION_ENDING_CLOSE_CODES = new Set([
  1000, 4003, 4004, 4005, 4007, 4008, 4009, 4010, 4011, 4012, 4013, 4014,
]);
const PRIVILEGED_INTENTS =
  GatewayIntentBits.GuildMembers | GatewayIntentBits.GuildPresences | GatewayIntentBits.MessageContent;
const KNOWN_INTENTS = Object.values(GatewayIntentBits)
  .filter((v): v is number => typeof v === 'number')
  .reduce((acc, bit) => acc | bit, 0);
/** Dispatches kept per session for RESUME; older ones make a resume fail with op 9 (session too old). */
const REPLAY_LOG_LIMIT = 10_000;

export interface GatewayPayload {
  op: number;
  d: unknown;
  s?: number | null;
  t?: string | null;
}

interface LoggedDispatch {
  s: number;
  t: string;
  /** Serialized once per dispatch, whatever the number of sessions. */
  dJson: string;
}

export interface Session {
  sessionId: string;
  shard: number;
  shardCount: number;
  intents: number;
  token: string;
  seq: number;
  log: LoggedDispatch[];
  /** Highest sequence dropped from the log; resuming from before it is impossible. */
  trimmedUpTo: number;
  state: SessionState;
  connection: Connection | null;
  /** Presence from IDENTIFY, replaced by op 3 PRESENCE_UPDATE. */
  presence: unknown;
}

interface Connection {
  id: number;
  ws: WebSocket;
  session: Session | null;
  closedByServer: boolean;
}

export interface GatewayHost {
  readonly token: string;
  readonly applicationId: string;
  readonly botUser: APIUser;
  readonly heartbeatIntervalMs: number;
  readonly allowPrivilegedIntents: boolean;
  readonly logFrames: boolean;
  /** Answer op 9 to IDENTIFYs beyond max_concurrency per 5 s per rate-limit key (shard % max_concurrency). */
  readonly enforceIdentifyConcurrency: boolean;
  readonly maxConcurrency: number;
  resumeGatewayUrl(): string;
  isAvailable(): boolean;
  /** GUILD_CREATE payloads for the guilds on this shard. */
  guildCreatesFor(shard: number, shardCount: number): Array<{ id: string; d: unknown }>;
  recordFrame(frame: RecordedGatewayFrame): void;
  emit<E extends keyof EmulatorEvents>(event: E, ...args: EmulatorEvents[E]): void;
}

/** The gateway v10 side: HELLO/IDENTIFY/READY, heartbeats, per-session sequence logs, RESUME, faults. */
export class GatewayServer {
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  private readonly connections = new Set<Connection>();
  readonly sessions: Session[] = [];
  private readonly sessionsById = new Map<string, Session>();
  private nextConnectionId = 1;
  /** Shards whose heartbeats go unanswered; 'all' covers every shard. */
  private readonly ackless = new Set<number | 'all'>();
  /** IDENTIFY times per rate-limit key, for enforceIdentifyConcurrency. */
  private readonly identifyTimes = new Map<number, number[]>();

  constructor(private readonly host: GatewayHost) {}

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/gateway' && url.pathname !== '/gateway-resume') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    if (!this.host.isAvailable()) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, url));
  }

  private accept(ws: WebSocket, url: URL): void {
    const connection: Connection = { id: this.nextConnectionId++, ws, session: null, closedByServer: false };
    this.connections.add(connection);
    ws.on('message', (data, isBinary) => this.onMessage(connection, data.toString(), isBinary));
    ws.on('close', (code, reason) => this.onClose(connection, code, reason.toString()));
    ws.on('error', () => {
      /* the close handler does the bookkeeping; a reset socket is an expected fault */
    });
    if (url.searchParams.get('v') !== '10') {
      this.closeConnection(connection, 4012, 'Invalid API version');
      return;
    }
    const encoding = url.searchParams.get('encoding');
    if ((encoding !== null && encoding !== 'json') || url.searchParams.has('compress')) {
      // zlib-stream / etf are not emulated; 4002 tells the client its payload could not be handled.
      this.closeConnection(connection, 4002, 'Only encoding=json without compression is emulated');
      return;
    }
    this.send(connection, {
      op: GatewayOpcodes.Hello,
      d: { heartbeat_interval: this.host.heartbeatIntervalMs },
    });
  }

  private onMessage(connection: Connection, raw: string, isBinary: boolean): void {
    let payload: GatewayPayload;
    try {
      if (isBinary) throw new Error('binary frame');
      payload = JSON.parse(raw) as GatewayPayload;
      if (typeof payload !== 'object' || payload === null || typeof payload.op !== 'number') {
        throw new Error('no op');
      }
    } catch {
      this.closeConnection(connection, 4002, 'Error while decoding payload.');
      return;
    }
    this.record(connection, 'in', payload);
    switch (payload.op) {
      case GatewayOpcodes.Heartbeat:
        this.onHeartbeat(connection, payload);
        return;
      case GatewayOpcodes.Identify:
        this.onIdentify(connection, payload.d as Record<string, unknown>);
        return;
      case GatewayOpcodes.Resume:
        this.onResume(connection, payload.d as Record<string, unknown>);
        return;
      case GatewayOpcodes.PresenceUpdate:
        if (connection.session) connection.session.presence = payload.d;
        else this.closeConnection(connection, 4003, 'Not authenticated.');
        return;
      case GatewayOpcodes.VoiceStateUpdate:
      case GatewayOpcodes.RequestGuildMembers:
      case GatewayOpcodes.RequestSoundboardSounds:
        if (!connection.session) this.closeConnection(connection, 4003, 'Not authenticated.');
        return;
      default:
        this.closeConnection(connection, 4001, 'Unknown opcode.');
    }
  }

  private onHeartbeat(connection: Connection, payload: GatewayPayload): void {
    const shard = connection.session?.shard ?? -1;
    const acked = !this.ackless.has('all') && !this.ackless.has(shard);
    this.host.emit('heartbeat', { shard, seq: typeof payload.d === 'number' ? payload.d : null, acked });
    if (acked) this.send(connection, { op: GatewayOpcodes.HeartbeatAck, d: null });
  }

  private onIdentify(connection: Connection, d: Record<string, unknown>): void {
    if (connection.session) {
      this.closeConnection(connection, 4005, 'Already authenticated.');
      return;
    }
    const token = String(d.token ?? '').replace(/^(Bot|Bearer)\s+/i, '');
    if (token !== this.host.token) {
      this.closeConnection(connection, 4004, 'Authentication failed.');
      return;
    }
    const shardField = Array.isArray(d.shard) ? d.shard : [0, 1];
    const shard = Number(shardField[0]);
    const shardCount = Number(shardField[1]);
    if (
      !Number.isInteger(shard) ||
      !Number.isInteger(shardCount) ||
      shardCount < 1 ||
      shard < 0 ||
      shard >= shardCount
    ) {
      this.closeConnection(connection, 4010, 'Invalid shard.');
      return;
    }
    const intents = Number(d.intents);
    if (!Number.isInteger(intents) || intents < 0 || (intents & ~KNOWN_INTENTS) !== 0) {
      this.closeConnection(connection, 4013, 'Invalid intent(s).');
      return;
    }
    if ((intents & PRIVILEGED_INTENTS) !== 0 && !this.host.allowPrivilegedIntents) {
      this.closeConnection(connection, 4014, 'Disallowed intent(s).');
      return;
    }
    if (d.compress === true) {
      this.closeConnection(connection, 4002, 'Payload compression is not emulated.');
      return;
    }
    if (this.host.enforceIdentifyConcurrency) {
      const key = shard % this.host.maxConcurrency;
      const now = Date.now();
      const recent = (this.identifyTimes.get(key) ?? []).filter((t) => now - t < 5000);
      if (recent.length >= 1) {
        this.identifyTimes.set(key, recent);
        this.host.emit('identifyRateLimited', { shard });
        this.send(connection, { op: GatewayOpcodes.InvalidSession, d: false });
        return;
      }
      recent.push(now);
      this.identifyTimes.set(key, recent);
    }
    // A new IDENTIFY replaces this shard's disconnected sessions (Discord would time them out).
    for (const old of this.sessions) {
      if (old.shard === shard && old.shardCount === shardCount && old.state === 'disconnected') {
        this.forget(old);
      }
    }
    const session: Session = {
      sessionId: randomBytes(16).toString('hex'),
      shard,
      shardCount,
      intents,
      token,
      seq: 0,
      log: [],
      trimmedUpTo: 0,
      state: 'identifying',
      connection,
      presence: d.presence ?? null,
    };
    this.sessions.push(session);
    this.sessionsById.set(session.sessionId, session);
    connection.session = session;
    this.host.emit('identify', { shard, shardCount, sessionId: session.sessionId, token, intents });

    const guilds = this.host.guildCreatesFor(shard, shardCount);
    const ready: GatewayReadyDispatchData = {
      v: 10,
      user: this.host.botUser,
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.sessionId,
      resume_gateway_url: this.host.resumeGatewayUrl(),
      shard: [shard, shardCount],
      application: { id: this.host.applicationId, flags: 0 as ApplicationFlags, flags_new: '0' },
    };
    this.sessionDispatch(session, GatewayDispatchEvents.Ready, JSON.stringify(ready));
    session.state = 'ready';
    for (const g of guilds)
      this.sessionDispatch(session, GatewayDispatchEvents.GuildCreate, JSON.stringify(g.d));
    this.host.emit('ready', { shard, sessionId: session.sessionId });
  }

  private onResume(connection: Connection, d: Record<string, unknown>): void {
    const sessionId = String(d.session_id ?? '');
    const token = String(d.token ?? '').replace(/^(Bot|Bearer)\s+/i, '');
    const seq = typeof d.seq === 'number' ? d.seq : 0;
    const session = this.sessionsById.get(sessionId);
    if (token !== this.host.token) {
      this.closeConnection(connection, 4004, 'Authentication failed.');
      return;
    }
    if (!session || session.state === 'closed' || seq > session.seq || seq < session.trimmedUpTo) {
      // Unknown, forgotten or too-old session: op 9 d:false makes discord.js re-IDENTIFY.
      this.send(connection, { op: GatewayOpcodes.InvalidSession, d: false });
      return;
    }
    const previous = session.connection;
    if (previous && previous !== connection) {
      previous.session = null;
      this.closeConnection(previous, 4000, 'Session resumed elsewhere.');
    }
    session.connection = connection;
    connection.session = session;
    const missed = session.log.filter((e) => e.s > seq);
    for (const e of missed) {
      this.send(connection, { op: GatewayOpcodes.Dispatch, t: e.t, s: e.s, d: undefined }, e.dJson);
    }
    session.state = 'resumed';
    this.sessionDispatch(session, GatewayDispatchEvents.Resumed, '{}');
    this.host.emit('resume', { shard: session.shard, sessionId, seq, replayed: missed.length });
  }

  private onClose(connection: Connection, code: number, reason: string): void {
    this.connections.delete(connection);
    const session = connection.session;
    this.host.emit('close', {
      shard: session?.shard ?? null,
      connectionId: connection.id,
      code,
      reason,
      by: connection.closedByServer ? 'server' : 'client',
    });
    if (!session || session.connection !== connection) return;
    session.connection = null;
    // A client close with 1000/1001 (client.destroy()) ends the session, as on Discord.
    if (!connection.closedByServer && (code === 1000 || code === 1001)) {
      this.forget(session);
    } else if (session.state !== 'closed') {
      session.state = 'disconnected';
    }
  }

  private forget(session: Session): void {
    session.state = 'closed';
    session.log = [];
    this.sessionsById.delete(session.sessionId);
  }

  // ── dispatching ─────────────────────────────────────────────────────────

  /**
   * Sends a dispatch to every live session of the shard that owns `guildId` (shard 0 for DMs).
   * Disconnected sessions log it for replay on RESUME. `intent` filters sessions without it.
   */
  dispatch(
    t: string,
    d: unknown,
    target: { guildId?: string | null; shard?: number; intent?: number } = {},
  ): number {
    let delivered = 0;
    let dJson: string | undefined; // serialized once, on the first matching session
    for (const session of this.sessions) {
      if (session.state === 'closed' || session.state === 'identifying') continue;
      if (target.intent !== undefined && (session.intents & target.intent) === 0) continue;
      const shard =
        target.shard ??
        (target.guildId ? Number((BigInt(target.guildId) >> 22n) % BigInt(session.shardCount)) : 0);
      if (session.shard !== shard) continue;
      dJson ??= JSON.stringify(d);
      this.sessionDispatch(session, t, dJson);
      delivered++;
    }
    return delivered;
  }

  private sessionDispatch(session: Session, t: string, dJson: string): void {
    session.seq += 1;
    const entry: LoggedDispatch = { s: session.seq, t, dJson };
    if (t !== GatewayDispatchEvents.Ready && t !== GatewayDispatchEvents.Resumed) {
      session.log.push(entry);
      if (session.log.length > REPLAY_LOG_LIMIT) session.trimmedUpTo = session.log.shift()?.s ?? 0;
    }
    const connection = session.connection;
    if (connection && connection.ws.readyState === connection.ws.OPEN) {
      this.send(connection, { op: GatewayOpcodes.Dispatch, t, s: entry.s, d: undefined }, dJson);
    }
  }

  // ── faults ──────────────────────────────────────────────────────────────

  private selected(shard: number | undefined): Connection[] {
    return [...this.connections].filter((c) => shard === undefined || c.session?.shard === shard);
  }

  closeAll(code: number, shard: number | undefined, reason = 'Emulator closed the connection'): number {
    const targets = this.selected(shard);
    for (const c of targets) this.closeConnection(c, code, reason);
    return targets.length;
  }

  dropAll(shard: number | undefined): number {
    const targets = this.selected(shard);
    for (const c of targets) {
      c.closedByServer = true;
      c.ws.terminate();
    }
    return targets.length;
  }

  sendOp(op: number, d: unknown, shard: number | undefined): number {
    const targets = this.selected(shard);
    for (const c of targets) this.send(c, { op, d });
    return targets.length;
  }

  invalidate(resumable: boolean, shard: number | undefined): number {
    const targets = this.selected(shard);
    for (const c of targets) {
      if (!resumable && c.session) this.forget(c.session);
      if (!resumable) c.session = null;
      this.send(c, { op: GatewayOpcodes.InvalidSession, d: resumable });
    }
    return targets.length;
  }

  setAcks(enabled: boolean, shard: number | undefined): void {
    if (enabled) {
      if (shard === undefined) this.ackless.clear();
      else this.ackless.delete(shard);
    } else {
      this.ackless.add(shard ?? 'all');
    }
  }

  sessionInfos(): GatewaySessionInfo[] {
    return this.sessions.map((s) => ({
      shard: s.shard,
      shardCount: s.shardCount,
      sessionId: s.sessionId,
      sequence: s.seq,
      state: s.state,
      connected: s.connection !== null,
      intents: s.intents,
      presence: s.presence,
    }));
  }

  openConnectionCount(): number {
    return this.connections.size;
  }

  /** Closes every connection with 1001 and forgets nothing (the server is going away). */
  shutdown(): void {
    for (const c of this.connections) {
      c.closedByServer = true;
      c.ws.terminate();
    }
    this.connections.clear();
    this.wss.close();
  }

  private closeConnection(connection: Connection, code: number, reason: string): void {
    connection.closedByServer = true;
    if (connection.session && SESSION_ENDING_CLOSE_CODES.has(code)) this.forget(connection.session);
    if (
      connection.ws.readyState === connection.ws.OPEN ||
      connection.ws.readyState === connection.ws.CONNECTING
    ) {
      this.record(connection, 'out', { op: -1, d: { code, reason }, t: 'CLOSE' });
      connection.ws.close(code, reason);
    }
  }

  private send(connection: Connection, payload: GatewayPayload, dJson?: string): void {
    const d = dJson ?? JSON.stringify(payload.d ?? null);
    this.record(connection, 'out', payload, d);
    if (connection.ws.readyState !== connection.ws.OPEN) return;
    const s = payload.s ?? null;
    const t = payload.t ? JSON.stringify(payload.t) : 'null';
    connection.ws.send(`{"op":${payload.op},"d":${d},"s":${s},"t":${t}}`);
  }

  private record(
    connection: Connection,
    direction: 'in' | 'out',
    payload: GatewayPayload,
    dJson?: string,
  ): void {
    const frame: RecordedGatewayFrame = {
      shard: connection.session?.shard ?? -1,
      connectionId: connection.id,
      direction,
      op: payload.op,
      t: payload.t ?? null,
      s: payload.s ?? null,
      at: Date.now(),
    };
    this.host.recordFrame(frame);
    if (this.host.logFrames) {
      const d =
        payload.op === GatewayOpcodes.Identify || payload.op === GatewayOpcodes.Resume
          ? '"(redacted)"'
          : (dJson ?? JSON.stringify(payload.d ?? null));
      process.stderr.write(
        `[emu gw#${connection.id} shard ${frame.shard}] ${direction === 'in' ? '←' : '→'} op ${payload.op}${payload.t ? ` ${payload.t}` : ''}${payload.s ? ` s=${payload.s}` : ''} ${d.slice(0, 300)}\n`,
      );
    }
  }
}
