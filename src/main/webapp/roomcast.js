/**
 * Roomcast browser client: an ES module with no dependencies (PROTOCOL.md section 1).
 *
 *     import { RoomcastClient } from '/roomcast.js';
 *     const client = new RoomcastClient();            // ws(s)://<this server>/<context>/ws
 *     client.on('state', ({ state }) => console.log(state));
 *     client.on('message:lobby', (m) => console.log(m.from, m.data));
 *     await client.join('lobby');
 *     await client.publish('lobby', { text: 'hello' });
 *
 * Resilience: reconnects with capped exponential backoff and full jitter, rejoins every room
 * after a reconnect, treats a 1013 (node full) or 1001 (node draining) close as "try another
 * node later" (longer backoff, next URL of the list), and sends heartbeats so that a silently
 * dead connection is noticed. Messages published while disconnected are not queued: `publish`
 * rejects with `not_connected` and the caller decides.
 *
 * Publishing is idempotent (PROTOCOL.md section 7): every `publish` carries a key, and one whose
 * outcome is unknown (`unavailable`, no reply in time, or the connection dropped before the `ack`)
 * is sent again with the same key, after the reconnect and rejoin if there was one. The server
 * stores and delivers a key once, so a retry never duplicates the message.
 *
 * Recovery (PROTOCOL.md section 7): the client keeps the last `offset` and the `epoch` of every
 * joined room and rejoins with `since` after each reconnect, so the server replays what was
 * missed; each room then emits `recovered` (nothing lost) or `gap` (some messages are gone).
 * A message is a duplicate only if both its `epoch` and its `offset` were seen: when a connected
 * room gets a new epoch (it was quiet longer than the server keeps history, or the server lost
 * it), offsets restart at 1, the room emits `reset` and every message of the new epoch is shown.
 *
 * Token refresh (PROTOCOL.md section 10, mode `jwt`): with a `refresh` callback the client asks
 * it for a fresh access token before every handshake (sent as the `access_token` query
 * parameter) and on every `expiring` warning (sent in-band as `refresh`), so one connection
 * lasts as long as the single sign-on session, not as long as one token.
 *
 * @module roomcast
 */

/** Connection states, in the order a healthy connection goes through them. */
export const State = Object.freeze({
  IDLE: 'idle', CONNECTING: 'connecting', OPEN: 'open', RECONNECTING: 'reconnecting', CLOSED: 'closed',
});

/** Close codes after which reconnecting cannot help (policy: auth failed, kicked, bad origin). */
const FATAL_CLOSES = new Set([1003, 1008]);
/** Close codes that mean "this node cannot take you now": wait longer, prefer another node. */
const BUSY_CLOSES = new Set([1001, 1013]);

const DEFAULTS = Object.freeze({
  reconnect: { baseMs: 500, maxMs: 30000, busyBaseMs: 2000, busyMaxMs: 60000 },
  heartbeat: { intervalMs: 25000, timeoutMs: 10000 },
  connectTimeoutMs: 10000,
  requestTimeoutMs: 10000,
  publishAttempts: 3,
});

/** Publish failures after which the message may or may not have been stored: resend with the same key. */
const AMBIGUOUS_PUBLISH = new Set(['unavailable', 'timeout', 'disconnected']);

/** A fresh idempotency key (at most 64 characters, as the contract allows). */
function newKey() {
  if (globalThis.crypto?.randomUUID) return globalThis.crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}

/**
 * A failure reported by the server (`error` frame) or by the client itself.
 * `code` is the contract's error code (`bad_room`, `not_member`, `forbidden`, ...) or one of
 * the client's own: `not_connected`, `disconnected`, `timeout`, `closed`.
 */
export class RoomcastError extends Error {
  /** @param {string} code @param {string} message @param {object} [details] e.g. room, ref, shard, url */
  constructor(code, message, details = {}) {
    super(message);
    this.name = 'RoomcastError';
    this.code = code;
    Object.assign(this, details);
  }
}

/**
 * Delay before reconnect attempt `attempt` (0-based): full jitter, uniformly random between 0
 * and min(max, base * 2^attempt), so that thousands of clients dropped at once spread out.
 * @param {number} attempt @param {number} baseMs @param {number} maxMs @param {() => number} [random]
 * @returns {number} milliseconds
 */
export function backoffDelay(attempt, baseMs, maxMs, random = Math.random) {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

/** The `/ws` endpoint next to this module: same host and context root, ws or wss. */
function defaultUrl() {
  const url = new URL('ws', import.meta.url);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

/**
 * One logical connection to Roomcast that survives reconnects.
 *
 * Events (listen with {@link RoomcastClient#on}; each handler gets one argument):
 * - `state`: `{state, previous, code?, reason?, delayMs?, url?}` on every state change;
 * - `welcome`: `{session, node, url}` after each (re)connect;
 * - `presence`: `{room, type: 'join'|'leave', user, session}` for rooms joined with
 *   `{presence: true}` (see {@link RoomcastClient#join}); `presence:<room>` for one room;
 * - `message`: every room message `{room, data, from, ts, id, offset, epoch}`; `message:<room>` for
 *   one room; a message whose epoch and offset the client already has (a replay overlapping live
 *   delivery) is dropped;
 * - `reset` / `reset:<room>`: `{room, epoch, previousEpoch, previousOffset}` when a message of a new
 *   epoch arrives in a connected room: the room's history up to `previousOffset` of
 *   `previousEpoch` is gone from the server (the room was quiet past the history's ttl, or the
 *   server lost it), offsets restart, and this message and the next ones are delivered;
 * - `recovered` / `recovered:<room>`: `{room, epoch, offset, since}` after a rejoin that got every
 *   missed message back (the replayed ones follow as `message`s);
 * - `gap` / `gap:<room>`: `{room, epoch, offset, since}` after a rejoin that could not: the
 *   messages after `since` up to the room's `offset` are gone (history expired, was lost, or
 *   the room moved on by more than the history holds); live messages follow;
 * - `error`: a {@link RoomcastError} not tied to a pending call (e.g. a rejoin was refused).
 * - `expiring`: `{expires}` (Unix ms) when the connection's token runs out soon; with a
 *   `refresh` callback the client refreshes by itself, then emits `refreshed`: `{expires}`;
 * - `left` / `left:<room>`: `{room, reason}` when the server ends a membership by itself
 *   (`reason: 'forbidden'`: a refreshed token's groups may no longer join the room); the room
 *   is forgotten, not rejoined.
 */
export class RoomcastClient {
  /**
   * @param {object} [options]
   * @param {string|(() => string)|Array<string|(() => string)>} [options.url] endpoint, or
   *   several nodes to rotate through on reconnect (a 1001/1013 close moves to the next one);
   *   a function is called before each attempt (e.g. to put a fresh token in the query);
   *   default: this server's `/ws`
   * @param {() => (string|Promise<string>)} [options.refresh] returns (a promise of) a fresh
   *   access token (mode `jwt`), e.g. from the identity provider's silent renewal; called before
   *   each handshake and on each `expiring` warning (see docs/security.md)
   * @param {string} [options.tokenParam] query parameter of the handshake's token (`access_token`)
   * @param {{baseMs?:number,maxMs?:number,busyBaseMs?:number,busyMaxMs?:number}} [options.reconnect]
   * @param {{intervalMs?:number,timeoutMs?:number}} [options.heartbeat] ping period and how long
   *   to wait for any frame before declaring the connection dead
   * @param {number} [options.connectTimeoutMs] @param {number} [options.requestTimeoutMs]
   * @param {number} [options.publishAttempts] how often `publish` sends one message whose outcome
   *   stays unknown (default 3; 1 turns the automatic resend off)
   * @param {typeof WebSocket} [options.WebSocket] implementation, for non-browser use
   */
  constructor(options = {}) {
    const urls = options.url ?? defaultUrl();
    this.urls = Array.isArray(urls) ? [...urls] : [urls];
    if (this.urls.length === 0) throw new RangeError('url must name at least one endpoint');
    this.options = {
      reconnect: { ...DEFAULTS.reconnect, ...options.reconnect },
      heartbeat: { ...DEFAULTS.heartbeat, ...options.heartbeat },
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
      requestTimeoutMs: options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
      publishAttempts: Math.max(1, options.publishAttempts ?? DEFAULTS.publishAttempts),
    };
    this.WebSocketImpl = options.WebSocket ?? globalThis.WebSocket;
    this.refreshToken = options.refresh ?? null;
    this.tokenParam = options.tokenParam ?? 'access_token';
    this.state = State.IDLE;
    /** @type {{session:string,node:string,url:string}|null} the current connection, from `welcome` */
    this.welcome = null;
    this.rooms = new Set();
    /** @type {Map<string,{offset:number,epoch:string}>} where each joined room's history stands */
    this.positions = new Map();
    this.listeners = new Map();
    this.pending = new Map();
    this.waitingJoins = new Map();
    this.nextRef = 1;
    this.urlIndex = 0;
    this.attempt = 0;
    this.socket = null;
    this.timers = {};
  }

  /** Subscribes `handler` to `event`; returns a function that unsubscribes it. */
  on(event, handler) {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event).add(handler);
    return () => this.off(event, handler);
  }

  off(event, handler) {
    this.listeners.get(event)?.delete(handler);
  }

  /**
   * Opens the connection (and keeps it open until {@link close}). Resolves with the `welcome`
   * of the first successful connection; rejects only if the client is closed before that.
   */
  connect() {
    if (this.state === State.IDLE || this.state === State.CLOSED) {
      this.attempt = 0;
      this.openSocket(State.CONNECTING);
    }
    if (this.state === State.OPEN) return Promise.resolve(this.welcome);
    if (this.state === State.CLOSED) return Promise.reject(new RoomcastError('closed', 'Could not connect'));
    return new Promise((resolve, reject) => {
      const offWelcome = this.on('welcome', (w) => { offAll(); resolve(w); });
      const offState = this.on('state', ({ state, code, reason }) => {
        if (state === State.CLOSED) { offAll(); reject(new RoomcastError('closed', reason || 'closed', { closeCode: code })); }
      });
      const offAll = () => { offWelcome(); offState(); };
    });
  }

  /** Closes for good: no reconnect; pending calls reject with `closed`. */
  close() {
    this.teardown();
    this.rejectAll('closed', 'Client closed');
    this.setState(State.CLOSED, { code: 1000, reason: 'Client closed' });
  }

  /**
   * Joins `room` and keeps it joined across reconnects. Resolves once the server says
   * `joined`; while disconnected it resolves after the next successful (re)join. Rejects with
   * the server's code (`bad_room`, `forbidden`, `too_many_rooms`, ...), and then forgets the room.
   * With `{presence: true}` the client also gets `presence` events for the room (kept across
   * reconnects); call {@link RoomcastClient#presence} after joining for the current members.
   * @param {string} room @param {{presence?: boolean}} [options]
   */
  join(room, options = {}) {
    this.rooms.add(room);
    this.rememberPresence(room, options);
    if (this.state !== State.OPEN) return this.awaitRejoin(room);
    return this.request(this.joinFrame(room, false)).then(() => room, (error) => {
      // A drop mid-request is not a refusal: the room stays and is joined on reconnect.
      if (error.code === 'disconnected' && this.rooms.has(room)) return this.awaitRejoin(room);
      this.rooms.delete(room);
      throw error;
    });
  }

  awaitRejoin(room) {
    return new Promise((resolve, reject) => {
      const waiting = this.waitingJoins.get(room) ?? [];
      waiting.push({ resolve, reject });
      this.waitingJoins.set(room, waiting);
    });
  }

  /** Leaves `room`; resolves on `left`. Offline, it only forgets the room. */
  leave(room) {
    this.rooms.delete(room);
    this.positions.delete(room);
    this.presenceRooms?.delete(room);
    this.settleWaitingJoins(room, new RoomcastError('disconnected', 'Left before the join completed', { room }));
    if (this.state !== State.OPEN) return Promise.resolve(room);
    return this.request({ type: 'leave', room }).then(() => room);
  }

  /**
   * Publishes `data` (any JSON value) to `room`, which this client must have joined.
   * Resolves with the message id once the server has accepted it for delivery (`ack`; for a
   * resend the server already had, the first message's id).
   * Rejects with `not_connected` while disconnected (nothing is queued), or the server's code.
   *
   * The message carries an idempotency `key` (`options.key`, 1 to 64 characters, else a fresh
   * one). When its outcome is unknown (`unavailable`, `timeout`, or `disconnected` before the
   * `ack`), it is sent again with the same key, after the room's rejoin if the connection dropped,
   * up to `publishAttempts` times in all; the last failure rejects with `error.key` set, so the
   * caller may retry later with `publish(room, data, {key: error.key})`: never a duplicate while
   * the server keeps the room's history.
   * @param {string} room @param {*} data @param {{key?: string}} [options]
   */
  publish(room, data, { key = newKey() } = {}) {
    const attempt = (left) => this.request({ type: 'publish', room, data, key }).then((ack) => ack.id, (error) => {
      if (!AMBIGUOUS_PUBLISH.has(error.code) || left <= 1 || !this.rooms.has(room)) throw Object.assign(error, { key });
      // A drop: the room is rejoined on the next connection; else wait a moment, as for a reconnect.
      const ready = error.code === 'disconnected' || this.state !== State.OPEN ? this.awaitRejoin(room)
        : new Promise((resolve) => setTimeout(resolve, backoffDelay(0, this.options.reconnect.baseMs, this.options.reconnect.maxMs)));
      return ready.then(() => attempt(left - 1), (closed) => { throw Object.assign(closed, { key }); });
    });
    return attempt(this.options.publishAttempts);
  }

  /**
   * The room's latest messages (PROTOCOL.md section 7), oldest first: at most `limit` (1..100,
   * default 50), only offsets below `before` when given. Needs the right to join, not
   * membership. Resolves with `{room, epoch, offset, messages}` (`offset`: the room's latest).
   */
  history(room, { limit, before } = {}) {
    const frame = { type: 'history', room };
    if (limit !== undefined) frame.limit = limit;
    if (before !== undefined) frame.before = before;
    return this.request(frame).then(({ epoch, offset, messages }) => ({
      room, epoch, offset, messages: (messages ?? []).map(toMessage),
    }));
  }

  /** The last offset and the epoch received in `room`, or undefined before its first `joined`. */
  position(room) {
    const position = this.positions.get(room);
    return position && { ...position };
  }

  /** Round trip to the server; resolves with the elapsed milliseconds. */
  ping() {
    const started = Date.now();
    return this.request({ type: 'ping' }).then(() => Date.now() - started);
  }

  request(frame) {
    if (this.state !== State.OPEN) {
      return Promise.reject(new RoomcastError('not_connected', 'Not connected', { room: frame.room }));
    }
    const ref = String(this.nextRef++);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(ref);
        reject(new RoomcastError('timeout', `No reply to ${frame.type} within ${this.options.requestTimeoutMs} ms`, { room: frame.room, ref }));
      }, this.options.requestTimeoutMs);
      this.pending.set(ref, { resolve, reject, timer, room: frame.room, since: frame.since });
      try {
        this.socket.send(JSON.stringify({ ...frame, ref }));
      } catch (e) {
        // Not serializable (e.g. a BigInt or a cycle in data), or the socket is closing.
        this.settle(ref, null, new RoomcastError('bad_request', String(e.message || e), { room: frame.room }));
      }
    });
  }

  openSocket(state) {
    if (!this.refreshToken) return this.openSocketWith(state, null);
    // A fresh token for every handshake: the one the page started with may have expired since.
    this.setState(state);
    const attempt = {};
    this.tokenAttempt = attempt;
    Promise.resolve().then(() => this.refreshToken()).then((token) => {
      if (attempt === this.tokenAttempt && this.state === state) this.openSocketWith(state, token);
    }, (e) => {
      if (attempt === this.tokenAttempt && this.state === state) this.scheduleReconnect({ code: 4002, reason: `No token: ${e?.message ?? e}` });
    });
    return undefined;
  }

  openSocketWith(state, token) {
    const entry = this.urls[this.urlIndex % this.urls.length];
    // A function is asked again on every attempt: it can add a fresh token each time.
    const url = withToken(typeof entry === 'function' ? entry() : entry, this.tokenParam, token);
    this.setState(state, { url });
    let socket;
    try {
      socket = new this.WebSocketImpl(url);
    } catch (e) {
      // The constructor throws only for a URL it can never open: retrying cannot help.
      this.teardown();
      this.setState(State.CLOSED, { code: 1006, reason: `Bad WebSocket URL ${url}: ${e.message || e}` });
      return;
    }
    this.socket = socket;
    this.timers.connect = setTimeout(() => this.abandon(socket, 4000, 'Connect timeout'), this.options.connectTimeoutMs);
    socket.onmessage = (event) => this.onFrame(socket, event.data, url);
    socket.onclose = (event) => this.onSocketClosed(socket, event.code, event.reason);
  }

  onFrame(socket, text, url) {
    if (socket !== this.socket) return;
    this.armHeartbeat();
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      return; // the server only sends JSON; ignore rather than fail the connection
    }
    switch (frame.type) {
      case 'welcome': return this.onWelcome(frame, url);
      case 'expiring': return this.onExpiring(frame);
      case 'refreshed': return this.settle(frame.ref, frame);
      case 'left':
        if (frame.ref === undefined && frame.reason) return this.onRemoved(frame);
        return this.settle(frame.ref, frame);
      case 'message': return this.onMessage(frame);
      case 'error': return this.settle(frame.ref, null, toError(frame), frame);
      case 'joined':
        this.onJoined(frame, this.pending.get(frame.ref)?.since);
        return this.settle(frame.ref, frame);
      case 'ack': case 'pong': case 'history': case 'presence': return this.settle(frame.ref, frame);
      case 'presence_join': case 'presence_leave': return this.onPresence(frame);
      default: return undefined;
    }
  }

  onWelcome(frame, url) {
    clearTimeout(this.timers.connect);
    this.attempt = 0;
    this.welcome = { session: frame.session, node: frame.node, url };
    this.setState(State.OPEN, { url });
    this.emit('welcome', this.welcome);
    this.rejoin();
  }

  /** The token runs out soon: a fresh one from the `refresh` callback goes in-band (mode `jwt`). */
  onExpiring(frame) {
    this.emit('expiring', { expires: frame.expires });
    if (!this.refreshToken) return; // the server closes with 1008 at `expires`
    const socket = this.socket;
    Promise.resolve().then(() => this.refreshToken())
      .then((token) => (socket === this.socket ? this.request({ type: 'refresh', token }) : null))
      .then((reply) => { if (reply) this.emit('refreshed', { expires: reply.expires }); })
      .catch((e) => this.emit('error', e instanceof RoomcastError ? e : new RoomcastError('refresh_failed', String(e?.message ?? e))));
  }

  /** The server ended a membership by itself (a refresh took the right away): forget the room. */
  onRemoved(frame) {
    const { room, reason } = frame;
    this.rooms.delete(room);
    this.positions.delete(room);
    this.presenceRooms?.delete(room);
    this.settleWaitingJoins(room, new RoomcastError(reason, `No longer in room ${room} (${reason})`, { room }));
    this.emit('left', { room, reason });
    this.emit(`left:${room}`, { room, reason });
  }

  /** A join; a rejoin after a reconnect carries `since` once the room has a position. */
  joinFrame(room, rejoining) {
    const position = this.positions.get(room);
    const frame = rejoining && position?.epoch !== undefined ? { type: 'join', room, since: { ...position } } : { type: 'join', room };
    return this.presenceRooms?.has(room) ? { ...frame, presence: true } : frame;
  }

  /**
   * Who is in `room` (which this client must have joined), across every node: resolves with
   * `{room, count, users, members: [{user, session, node}, ...]}` (`count` connections,
   * `users` distinct users, at most 100 members listed). Rejects with `not_member` otherwise.
   */
  presence(room) {
    return this.request({ type: 'presence', room }).then(({ type, ref, ...body }) => body);
  }

  /** Remembers whether `room` was joined for presence events, so that rejoins ask again. */
  rememberPresence(room, { presence = false } = {}) {
    this.presenceRooms ??= new Set();
    if (presence) this.presenceRooms.add(room); else this.presenceRooms.delete(room);
  }

  onPresence(frame) {
    const event = { room: frame.room, type: frame.type === 'presence_join' ? 'join' : 'leave', user: frame.user, session: frame.session };
    this.emit('presence', event);
    this.emit(`presence:${frame.room}`, event);
  }

  /**
   * Updates the room's position from `joined` (handled as the frame arrives, before any
   * replayed message) and tells the application whether a rejoin recovered.
   */
  onJoined(frame, since) {
    const { room, epoch, offset = 0 } = frame;
    const known = this.positions.get(room);
    if (typeof epoch !== 'string') {
      this.positions.delete(room); // history is off on the server: nothing to rejoin from
    } else if (since === undefined) {
      // A first join (or a repeated one): messages continue after the room's latest offset.
      if (known?.epoch !== epoch) this.positions.set(room, { offset, epoch });
    } else if (!frame.recovered) {
      this.positions.set(room, { offset, epoch });
    }
    if (since === undefined) return;
    const event = frame.recovered === true ? 'recovered' : 'gap';
    const details = { room, epoch, offset, since };
    this.emit(event, details);
    this.emit(`${event}:${room}`, details);
  }

  rejoin() {
    for (const room of this.rooms) {
      this.request(this.joinFrame(room, true)).then(
        () => this.settleWaitingJoins(room, null),
        (error) => {
          if (error.code === 'not_connected' || error.code === 'disconnected') return; // retried on the next connection
          this.rooms.delete(room);
          this.settleWaitingJoins(room, error);
          this.emit('error', error);
        });
    }
  }

  settleWaitingJoins(room, error) {
    const waiting = this.waitingJoins.get(room) ?? [];
    this.waitingJoins.delete(room);
    waiting.forEach(({ resolve, reject }) => (error ? reject(error) : resolve(room)));
  }

  /**
   * Delivers a room message once: a duplicate has both the room's epoch and an offset already
   * seen. A message of another epoch means the room's history was lost while connected: offsets
   * restart, so the room emits `reset` and takes this epoch as its own.
   */
  onMessage(frame) {
    const { room } = frame;
    const position = this.positions.get(room);
    if (position && typeof frame.offset === 'number') {
      const epoch = typeof frame.epoch === 'string' ? frame.epoch : position.epoch; // servers before v1.2 send none
      if (epoch !== position.epoch) {
        const reset = { room, epoch, previousEpoch: position.epoch, previousOffset: position.offset };
        this.positions.set(room, { offset: frame.offset, epoch });
        this.emit('reset', reset);
        this.emit(`reset:${room}`, reset);
      } else if (frame.offset <= position.offset) {
        return; // already delivered: each message once
      } else {
        position.offset = frame.offset;
      }
    }
    const message = toMessage(frame);
    this.emit('message', message);
    this.emit(`message:${frame.room}`, message);
  }

  settle(ref, reply, error, frame) {
    const call = ref === undefined ? undefined : this.pending.get(ref);
    if (!call) {
      if (error) this.emit('error', error);
      return;
    }
    this.pending.delete(ref);
    clearTimeout(call.timer);
    if (error) {
      if (error.room === undefined) error.room = call.room;
      call.reject(error);
    } else {
      call.resolve(reply ?? frame);
    }
  }

  /** Any frame proves the connection alive; silence for interval + timeout proves it dead. */
  armHeartbeat() {
    const { intervalMs, timeoutMs } = this.options.heartbeat;
    clearTimeout(this.timers.ping);
    clearTimeout(this.timers.dead);
    const socket = this.socket;
    this.timers.ping = setTimeout(() => {
      if (socket === this.socket && socket.readyState === 1) socket.send(JSON.stringify({ type: 'ping' }));
    }, intervalMs);
    this.timers.dead = setTimeout(() => this.abandon(socket, 4001, 'Heartbeat timeout'), intervalMs + timeoutMs);
  }

  /** Gives up on a socket that cannot be trusted to deliver its own close event in time. */
  abandon(socket, code, reason) {
    if (socket !== this.socket) return;
    try { socket.close(); } catch { /* already closing */ }
    this.onSocketClosed(socket, code, reason);
  }

  onSocketClosed(socket, code, reason) {
    if (socket !== this.socket) return;
    this.teardown();
    this.rejectAll('disconnected', `Connection closed (${code}${reason ? `: ${reason}` : ''})`);
    // An expired token is no reason to give up when the refresh callback can get another.
    if (FATAL_CLOSES.has(code) && !(this.refreshToken && reason === 'Token expired')) {
      this.setState(State.CLOSED, { code, reason });
      return;
    }
    this.scheduleReconnect({ code, reason });
  }

  scheduleReconnect({ code, reason }) {
    const busy = BUSY_CLOSES.has(code);
    const { baseMs, maxMs, busyBaseMs, busyMaxMs } = this.options.reconnect;
    // Rotate through the nodes; a busy or draining node also makes the wait longer.
    this.urlIndex += 1;
    const delayMs = busy ? backoffDelay(this.attempt, busyBaseMs, busyMaxMs) : backoffDelay(this.attempt, baseMs, maxMs);
    this.attempt += 1;
    this.setState(State.RECONNECTING, { code, reason, delayMs, attempt: this.attempt });
    this.timers.reconnect = setTimeout(() => this.openSocket(State.RECONNECTING), delayMs);
  }

  teardown() {
    Object.values(this.timers).forEach(clearTimeout);
    this.timers = {};
    const socket = this.socket;
    this.socket = null;
    this.welcome = null;
    if (socket) {
      socket.onmessage = null;
      socket.onclose = null;
      if (socket.readyState <= 1) socket.close();
    }
  }

  rejectAll(code, message) {
    for (const [ref, call] of this.pending) {
      clearTimeout(call.timer);
      call.reject(new RoomcastError(code, message, { ref, room: call.room }));
    }
    this.pending.clear();
    if (code === 'closed') {
      for (const room of [...this.waitingJoins.keys()]) this.settleWaitingJoins(room, new RoomcastError(code, message, { room }));
    }
  }

  setState(state, details = {}) {
    const previous = this.state;
    this.state = state;
    this.emit('state', { state, previous, ...details });
  }

  emit(event, value) {
    for (const handler of [...(this.listeners.get(event) ?? [])]) {
      try {
        handler(value);
      } catch (e) {
        // One faulty handler must not break delivery to the others or the connection.
        setTimeout(() => { throw e; });
      }
    }
  }
}

/** `url` with `token` in its query parameter `param`; unchanged without a token. */
function withToken(url, param, token) {
  if (token === null || token === undefined) return url;
  const withParam = new URL(url, globalThis.location?.href);
  withParam.searchParams.set(param, token);
  return withParam.toString();
}

/** The application's view of a `message` frame. */
function toMessage(frame) {
  const { room, data, from, ts, id, offset, epoch } = frame;
  return { room, data, from, ts, id, offset, epoch };
}

function toError(frame) {
  const { code, message, type, ...details } = frame;
  return new RoomcastError(code, message, details);
}
