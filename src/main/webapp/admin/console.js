// The admin console: live cluster view from GET ../api/admin/events (server-sent events,
// one `cluster` snapshot a second) and the admin actions. Node fields other than the
// contract's stats (framesReceived, messagesDelivered, latencyP99Ms, bus, topRooms, url)
// are optional: a node that lacks them shows "–".
import { drawChart, formatNumber } from './chart.js';

const WINDOW_MS = 5 * 60 * 1000;
const api = new URL('../api/admin/', import.meta.url);
const $ = (id) => document.getElementById(id);
const previous = new Map(); // node -> last {ts, framesReceived, messagesDelivered}
const history = []; // [{ts, in, out, connections}]

const feed = new EventSource(new URL('events', api));
feed.addEventListener('cluster', (event) => render(JSON.parse(event.data)));
feed.addEventListener('open', () => setFeed('live'));
feed.addEventListener('error', () => setFeed(feed.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting'));

function setFeed(state) {
  $('feed').textContent = state;
  $('feed').dataset.feed = state;
}

function render({ ts, nodes }) {
  setFeed('live');
  const rows = nodes.map((node) => ({ node, rates: ratesOf(node, ts) }));
  renderNodes(rows);
  renderRooms(nodes);
  const total = (pick) => rows.reduce((sum, row) => (pick(row) === null ? sum : (sum ?? 0) + pick(row)), null);
  const point = { ts, in: total((r) => r.rates.in), out: total((r) => r.rates.out), connections: total((r) => r.node.connections) };
  history.push(point);
  while (history.length && history[0].ts < ts - WINDOW_MS) history.shift();
  $('updated').textContent = new Date(ts).toLocaleTimeString();
  $('totals').textContent = `${nodes.length} node${nodes.length === 1 ? '' : 's'}, ${point.connections} connections`;
  drawChart($('rate-chart'), [
    { color: '#2f6fb3', points: history.map((h) => [h.ts, h.in]) },
    { color: '#2f8f4e', points: history.map((h) => [h.ts, h.out]) },
  ], ts, WINDOW_MS);
  drawChart($('conn-chart'), [{ color: '#7a4bb3', points: history.map((h) => [h.ts, h.connections]) }], ts, WINDOW_MS);
}

/**
 * Per-second rates from cumulative counters; null when unknown or the node restarted. Uses the
 * node's own `ts` when it has one: another node's stats are its last heartbeat, which may be
 * older than this snapshot and repeat in the next one (then the last rates still hold).
 */
function ratesOf(node, snapshotTs) {
  const ts = node.ts ?? snapshotTs;
  const before = previous.get(node.node);
  if (before && ts === before.ts) return before.rates;
  const rate = (field) => {
    if (!before || node[field] === undefined || before[field] === undefined || ts <= before.ts) return null;
    const delta = node[field] - before[field];
    return delta < 0 ? null : (delta * 1000) / (ts - before.ts);
  };
  const rates = { in: rate('framesReceived'), out: rate('messagesDelivered') };
  previous.set(node.node, { ts, rates, framesReceived: node.framesReceived, messagesDelivered: node.messagesDelivered });
  return rates;
}

function renderNodes(rows) {
  const body = $('nodes').tBodies[0];
  body.replaceChildren(...rows.map(({ node, rates }) => {
    const tr = document.createElement('tr');
    tr.dataset.node = node.node;
    const usage = node.capacity ? node.connections / node.capacity : 0;
    tr.append(
      cell('node', node.node),
      cell('connections', `${node.connections} / ${node.capacity}`, bar(usage)),
      cell('rooms', node.rooms),
      cell('in', rate(rates.in)),
      cell('out', rate(rates.out)),
      cell('p99', latency(node)),
      busCell(node.bus),
      cell(node.draining ? 'state draining' : 'state', node.draining ? 'draining' : 'serving'),
      cell('uptime', duration(node.uptimeSeconds)),
      drainCell(node),
    );
    return tr;
  }));
}

function renderRooms(nodes) {
  const counts = new Map(); // room -> Map(node -> members)
  for (const node of nodes) {
    for (const { room, members } of node.topRooms ?? []) {
      if (!counts.has(room)) counts.set(room, new Map());
      counts.get(room).set(node.node, members);
    }
  }
  const head = document.createElement('tr');
  head.append(cell('', 'Room'), ...nodes.map((n) => cell('', n.node)), cell('', 'Total'), cell('', 'Present (conn. / users)'));
  $('rooms').tHead.replaceChildren(head);
  const sorted = [...counts].map(([room, byNode]) => [room, byNode, [...byNode.values()].reduce((a, b) => a + b, 0)])
    .sort((a, b) => b[2] - a[2] || a[0].localeCompare(b[0]));
  $('rooms').tBodies[0].replaceChildren(...sorted.map(([room, byNode, sum]) => {
    const tr = document.createElement('tr');
    tr.dataset.room = room;
    tr.append(cell('room', room), ...nodes.map((n) => cell('members', byNode.get(n.node) ?? 0)), cell('total', sum),
      presenceCell(room));
    return tr;
  }));
  refreshPresence(sorted.map(([room]) => room));
}

// Cluster-wide presence of the largest rooms shown: exact connections and distinct users from
// GET /api/rooms/{room}/presence (the per-node columns come from heartbeats, seconds old and
// limited to each node's top rooms). Refreshed every 5 s for at most 20 rooms, to stay cheap.
const PRESENCE_ROOMS = 20;
const PRESENCE_EVERY_MS = 5000;
const presenceApi = new URL('../api/rooms/', import.meta.url);
const presenceOf = new Map(); // room -> {count, users}
let presenceFetchedAt = 0;

function refreshPresence(rooms) {
  if (Date.now() - presenceFetchedAt < PRESENCE_EVERY_MS) return;
  presenceFetchedAt = Date.now();
  for (const room of rooms.slice(0, PRESENCE_ROOMS)) {
    fetch(new URL(`${encodeURIComponent(room)}/presence`, presenceApi), { credentials: 'same-origin' })
      .then((response) => (response.ok ? response.json() : null))
      .then((presence) => { if (presence) presenceOf.set(room, presence); })
      .catch(() => undefined); // the next refresh tries again
  }
}

function presenceCell(room) {
  const presence = presenceOf.get(room);
  return cell('presence', presence ? `${formatNumber(presence.count)} / ${formatNumber(presence.users)}` : '–');
}

function busCell(bus) {
  if (!bus) return cell('bus', '–');
  return cell(bus.up ? 'bus' : 'bus down', `${bus.kind} ${bus.state ?? ''}`);
}

/** Node -> time until which a second click drains it; outside the DOM, which is redrawn every second. */
const armedDrains = new Map();

function drainCell(node) {
  const td = document.createElement('td');
  const button = document.createElement('button');
  const isArmed = () => (armedDrains.get(node.node) ?? 0) > Date.now();
  button.className = 'drain';
  button.textContent = isArmed() ? 'Confirm drain' : 'Drain';
  button.disabled = node.draining;
  button.addEventListener('click', () => {
    if (!isArmed()) {
      // Two clicks: draining closes every client of the node.
      armedDrains.set(node.node, Date.now() + 5000);
      button.textContent = 'Confirm drain';
      return;
    }
    armedDrains.delete(node.node);
    act(`nodes/${encodeURIComponent(node.node)}/drain`, null, `Drain of ${node.node}`);
  });
  td.append(button);
  return td;
}

$('disconnect-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const id = $('session-id').value.trim();
  act(`sessions/${encodeURIComponent(id)}/disconnect`, null, `Disconnect of session ${id}`);
});

$('message-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const room = $('message-room').value.trim();
  const body = JSON.stringify({ name: 'system', text: $('message-text').value, system: true });
  act(`rooms/${encodeURIComponent(room)}/messages`, body, `System message to ${room}`);
});

async function act(path, body, what) {
  const result = $('action-result');
  try {
    const response = await fetch(new URL(path, api), {
      method: 'POST', body, headers: body ? { 'Content-Type': 'application/json' } : {}, credentials: 'same-origin',
    });
    const answer = await response.json().catch(() => ({}));
    result.dataset.ok = String(response.ok);
    result.textContent = response.ok
      ? `${what}: ${response.status === 202 ? 'accepted' : 'done'} (${response.status})`
      : `${what}: failed (${response.status} ${answer.code ?? ''}) ${answer.message ?? ''}`;
  } catch (error) {
    result.dataset.ok = 'false';
    result.textContent = `${what}: failed (${error.message})`;
  }
}

function cell(className, text, extra) {
  const td = document.createElement('td');
  if (className) td.className = className;
  td.append(String(text));
  if (extra) td.append(extra);
  return td;
}

function bar(fraction) {
  const outer = document.createElement('span');
  outer.className = fraction >= 0.8 ? 'bar hot' : 'bar';
  const inner = document.createElement('i');
  inner.style.width = `${Math.min(100, fraction * 100).toFixed(0)}%`;
  outer.append(inner);
  return outer;
}

function latency(node) {
  // Before the first delivery the timer has no samples and reports 0.
  if (node.latencyP99Ms === undefined || !node.messagesDelivered) return '–';
  return `${node.latencyP99Ms.toFixed(2)} ms`;
}

function rate(value) {
  return value === null ? '–' : formatNumber(value);
}

function duration(seconds) {
  if (seconds === undefined) return '–';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return h ? `${h} h ${m} min` : `${m} min ${seconds % 60} s`;
}
