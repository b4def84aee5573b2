/**
 * The duplicate window's key for an event: the SHA-256 digest of its JSON text's UTF-8 bytes, in
 * base64. A collision-resistant hash, so no sender can make two different events share a key and
 * no per-process seed is needed. A text and its UTF-8 bytes give the same key.
 */
import crypto from 'node:crypto';

/** `crypto.hash` (Node 20.12 and later) skips the Hash object that `createHash` builds per call. */
const digest: (data: string | Uint8Array) => string =
	typeof crypto.hash === 'function'
		? (data) => crypto.hash('sha256', data, 'base64')
		: (data) => crypto.createHash('sha256').update(data).digest('base64');

/** The key of the event whose JSON text is `text` (a string, or its UTF-8 bytes). */
export function contentKey(text: string | Uint8Array): string {
	return digest(text);
}
