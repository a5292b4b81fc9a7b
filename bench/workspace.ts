/** The fake workspace's identity and credentials, shared by every benchmark process (no imports). */

export const SIGNING_SECRET = 'bench-signing-secret-0123456789';
export const BOT_TOKEN = 'xoxb-bench-token';
export const BOT_ID = 'B0VOUCH';
export const BOT_USER_ID = 'U0VOUCHBOT';
