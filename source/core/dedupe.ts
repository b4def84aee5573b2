/**
 * Duplicate suppression: a fast content key, a time window of recently seen keys (the same
 * bytes, e.g. the forwarder installed at two scopes), and a bounded set
 * of recently accepted ids (a forwarder retry or a spooled copy of a delivered event). Pure:
 * the caller passes the time.
 *
 * Both containers keep two generations (Map/Set) and drop the older one wholesale instead of
 * deleting entries one by one: V8's ordered hash tables leave a hole per deleted entry and
 * iterating from the front skips them all, so one-by-one expiry made the per-event cost grow
 * with the table size under steady load (12.8 µs/event at 10,000 entries). Swapping is O(1)
 * amortised; the price is that forgetting is coarse (see each class).
 */
// `node:crypto` is used only for its one-shot hash — pure computation on a string, no I/O, no
// state, no clock — so core stays pure in the sense that matters (same input, same output).
import crypto from 'node:crypto';

/** Node's one-shot native hash (Node ≥ 20.12 / 21.7); absent on older runtimes. */
const nativeHash = (crypto as {hash?: (algorithm: string, data: string | Uint8Array, encoding: 'base64') => string}).hash;

/**
 * The duplicate key of an event's raw JSON text, given as a string or as its UTF-8 bytes (the
 * same key either way): 11 base64 digits (66 bits) of its SHA-1 when the runtime has
 * `crypto.hash` (native, about 3× faster than hashing in JavaScript on 500-byte events), else
 * `contentKeyJs`. Not a security hash: only to spot exact repeats within one process. The
 * session is not part of the key: it is read from that same text, so the same text always means
 * the same session.
 */
export const contentKey: (raw: string | Uint8Array) => string =
	typeof nativeHash === 'function' ? raw => nativeHash('sha1', raw, 'base64').slice(0, 11) : contentKeyJs;

/**
 * The JavaScript fallback of `contentKey` (exported for tests): a 64-bit non-cryptographic hash
 * (two 32-bit multiply-xor lanes, cyrb53-style) of the raw text, as 16 hex digits.
 */
export function contentKeyJs(input: string | Uint8Array): string {
	const raw = typeof input === 'string' ? input : new TextDecoder().decode(input);
	let h1 = 0xdeadbeef ^ raw.length;
	let h2 = 0x41c6ce57 ^ raw.length;
	for (let i = 0; i < raw.length; i++) {
		const c = raw.charCodeAt(i);
		h1 = Math.imul(h1 ^ c, 2654435761);
		h2 = Math.imul(h2 ^ c, 1597334677);
	}
	h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
	h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
	h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
	h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
	return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
}

/** Generation size for a bound of `max` entries over two generations: ⌊max/2⌋, at least 1. */
function halfOf(max: number): number {
	return Math.max(1, Math.floor(max / 2));
}

/**
 * Remembers keys for `windowMs`, measured from a key's first sighting; a key seen again inside
 * the window is a duplicate. Expired keys are kept for at most one more window (so memory holds
 * at most two windows' worth), and never more than `maxEntries` keys: when full, the older half
 * is forgotten at once, so at least the newest ⌊maxEntries/2⌋ keys are always remembered.
 * Time is assumed not to go back (a key "seen in the future" counts as a duplicate).
 */
export class DuplicateWindow {
	readonly windowMs: number;
	readonly maxEntries: number;
	private readonly half: number;
	/** Keys first seen since `startedAt`; all within one window of it. */
	private current = new Map<string, number>();
	/** The generation before; may hold expired keys, so lookups check the time. */
	private previous = new Map<string, number>();
	private startedAt = Number.NEGATIVE_INFINITY;
	/** Keys in both generations (re-recorded after expiring in `previous`), for `size`. */
	private overlap = 0;

	constructor(windowMs = 2000, maxEntries = 100_000) {
		if (!(windowMs >= 0)) throw new RangeError(`windowMs must be 0 or more, got ${windowMs}`);
		if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError(`maxEntries must be a whole number of at least 1, got ${maxEntries}`);
		this.windowMs = windowMs;
		this.maxEntries = maxEntries;
		this.half = halfOf(maxEntries);
	}

	/** True if `key` was first seen within the window before `nowMs`; otherwise records it and returns false. */
	isDuplicate(key: string, nowMs: number): boolean {
		this.expire(nowMs);
		const at = this.current.get(key) ?? this.previous.get(key);
		if (at !== undefined && nowMs - at < this.windowMs) return true;
		if (this.current.size >= this.half) this.rotate(nowMs, this.maxEntries >= 2);
		// Only a key seen before (now expired) can also be in `previous`.
		if (at !== undefined && this.previous.has(key)) this.overlap++;
		this.current.set(key, nowMs);
		return false;
	}

	/** Forgets generations that lie wholly outside the window. Called by isDuplicate; callers may also call it on a timer. */
	expire(nowMs: number): void {
		const age = nowMs - this.startedAt;
		// `current` holds keys first seen in [startedAt, startedAt + windowMs): once a window has
		// passed it becomes `previous`, whose keys are then all older than startedAt ≤ now − window.
		if (age >= this.windowMs) this.rotate(nowMs, age < 2 * this.windowMs);
	}

	/** Keys remembered (including expired ones not yet dropped). */
	get size(): number {
		return this.current.size + this.previous.size - this.overlap;
	}

	clear(): void {
		this.current = new Map();
		this.previous = new Map();
		this.startedAt = Number.NEGATIVE_INFINITY;
		this.overlap = 0;
	}

	private rotate(nowMs: number, keepCurrent: boolean): void {
		this.previous = keepCurrent ? this.current : new Map();
		this.current = new Map();
		this.startedAt = nowMs;
		this.overlap = 0;
	}
}

/**
 * A bounded set of ids: never more than `capacity`, and always at least the newest
 * ⌊capacity/2⌋ (1 when capacity is 1). When full, the older half is forgotten at once.
 */
export class RecentIds {
	readonly capacity: number;
	private readonly half: number;
	private current = new Set<string>();
	private previous = new Set<string>();

	constructor(capacity: number) {
		if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a whole number of at least 1, got ${capacity}`);
		this.capacity = capacity;
		this.half = halfOf(capacity);
	}

	has(id: string): boolean {
		return this.current.has(id) || this.previous.has(id);
	}

	/** Adds `id`; adding an id already held changes nothing (it is not made newer). */
	add(id: string): void {
		if (this.has(id)) return;
		if (this.current.size >= this.half) {
			this.previous = this.capacity >= 2 ? this.current : new Set();
			this.current = new Set();
		}
		this.current.add(id);
	}

	get size(): number {
		return this.current.size + this.previous.size;
	}

	clear(): void {
		this.current = new Set();
		this.previous = new Set();
	}
}
