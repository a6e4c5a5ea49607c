// Generates src/test/resources/io/roomcast/room/shard-vectors.jsonl from the TypeScript
// reference of PROTOCOL.md section 4 (run: node src/test/node/shard-vectors.mjs > that file).
// Each line: {"room": ..., "shards": ..., "hash": ..., "shard": ...}.

function getShardForRoom(roomId, totalShards) {
  const hash = roomId.split('').reduce((acc, char) => {
    return ((acc << 5) - acc + char.charCodeAt(0)) | 0;
  }, 0);
  return Math.abs(hash) % totalShards;
}

function hashOf(roomId) {
  return roomId.split('').reduce((acc, char) => ((acc << 5) - acc + char.charCodeAt(0)) | 0, 0);
}

// A valid room id whose hash is -2^31 (the one value where Math.abs differs between JS and Java):
// enumerate prefixes, then solve the two last characters from 31*a + b = what is missing.
function roomWithMinHash() {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:@-';
  const codes = new Map();
  for (const a of alphabet) for (const b of alphabet) codes.set(31 * a.charCodeAt(0) + b.charCodeAt(0), a + b);
  for (let n = 0; ; n++) {
    let prefix = '';
    for (let i = 0, k = n; i < 6; i++, k = Math.floor(k / alphabet.length)) prefix += alphabet[k % alphabet.length];
    // hash(prefix + ab) = 961 * hash(prefix) + 31a + b  (mod 2^32)
    const need = ((-2147483648 - Math.imul(961, hashOf(prefix))) >>> 0);
    if (codes.has(need)) return prefix + codes.get(need);
  }
}

const rooms = [
  '', 'a', 'lobby', 'room-1', 'room-2', 'team:alpha', 'user@example.com', 'A-z_0.9:x@y',
  'x'.repeat(128), 'long-'.repeat(400), 'café', 'ünïcödé', '日本語のルーム', '😀', 'a😀b', '\ud800', 'x\udc00',
  '\u0000', '\uffff'.repeat(7), 'zzzzzzzzzzzzzzzzzzzz', roomWithMinHash(),
];
for (let i = 0; i < 40; i++) rooms.push('room-' + (i * 7919));
const shardCounts = [1, 2, 3, 7, 10, 16, 1000, 2147483647];
for (const room of rooms) {
  for (const shards of shardCounts) {
    console.log(JSON.stringify({ room, shards, hash: hashOf(room), shard: getShardForRoom(room, shards) }));
  }
}
