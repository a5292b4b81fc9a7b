import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export class TokenCipherError extends Error {}

/** A 32-byte key written in base64 (`openssl rand -base64 32`), or null when it is not one. */
export function decodeKey(text: string): Buffer | null {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/]{43}=$/.test(trimmed)) return null;
  const key = Buffer.from(trimmed, 'base64');
  return key.length === KEY_BYTES ? key : null;
}

const keyIdOf = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 8);
const b64 = (buffer: Buffer) => buffer.toString('base64url');

/**
 * Seals secrets at rest (the bot and refresh tokens of every install): AES-256-GCM with a fresh
 * random nonce each time, bound to what the secret belongs to (the install's key, as additional
 * authenticated data), so a sealed token copied into another row does not open there. A sealed
 * value names its key by a short fingerprint: older keys (given after a key change) still open
 * what they sealed, and `isCurrent` says what to seal again with the current one.
 *
 * Written `v1.<key id>.<nonce>.<tag>.<ciphertext>`, base64url.
 */
export class TokenCipher {
  private readonly currentId: string;
  private readonly keys = new Map<string, Buffer>();

  constructor(current: Buffer, previous: Buffer[] = []) {
    for (const key of [current, ...previous]) {
      if (key.length !== KEY_BYTES) throw new TokenCipherError(`an encryption key must be ${KEY_BYTES} bytes`);
      this.keys.set(keyIdOf(key), key);
    }
    this.currentId = keyIdOf(current);
  }

  /** From INSTALLATION_ENCRYPTION_KEY and INSTALLATION_ENCRYPTION_PREVIOUS_KEYS (base64). */
  static fromBase64(current: string, previous: string[] = []): TokenCipher {
    const decode = (text: string) => {
      const key = decodeKey(text);
      if (!key) throw new TokenCipherError('an encryption key must be 32 random bytes in base64');
      return key;
    };
    return new TokenCipher(decode(current), previous.map(decode));
  }

  seal(plain: string, boundTo: string): string {
    const key = this.keys.get(this.currentId)!;
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(boundTo, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, this.currentId, b64(nonce), b64(cipher.getAuthTag()), b64(ciphertext)].join('.');
  }

  /** Throws TokenCipherError when the key is not known here, or the value was altered or sealed for something else. */
  open(sealed: string, boundTo: string): string {
    const [version, keyId, nonce, tag, ciphertext, ...rest] = sealed.split('.');
    if (version !== VERSION || !keyId || nonce === undefined || tag === undefined || ciphertext === undefined || rest.length > 0) {
      throw new TokenCipherError('not a sealed token');
    }
    const key = this.keys.get(keyId);
    if (!key) {
      throw new TokenCipherError(
        `sealed with a key this Vouch does not have (${keyId}): set it in INSTALLATION_ENCRYPTION_KEY or INSTALLATION_ENCRYPTION_PREVIOUS_KEYS`,
      );
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64url'), { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(boundTo, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new TokenCipherError('the sealed token does not open: altered, or sealed for another install');
    }
  }

  /** Sealed with the current key (else worth sealing again). */
  isCurrent(sealed: string): boolean {
    return sealed.split('.')[1] === this.currentId;
  }
}
