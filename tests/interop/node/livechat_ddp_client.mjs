// The 8.x official visitor client (@rocket.chat/ddp-client, `LivechatClientImpl`), run unchanged
// against a server: no livechat:setUpConnection; REST for everything, presence over
// livechat/visitor.status, the room's streams with the visitor token.
//
//   node livechat_ddp_client.mjs <server url> <visitor token> <agent text>
//
// The client uses the global WebSocket (Node 22+); on older Node the `ws` package stands in.
// Prints one JSON line per step ({"step": name, "ok": true, ...}; {"ok": false, "error"} stops it,
// exit code 1). After subscribing it prints {"step": "ready"} and waits for the agent's message
// whose text is <agent text> (the caller sends it once it reads "ready").
import ddpClient from '@rocket.chat/ddp-client';

if (typeof globalThis.WebSocket === 'undefined') {
  globalThis.WebSocket = (await import('ws')).WebSocket;
}

const { LivechatClientImpl } = ddpClient;
const STEP_TIMEOUT_MS = 10_000;
const [url, token, agentText] = process.argv.slice(2);
if (!url || !token || !agentText) {
  process.stderr.write('usage: node livechat_ddp_client.mjs <server url> <token> <agent text>\n');
  process.exit(2);
}

function emit(line) {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

function withTimeout(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer in ${STEP_TIMEOUT_MS} ms`)), STEP_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function step(name, action, report) {
  let result;
  try {
    result = await withTimeout(Promise.resolve().then(action), name);
  } catch (error) {
    emit({ step: name, ok: false, error: error instanceof Error ? error.message : error });
    process.exit(1);
  }
  emit({ step: name, ok: true, ...report(result) });
  return result;
}

const sdk = LivechatClientImpl.create(url);
let deliver;
const agentMessage = new Promise((resolve) => {
  deliver = resolve;
});

await step('connect', () => sdk.connection.connect(), () => ({ status: sdk.connection.status }));
await step('config', () => sdk.config({}), (config) => ({ enabled: config.enabled }));
await step(
  'grantVisitor',
  () => sdk.grantVisitor({ visitor: { token, name: 'DDP client visitor' } }),
  ({ visitor }) => ({ visitor: { token: visitor.token, username: visitor.username } }),
);
const room = await step('room', () => sdk.room({ token }), (room) => ({
  room: { _id: room._id, open: room.open, servedBy: room.servedBy?._id ?? null },
}));
const rid = room._id;
const keys = { token, visitorToken: token };
await step(
  'subscribeRoom',
  async () => {
    const messages = sdk.stream('room-messages', [rid, keys], (message) => {
      if (message.msg === agentText) deliver(message);
    });
    const activity = sdk.stream('notify-room', [`${rid}/user-activity`, keys], () => {});
    await Promise.all([messages.ready(), activity.ready()]);
  },
  () => ({}),
);
await step('status', () => sdk.updateVisitorStatus('online'), (status) => ({ status }));
emit({ step: 'ready', ok: true, rid });
await step('agentMessage', () => agentMessage, (message) => ({
  message: { _id: message._id, msg: message.msg, u: message.u?.username },
}));
await step(
  'sendMessage',
  () => sdk.sendMessage({ rid, msg: 'Hello from the DDP client' }),
  ({ message }) => ({ message: { msg: message.msg, token: message.token } }),
);
await step(
  'typing',
  () => sdk.notifyVisitorActivity(rid, 'DDP client visitor', ['user-typing']),
  (result) => ({ result: result ?? null }),
);
await step('away', () => sdk.updateVisitorStatus('away'), (status) => ({ status }));
await step('closeChat', () => sdk.closeChat({ rid }), (closed) => ({ closed }));
sdk.connection.close();
emit({ step: 'disconnect', ok: true });
process.exit(0);
