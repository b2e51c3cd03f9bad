// The visitor flow of Rocket.Chat's JS SDK (@rocket.chat/sdk, the `Livechat` client: REST
// lib/api/Livechat + DDP lib/clients/Livechat), run unchanged against a server.
//
//   node livechat_sdk.mjs <server url> <visitor token> <agent text>
//
// Prints one JSON line per step: {"step": name, "ok": true, ...what the SDK returned} or
// {"step": name, "ok": false, "error": ...}, and stops at the first failure (exit code 1).
// After subscribing it prints {"step": "ready"} and waits for the agent's message whose text is
// <agent text> (the caller sends it as the agent once it reads "ready"). Then it deletes its own
// message and waits for the `<rid>/deleteMessage` notification, which this SDK hands to the
// onTyping callback (it listens to the whole stream-notify-room collection), and closes the chat.
import { createRequire } from 'node:module';

import sdk from '@rocket.chat/sdk';

import { emit, step as runStep } from './steps.mjs';

const [url, token, agentText] = process.argv.slice(2);
if (!url || !token || !agentText) {
  process.stderr.write('usage: node livechat_sdk.mjs <server url> <visitor token> <agent text>\n');
  process.exit(2);
}
const sdkVersion = createRequire(import.meta.url)('@rocket.chat/sdk/package.json').version;

function describe(error) {
  // The SDK's REST layer throws the raw {status, data} object, not an Error.
  if (error instanceof Error) return { message: error.message };
  return error;
}

const step = (name, action, report) => runStep(name, action, report, describe);

const livechat = new sdk.Livechat({ host: url, protocol: 'ddp' });

const received = [];
const notifications = [];
let deliver;
const agentMessage = new Promise((resolve) => {
  deliver = resolve;
});
let noticeDeletion;
const deletionNotice = new Promise((resolve) => {
  noticeDeletion = resolve;
});

await step('config', () => livechat.config({ token }), (config) => ({
  sdkVersion,
  enabled: config.enabled,
  online: config.online,
}));
await step(
  'grantVisitor',
  () =>
    livechat.grantVisitor({
      visitor: { token, name: 'JS SDK visitor', email: 'js.sdk@example.com' },
    }),
  (visitor) => ({ visitor: { _id: visitor._id, token: visitor.token, name: visitor.name } }),
);
const room = await step('room', () => livechat.room(), (room) => ({
  room: { _id: room._id, open: room.open, servedBy: room.servedBy ?? null },
}));
const rid = room._id;
const sent = await step(
  'sendMessage',
  () => livechat.sendMessage({ rid, msg: 'Hello from the JS SDK' }),
  ({ message }) => ({
    message: { _id: message._id, rid: message.rid, msg: message.msg, token: message.token },
  }),
);
await step('loadMessages', () => livechat.loadMessages(rid, {}), (messages) => ({
  messages: messages.map(({ _id, msg, t }) => ({ _id, msg, t: t ?? null })),
}));
await step('connect', () => livechat.connect({}), (result) => ({ result: result ?? null }));
await step('subscribeRoom', () => livechat.subscribeRoom(rid), (subscriptions) => ({
  subscriptions: subscriptions.map(({ name, params }) => ({ name, params })),
}));
await step(
  'onMessage',
  () =>
    livechat.onMessage((message) => {
      received.push({ _id: message._id, msg: message.msg, u: message.u?.username, ts: message.ts });
      if (message.msg === agentText) deliver(message);
    }),
  () => ({}),
);
await step(
  'onTyping',
  () =>
    livechat.onTyping((username, isTyping) => {
      const notice = { username, isTyping: isTyping ?? null };
      notifications.push(notice);
      if (username?._id === sent.message._id) noticeDeletion(notice);
    }),
  () => ({}),
);
emit({ step: 'ready', ok: true, rid });
await step('agentMessage', () => agentMessage, (message) => ({
  message: {
    _id: message._id,
    rid: message.rid,
    msg: message.msg,
    u: { _id: message.u?._id, username: message.u?.username },
    tsIsDate: message.ts instanceof Date && !Number.isNaN(message.ts.getTime()),
  },
  received,
}));
await step('deleteMessage', () => livechat.deleteMessage(sent.message._id, { rid }), (deleted) => ({
  deleted,
}));
await step('deleteNotice', () => deletionNotice, (notice) => ({ notice, notifications }));
await step('closeChat', () => livechat.closeChat({ rid }), (closed) => ({ closed }));
await step('disconnect', () => livechat.disconnect(), () => ({}));
// The SDK's DDP socket keeps a reopen interval that disconnect() does not always clear.
process.exit(0);
