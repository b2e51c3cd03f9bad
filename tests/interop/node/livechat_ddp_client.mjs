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

import { emit, step } from './steps.mjs';

if (typeof globalThis.WebSocket === 'undefined') {
  globalThis.WebSocket = (await import('ws')).WebSocket;
}

const { LivechatClientImpl } = ddpClient;
const [url, token, agentText] = process.argv.slice(2);
if (!url || !token || !agentText) {
  process.stderr.write('usage: node livechat_ddp_client.mjs <server url> <token> <agent text>\n');
  process.exit(2);
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
