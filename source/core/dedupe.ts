/**
 * Duplicate suppression: a fast content key, a time window of recently seen keys (the same
 * bytes from the same session, e.g. the forwarder installed at two scopes), and a bounded set
 * of recently accepted ids (a forwarder retry or a spooled copy of a delivered event). Pure:
 * the caller passes the time.
 */

/**
 * A 64-bit non-cryptographic hash (two 32-bit multiply-xor lanes, cyrb53-style) of the session
 * and the raw text, as 16 hex digits. Not for security: only to spot exact repeats.
 */
export function contentKey(session: string | null, raw: string): string {
	let h1 = 0xdeadbeef ^ raw.length;
	let h2 = 0x41c6ce57 ^ raw.length;
	const s = session ?? '';
	for (let i = 0; i < s.length; i++) {
		const c = s.charCodeAt(i);
		h1 = Math.imul(h1 ^ c, 2654435761);
		h2 = Math.imul(h2 ^ c, 1597334677);
	}
	// Separator so that ("ab", "c…") and ("a", "bc…") differ.
	h1 = Math.imul(h1 ^ 0x1f, 2654435761);
	h2 = Math.imul(h2 ^ (s.length + 1), 1597334677);
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

/** Remembers keys for `windowMs`; a key seen again inside the window is a duplicate. */
export class DuplicateWindow {
	readonly windowMs: number;
	readonly maxEntries: number;
	/** key → time first seen; insertion order = time order (as long as time does not go back). */
	private readonly seen = new Map<string, number>();

	constructor(windowMs = 2000, maxEntries = 100_000) {
		if (!(windowMs >= 0)) throw new RangeError(`windowMs must be 0 or more, got ${windowMs}`);
		if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError(`maxEntries must be a whole number of at least 1, got ${maxEntries}`);
		this.windowMs = windowMs;
		this.maxEntries = maxEntries;
	}

	/** True if `key` was seen within the window before `nowMs`; otherwise records it and returns false. */
	isDuplicate(key: string, nowMs: number): boolean {
		this.expire(nowMs);
		const at = this.seen.get(key);
		if (at !== undefined && nowMs - at < this.windowMs) return true;
		if (at !== undefined) this.seen.delete(key);
		this.seen.set(key, nowMs);
		if (this.seen.size > this.maxEntries) this.seen.delete(this.seen.keys().next().value as string);
		return false;
	}

	/** Drops keys older than the window. Called by isDuplicate; callers may also call it on a timer. */
	expire(nowMs: number): void {
		for (const [key, at] of this.seen) {
			if (nowMs - at < this.windowMs) break;
			this.seen.delete(key);
		}
	}

	get size(): number {
		return this.seen.size;
	}

	clear(): void {
		this.seen.clear();
	}
}

/** A bounded set of ids; when full, the oldest id is forgotten first. */
export class RecentIds {
	readonly capacity: number;
	private readonly ids = new Set<string>();

	constructor(capacity: number) {
		if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a whole number of at least 1, got ${capacity}`);
		this.capacity = capacity;
	}

	has(id: string): boolean {
		return this.ids.has(id);
	}

	add(id: string): void {
		if (this.ids.has(id)) return;
		this.ids.add(id);
		if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value as string);
	}

	get size(): number {
		return this.ids.size;
	}

	clear(): void {
		this.ids.clear();
	}
}
