// Checks of roomcast.js against a scripted fake WebSocket, run in a real browser by
// ChatPageIT: the reactions to every close code and reply, without waiting for real servers.
// Sets window.libraryChecks = {done, failures: [...]}.
import { RoomcastClient } from './roomcast.js';

const failures = [];
const check = (ok, what) => { if (!ok) failures.push(what); };
const sockets = [];

class FakeSocket {
  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    sockets.push(this);
    setTimeout(() => { this.readyState = 1; this.receive({ type: 'welcome', session: `s${sockets.length}`, node: url }); }, 5);
  }

  send(text) {
    const frame = JSON.parse(text);
    this.sent.push(frame);
    setTimeout(() => this.answer(frame), 1);
  }

  answer(frame) {
    if (frame.type === 'join') {
      this.receive(frame.room === 'secret'
        ? { type: 'error', code: 'forbidden', message: 'no', ref: frame.ref }
        : { type: 'joined', room: frame.room, ref: frame.ref });
    } else if (frame.type === 'presence') {
      this.receive({ type: 'presence', room: frame.room, count: 2, users: 1, members: [{ user: 'ann', session: 's1', node: 'a' }], ref: frame.ref });
    } else if (frame.type === 'publish') {
      this.receive({ type: 'ack', ref: frame.ref, id: 'm1' });
      this.receive({ type: 'message', room: frame.room, data: frame.data, from: 's1', ts: 1, id: 'm1' });
    }
  }

  receive(frame) { this.onmessage?.({ data: JSON.stringify(frame) }); }

  close() { this.readyState = 3; }

  drop(code, reason = '') { this.readyState = 3; this.onclose?.({ code, reason }); }
}

const nextWelcome = (client) => new Promise((resolve) => { const off = client.on('welcome', (w) => { off(); resolve(w); }); });
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

let nodeBAsked = 0;
try {
  const client = new RoomcastClient({
    url: ['ws://node-a/ws', () => { nodeBAsked += 1; return 'ws://node-b/ws'; }], WebSocket: FakeSocket,
    reconnect: { baseMs: 10, maxMs: 40, busyBaseMs: 20, busyMaxMs: 80 },
  });
  const states = [];
  client.on('state', ({ state, code }) => states.push(code ? `${state}:${code}` : state));
  const lobby = [];
  client.on('message:lobby', (message) => lobby.push(message.data));

  const earlyJoin = client.join('lobby');
  check((await client.connect()).node === 'ws://node-a/ws', 'connects to the first URL');
  check(await earlyJoin === 'lobby', 'a join made before connecting resolves once joined');
  check(await client.publish('lobby', { text: 'hi' }) === 'm1', 'publish resolves with the ack id');
  check(JSON.stringify(lobby) === '[{"text":"hi"}]', 'the room event delivers the message data');
  check(await client.join('secret').catch((e) => e.code) === 'forbidden', 'a refused join rejects with the server code');
  check(!client.rooms.has('secret'), 'a refused room is not rejoined later');

  sockets.at(-1).drop(1001, 'Server shutting down');
  check(await client.publish('lobby', 1).catch((e) => e.code) === 'not_connected', 'publish while down rejects, nothing queued');
  const moved = await nextWelcome(client);
  await pause(20);
  check(moved.node === 'ws://node-b/ws', 'a 1001 close moves to the next URL');
  check(nodeBAsked === 1, 'a URL function is asked once per attempt');
  check(JSON.stringify(sockets.at(-1).sent.map((f) => `${f.type}:${f.room}`)) === '["join:lobby"]', 'every room is rejoined after a reconnect');

  sockets.at(-1).drop(1008, 'Disconnected by an administrator');
  await pause(100);
  check(client.state === 'closed', 'a 1008 close ends in state closed');
  check(sockets.length === 2, 'no reconnect after 1008');
  check(states.join(' ') === 'connecting open reconnecting:1001 reconnecting open closed:1008', `states: ${states.join(' ')}`);
} catch (error) {
  failures.push(`threw ${error}`);
}

// Recovery (PROTOCOL.md section 7) against a scripted server that keeps a 3-message history.
class HistorySocket extends FakeSocket {
  static rooms = new Map();

  static room(name) {
    if (!HistorySocket.rooms.has(name)) HistorySocket.rooms.set(name, { epoch: 'e1', log: [] });
    return HistorySocket.rooms.get(name);
  }

  /** A message from another client; reaches every open socket that joined the room. */
  static publish(name, data) {
    const room = HistorySocket.room(name);
    const frame = { type: 'message', room: name, data, from: 'other', ts: 1, id: `m${room.epoch}-${room.log.length + 1}`, offset: room.log.length + 1, epoch: room.epoch };
    room.log.push(frame);
    sockets.filter((s) => s.readyState === 1 && s.joined?.has(name)).forEach((s) => s.receive(frame));
  }

  /** The room's history is lost: a new epoch, offsets from 1 again. */
  static lose(name) {
    HistorySocket.rooms.set(name, { epoch: `e${Number(HistorySocket.room(name).epoch.slice(1)) + 1}`, log: [] });
  }

  answer(frame) {
    const room = HistorySocket.room(frame.room);
    if (frame.type === 'join') {
      (this.joined ??= new Set()).add(frame.room);
      const { since } = frame;
      const recovered = since !== undefined && since.epoch === room.epoch && room.log.length - since.offset <= 3;
      this.receive({ type: 'joined', room: frame.room, ref: frame.ref, epoch: room.epoch, offset: room.log.length, ...(since && { recovered }) });
      if (recovered) room.log.slice(since.offset).forEach((m) => this.receive(m));
    } else if (frame.type === 'leave') {
      this.joined?.delete(frame.room);
      this.receive({ type: 'left', room: frame.room, ref: frame.ref });
    } else if (frame.type === 'history') {
      const messages = room.log.slice(-frame.limit);
      this.receive({ type: 'history', ref: frame.ref, room: frame.room, epoch: room.epoch, offset: room.log.length, messages });
    } else {
      super.answer(frame);
    }
  }
}

try {
  const client = new RoomcastClient({ url: 'ws://node-h/ws', WebSocket: HistorySocket, reconnect: { baseMs: 5, maxMs: 10 } });
  const offsets = [];
  const events = [];
  client.on('message:news', (m) => offsets.push(m.offset));
  client.on('recovered:news', (e) => events.push(`recovered ${e.since.epoch}:${e.since.offset}`));
  client.on('gap:news', (e) => events.push(`gap ${e.since.epoch}:${e.since.offset} -> ${e.epoch}:${e.offset}`));
  const reconnect = async () => { sockets.at(-1).drop(1006); await nextWelcome(client); await pause(20); };

  HistorySocket.publish('news', 'before');
  await client.connect();
  await client.join('news');
  check(JSON.stringify(client.position('news')) === '{"offset":1,"epoch":"e1"}', `a first join starts at the room's latest offset: ${JSON.stringify(client.position('news'))}`);
  HistorySocket.publish('news', 'a');
  HistorySocket.publish('news', 'b');
  check(JSON.stringify(offsets) === '[2,3]', `live messages carry offsets: ${offsets}`);

  sockets.at(-1).drop(1006);
  HistorySocket.publish('news', 'missed 1');
  HistorySocket.publish('news', 'missed 2');
  await nextWelcome(client);
  await pause(20);
  check(JSON.stringify(sockets.at(-1).sent[0].since) === '{"offset":3,"epoch":"e1"}', `the rejoin carries since: ${JSON.stringify(sockets.at(-1).sent[0])}`);
  check(JSON.stringify(offsets) === '[2,3,4,5]', `the missed messages are replayed once, in order: ${offsets}`);
  sockets.at(-1).receive(HistorySocket.room('news').log[4]);
  check(offsets.length === 4, 'a message received twice is delivered once');

  sockets.at(-1).drop(1006);
  for (let i = 0; i < 5; i++) HistorySocket.publish('news', `too many ${i}`);
  await nextWelcome(client);
  await pause(20);
  HistorySocket.publish('news', 'after the gap');
  check(JSON.stringify(offsets) === '[2,3,4,5,11]', `after a gap, live messages continue: ${offsets}`);

  HistorySocket.lose('news');
  await reconnect();
  HistorySocket.publish('news', 'new epoch');
  check(JSON.stringify(offsets) === '[2,3,4,5,11,1]', `a new epoch restarts offsets and nothing is dropped: ${offsets}`);
  check(JSON.stringify(events) === '["recovered e1:3","gap e1:5 -> e1:10","gap e1:11 -> e2:0"]', `events: ${JSON.stringify(events)}`);

  const history = await client.history('news', { limit: 1, before: 5 });
  check(JSON.stringify(sockets.at(-1).sent.at(-1)) === `{"type":"history","room":"news","limit":1,"before":5,"ref":"${sockets.at(-1).sent.at(-1).ref}"}`, 'history sends limit and before');
  check(history.epoch === 'e2' && history.offset === 1 && history.messages[0].data === 'new epoch', `history resolves with the messages: ${JSON.stringify(history)}`);
  await client.leave('news');
  check(client.position('news') === undefined, 'a room left is forgotten');
  client.close();
} catch (error) {
  failures.push(`recovery threw ${error}`);
}
// A connected room whose history is lost (quiet past the ttl): a new epoch, offsets from 1 again.
try {
  const client = new RoomcastClient({ url: 'ws://node-r/ws', WebSocket: HistorySocket, reconnect: { baseMs: 5, maxMs: 10 } });
  const seen = [];
  const resets = [];
  client.on('message:quiet', (m) => seen.push(`${m.epoch}:${m.offset}`));
  client.on('reset:quiet', (e) => resets.push(`${e.previousEpoch}:${e.previousOffset} -> ${e.epoch}`));
  await client.connect();
  await client.join('quiet');
  HistorySocket.publish('quiet', 'a');
  HistorySocket.publish('quiet', 'b');
  HistorySocket.lose('quiet');
  HistorySocket.publish('quiet', 'c');
  HistorySocket.publish('quiet', 'd');
  check(JSON.stringify(seen) === '["e1:1","e1:2","e2:1","e2:2"]', `every message of the new epoch is shown: ${seen}`);
  check(JSON.stringify(resets) === '["e1:2 -> e2"]', `the application is told once: ${resets}`);
  sockets.at(-1).receive(HistorySocket.room('quiet').log[0]);
  check(seen.length === 4, 'a message of the new epoch received twice is delivered once');
  sockets.at(-1).drop(1006);
  await nextWelcome(client);
  await pause(20);
  check(JSON.stringify(sockets.at(-1).sent[0].since) === '{"offset":2,"epoch":"e2"}', `the rejoin asks for the new epoch: ${JSON.stringify(sockets.at(-1).sent[0])}`);
  client.close();
} catch (error) {
  failures.push(`reset threw ${error}`);
}

// Idempotent publish: a publish whose outcome is unknown is sent again with the same key.
class FlakySocket extends FakeSocket {
  /** What the server does with each next publish: 'unavailable', 'drop' (before the ack) or 'ack'. */
  static plan = [];

  answer(frame) {
    const next = frame.type === 'publish' ? FlakySocket.plan.shift() ?? 'ack' : 'ack';
    if (next === 'unavailable') this.receive({ type: 'error', code: 'unavailable', message: 'Redis down', ref: frame.ref });
    else if (next === 'drop') this.drop(1006);
    else super.answer(frame);
  }
}

try {
  const client = new RoomcastClient({ url: 'ws://node-k/ws', WebSocket: FlakySocket, reconnect: { baseMs: 5, maxMs: 10 } });
  const published = () => sockets.filter((s) => s instanceof FlakySocket).flatMap((s) => s.sent).filter((f) => f.type === 'publish');
  await client.connect();
  await client.join('orders');
  FlakySocket.plan = ['unavailable', 'drop', 'ack'];
  check(await client.publish('orders', { n: 1 }) === 'm1', 'a publish resent after unavailable and a drop resolves with the ack id');
  const keys = published().map((f) => f.key);
  check(keys.length === 3 && new Set(keys).size === 1 && typeof keys[0] === 'string' && keys[0].length >= 1 && keys[0].length <= 64,
    `every resend carries the same key: ${JSON.stringify(keys)}`);
  await client.publish('orders', 2, { key: 'mine' });
  check(published().at(-1).key === 'mine', 'the caller may give the key');
  FlakySocket.plan = ['unavailable', 'unavailable', 'unavailable'];
  const failed = await client.publish('orders', 3).catch((e) => e);
  check(failed.code === 'unavailable' && failed.key === published().at(-1).key && published().length === 7,
    `after the last attempt the error carries the key to retry with: ${failed.code} ${failed.key}`);
  check(failed.key !== keys[0], 'another publish gets another key');
  client.close();
} catch (error) {
  failures.push(`idempotent publish threw ${error}`);
}

// Presence: the request, the events, and `presence: true` kept for rejoins.
try {
  const client = new RoomcastClient({ url: 'ws://node-p/ws', WebSocket: FakeSocket, reconnect: { baseMs: 10, maxMs: 40 } });
  await client.connect();
  await client.join('team', { presence: true });
  check(sockets.at(-1).sent.at(-1).presence === true, 'join with {presence: true} asks for events');
  const presence = await client.presence('team');
  check(presence.count === 2 && presence.users === 1 && presence.members[0].user === 'ann' && !('type' in presence),
    `presence resolves with the body: ${JSON.stringify(presence)}`);
  const events = [];
  client.on('presence:team', (e) => events.push(`${e.type}:${e.user}:${e.session}`));
  sockets.at(-1).receive({ type: 'presence_join', room: 'team', user: 'bob', session: 's9' });
  sockets.at(-1).receive({ type: 'presence_leave', room: 'team', user: 'bob', session: 's9' });
  check(events.join(' ') === 'join:bob:s9 leave:bob:s9', `presence events: ${events.join(' ')}`);
  sockets.at(-1).drop(1006);
  await nextWelcome(client);
  await pause(20);
  check(sockets.at(-1).sent.some((f) => f.type === 'join' && f.room === 'team' && f.presence === true), 'the rejoin asks for events again');
  client.close();
} catch (error) {
  failures.push(`presence threw ${error}`);
}
window.libraryChecks = { done: true, failures };
