/**
 * The bot scopes "Add to Slack" asks for: the manifest's, which a test compares with the Web API
 * methods the code calls. Vouch asks for no user scopes, so an install holds only a bot token.
 */
export const botScopes = [
  'chat:write',
  'commands',
  'users:read',
  'users:read.email',
  'channels:read',
  'groups:read',
  'files:read',
  'files:write',
  'im:write',
];
