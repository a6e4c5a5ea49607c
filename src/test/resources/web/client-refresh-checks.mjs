// Checks of roomcast.js's token refresh (PROTOCOL.md section 10) against a scripted fake
// WebSocket, run in a real browser by ChatPageIT (and runnable with node).
// Sets globalThis.refreshChecks = {done, failures: [...]}.
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
    setTimeout(() => { this.readyState = 1; this.receive({ type: 'welcome', session: `s${sockets.length}`, node: 'a', expires: 1000 }); }, 5);
  }

  send(text) {
    const frame = JSON.parse(text);
    this.sent.push(frame);
    setTimeout(() => {
      if (frame.type === 'join') this.receive({ type: 'joined', room: frame.room, ref: frame.ref });
      if (frame.type === 'refresh') this.receive({ type: 'refreshed', expires: 2000, ref: frame.ref });
    }, 1);
  }

  receive(frame) { this.onmessage?.({ data: JSON.stringify(frame) }); }

  close() { this.readyState = 3; }

  drop(code, reason = '') { this.readyState = 3; this.onclose?.({ code, reason }); }
}

const next = (client, event) => new Promise((resolve) => { const off = client.on(event, (v) => { off(); resolve(v); }); });

try {
  let issued = 0;
  const client = new RoomcastClient({
    url: 'ws://node-a/ws?x=1', WebSocket: FakeSocket, reconnect: { baseMs: 5, maxMs: 10 },
    refresh: () => Promise.resolve(`t${++issued}`),
  });
  await client.connect();
  check(new URL(sockets[0].url).searchParams.get('access_token') === 't1', `the handshake carries a fresh token: ${sockets[0].url}`);
  check(new URL(sockets[0].url).searchParams.get('x') === '1', 'the rest of the URL is kept');
  await client.join('team-red');
  await client.join('lobby');

  const refreshed = next(client, 'refreshed');
  sockets[0].receive({ type: 'expiring', expires: 1000 });
  check((await refreshed).expires === 2000, 'refreshed carries the new expiry');
  const refresh = sockets[0].sent.find((f) => f.type === 'refresh');
  check(refresh?.token === 't2' && typeof refresh.ref === 'string', `expiring sends a refresh with a new token: ${JSON.stringify(refresh)}`);
  check(sockets.length === 1, 'no reconnect for a refresh');

  const left = next(client, 'left:team-red');
  sockets[0].receive({ type: 'left', room: 'team-red', reason: 'forbidden' });
  check((await left).reason === 'forbidden', 'a room taken away is reported with its reason');

  const welcomed = next(client, 'welcome');
  sockets[0].drop(1008, 'Token expired');
  await welcomed;
  check(new URL(sockets[1].url).searchParams.get('access_token') === 't3', 'an expired token reconnects with a fresh one');
  await new Promise((resolve) => setTimeout(resolve, 20)); // the rejoins are sent right after the welcome
  const rejoined = sockets[1].sent.filter((f) => f.type === 'join').map((f) => f.room);
  check(JSON.stringify(rejoined) === '["lobby"]', `only the rooms still allowed are rejoined: ${rejoined}`);
  client.close();

  // Without a refresh callback nothing changes: the URL as given, expiring only reported, 1008 final.
  const plain = new RoomcastClient({ url: 'ws://node-a/ws', WebSocket: FakeSocket });
  await plain.connect();
  const socket = sockets[sockets.length - 1];
  check(socket.url === 'ws://node-a/ws', 'no token is added without a refresh callback');
  const expiring = next(plain, 'expiring');
  socket.receive({ type: 'expiring', expires: 1000 });
  check((await expiring).expires === 1000, 'expiring is reported');
  check(!socket.sent.some((f) => f.type === 'refresh'), 'no refresh without a callback');
  const closed = next(plain, 'state');
  socket.drop(1008, 'Token expired');
  check((await closed).state === 'closed', 'without a callback an expired token closes for good');
} catch (e) {
  failures.push(`threw: ${e?.stack ?? e}`);
}
globalThis.refreshChecks = { done: true, failures };
