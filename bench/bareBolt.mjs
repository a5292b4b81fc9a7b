// The interaction benchmark's baseline: a Bolt App with the same HTTPReceiver as Vouch, whose only
// listener acks. Plain JavaScript run by `node`, as the compiled bot is, so that neither side of
// the comparison carries a TypeScript loader. Settings: PORT, SLACK_SIGNING_SECRET,
// SLACK_BOT_TOKEN, BOT_ID, BOT_USER_ID (known identity spares an auth.test call).

import bolt from '@slack/bolt';

const { App, HTTPReceiver, LogLevel } = bolt;
const env = process.env;
const app = new App({
  token: env.SLACK_BOT_TOKEN,
  botId: env.BOT_ID,
  botUserId: env.BOT_USER_ID,
  logLevel: LogLevel.ERROR,
  receiver: new HTTPReceiver({ signingSecret: env.SLACK_SIGNING_SECRET, endpoints: '/slack/events' }),
});
app.action(/.*/, async ({ ack }) => {
  await ack();
});
await app.start(Number(env.PORT));
process.once('SIGTERM', () => {
  void app.stop().then(() => process.exit(0));
});
