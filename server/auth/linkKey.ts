import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The secret invite links are derived from, kept in a file beside the database (DATA_DIR/link.key,
 * readable by the server's user only) and never in it. Coordinators can then find a pending invite's
 * link again in the members page while the database still holds only the link's hash: a copy of the
 * database alone is still no way into a plan.
 */
export function loadLinkKey(dataDir: string): Buffer {
  const file = join(dataDir, 'link.key');
  try {
    return readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  try {
    writeFileSync(file, key, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (err) {
    // Another process made it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file);
    throw err;
  }
}

/** An invite's link token: the same for the same invite and key, unguessable without the key. */
export function inviteToken(key: Buffer, inviteId: string): string {
  return createHmac('sha256', key).update(`invite:${inviteId}`).digest('base64url');
}
