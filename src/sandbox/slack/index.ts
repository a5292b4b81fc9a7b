// The Slack stand-in's public API: the stand-in itself, the driver that plays people against
// the bot, request signing, and the Block Kit helpers tests read messages with.

export { blockProblems, blocksText, formatProblems, isJson, textOf, viewProblems, type BlockProblem, type Json } from './blockKit.js';
export { FakeSlack } from './fakeSlack.js';
export { FakeWorkspace } from './workspace.js';
export type * from './types.js';
export {
  SlackDriver,
  type ClickOptions,
  type CommandOptions,
  type DriverResponse,
  type FieldValue,
  type SlackDriverOptions,
} from './driver.js';
export { signSlackRequest, type SlackSignatureHeaders } from './signing.js';
export type { EnvelopeAck, EnvelopeType } from './socketMode.js';
