// The demo chat: a thin page over roomcast.js. On joining it shows the room's last 50
// messages (history); after a reconnect roomcast.js replays what was missed, and a gap it
// could not fill is marked in the list, as is a reset (the room's history was dropped while
// connected). Query parameters, all optional:
//   ?url=ws://a/ws,ws://b/ws  nodes to rotate through (default: this server)
//   &name=Ann&room=lobby      prefill, and join at once when both are given
import { RoomcastClient } from '../roomcast.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const urls = params.get('url')?.split(',').filter(Boolean);
const client = new RoomcastClient(urls?.length ? { url: urls } : {});
let currentRoom = null;
/** Ids of the messages in the list: history and live delivery may bring the same one. */
const shown = new Set();

client.on('state', ({ state, code, reason, delayMs }) => {
  const label = state === 'reconnecting' && delayMs !== undefined
    ? `reconnecting in ${(delayMs / 1000).toFixed(1)} s (closed ${code})` : state;
  $('state').textContent = label;
  $('state').dataset.state = state;
  if (state === 'closed' && code !== 1000) showProblem(`Disconnected (${code}): ${reason || 'no reason given'}`);
  const open = state === 'open';
  $('text').disabled = !open || !currentRoom;
  $('send').disabled = !open || !currentRoom;
});

client.on('welcome', ({ node, session }) => {
  $('node').textContent = node;
  $('session').textContent = session;
  showProblem('');
  // After the rejoin that follows every welcome: who is here now.
  if (currentRoom) setTimeout(() => loadPresence(currentRoom), 0);
});

client.on('error', (error) => showProblem(`${error.code}: ${error.message}`));

client.on('message', show);

client.on('gap', ({ room }) => mark(room, 'gap', 'Some messages were missed while you were disconnected'));

// The room's history was dropped while this page stayed connected (the room was quiet past the
// server's history ttl): offsets start again at 1, and the notice separates the two epochs.
client.on('reset', ({ room }) => mark(room, 'reset', 'The room was quiet for a while: earlier messages are no longer kept by the server'));

/** A notice in the list; the next messages are ordered after it (it has no offset). */
function mark(room, className, text) {
  if (room !== currentRoom) return;
  const item = document.createElement('li');
  item.className = className;
  item.textContent = text;
  $('messages').append(item);
  item.scrollIntoView({ block: 'end' });
}

function show(message) {
  if (message.room !== currentRoom || shown.has(message.id)) return;
  shown.add(message.id);
  const item = document.createElement('li');
  const time = new Date(message.ts).toLocaleTimeString();
  const { name, text } = typeof message.data === 'object' && message.data !== null ? message.data : {};
  item.append(span('time', time), span('who', name || message.from), span('text', text ?? JSON.stringify(message.data)));
  if (message.offset !== undefined) item.dataset.offset = message.offset;
  // Offset order since the last gap or reset mark: history may arrive after the first live messages.
  let before = $('messages').lastElementChild;
  while (before?.dataset.offset !== undefined && message.offset !== undefined && Number(before.dataset.offset) > message.offset) {
    before = before.previousElementSibling;
  }
  if (before) before.after(item); else $('messages').prepend(item);
  item.scrollIntoView({ block: 'end' });
}

$('join-form').addEventListener('submit', (event) => {
  event.preventDefault();
  joinRoom($('room').value.trim());
});

$('send-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = $('text').value.trim();
  if (!text || !currentRoom) return;
  try {
    await client.publish(currentRoom, { name: $('name').value.trim(), text });
    $('text').value = '';
    showProblem('');
  } catch (error) {
    showProblem(`Not sent (${error.code}): ${error.message}`);
  }
});

async function joinRoom(room) {
  if (room === currentRoom) return;
  const previous = currentRoom;
  try {
    await client.join(room, { presence: true });
    if (previous) await client.leave(previous).catch(() => undefined);
    currentRoom = room;
    loadPresence(room);
    $('rooms').textContent = `In room ${room}`;
    $('messages').replaceChildren();
    shown.clear();
    showHistory(room);
    $('text').disabled = client.state !== 'open';
    $('send').disabled = client.state !== 'open';
    $('text').focus();
    showProblem('');
  } catch (error) {
    showProblem(`Could not join ${room} (${error.code}): ${error.message}`);
  }
}

async function showHistory(room) {
  try {
    const { messages } = await client.history(room, { limit: 50 });
    messages.forEach(show);
  } catch (error) {
    showProblem(`No history for ${room} (${error.code}): ${error.message}`);
  }
}

// Who is in the room: a presence snapshot, then kept current by join/leave events.
const people = new Map(); // session -> user
let peopleTotal = 0;

client.on('presence', ({ room, type, user, session }) => {
  if (room !== currentRoom) return;
  if (type === 'join' && !people.has(session)) {
    people.set(session, user);
    peopleTotal += 1;
  } else if (type === 'leave' && people.delete(session)) {
    peopleTotal -= 1;
  }
  renderPeople();
});

async function loadPresence(room) {
  try {
    const { count, members } = await client.presence(room);
    if (room !== currentRoom) return;
    people.clear();
    members.forEach(({ user, session }) => people.set(session, user));
    peopleTotal = count;
    renderPeople();
  } catch (error) {
    showProblem(`Could not load who is here (${error.code}): ${error.message}`);
  }
}

// Without authentication a user is a session id: show the name they chat under once known.
const chatNames = new Map(); // user -> name from their messages
client.on('message', ({ from, data }) => {
  if (typeof data?.name === 'string' && data.name && chatNames.get(from) !== data.name) {
    chatNames.set(from, data.name);
    renderPeople();
  }
});

function renderPeople() {
  const own = client.welcome?.session;
  const label = (session, user) => `${chatNames.get(user) ?? user}${session === own ? ' (you)' : ''}`;
  const names = [...people].map(([session, user]) => label(session, user)).sort();
  $('who-count').textContent = `${peopleTotal} here`;
  $('who').replaceChildren(...names.map((name) => Object.assign(document.createElement('li'), { textContent: name })));
}

function span(className, text) {
  const element = document.createElement('span');
  element.className = className;
  element.textContent = text;
  return element;
}

function showProblem(text) {
  $('problem').textContent = text;
}

$('name').value = params.get('name') ?? '';
$('room').value = params.get('room') ?? $('room').value;
client.connect().catch((error) => showProblem(`${error.code}: ${error.message}`));
if (params.get('name') && params.get('room')) joinRoom($('room').value);
// For debugging from the console (and for the browser tests).
window.roomcast = client;
