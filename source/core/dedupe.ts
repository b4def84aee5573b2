/**
 * Duplicate suppression: a time window of recently seen keys, one key per event's JSON text (the
 * same text, e.g. the forwarder installed at two scopes). The caller makes the key (the server:
 * a SHA-256 digest of the text, `server/content-key.ts`) and passes the time. Recently accepted
 * ids (a forwarder retry or a spooled copy of a delivered event) are in core/recent-set.ts.
 *
 * The window keeps two generations and drops the older one wholesale instead of deleting entries
 * one by one, so the per-event cost does not grow with the table; the price is that forgetting is
 * coarse: a key is remembered for its window and for at most one more.
 */

/**
 * Remembers keys for `windowMs`, measured from a key's first sighting; a key seen again inside
 * the window is a duplicate. Expired keys are kept for at most one more window (so memory holds
 * at most two windows' worth), and never more than `maxEntries` keys: when full, the older half
 * is forgotten at once, so at least the newest ⌊maxEntries/2⌋ keys are always remembered. Time is
 * assumed not to go back (a key "seen in the future" counts as a duplicate).
 */
export class DuplicateWindow {
	readonly windowMs: number;
	readonly maxEntries: number;
	/** Keys per generation: ⌊maxEntries/2⌋, at least 1. */
	private readonly half: number;
	/** Keys first seen since `startedAt`, with that time; all within one window of it. */
	private current = new Map<string, number>();
	/** The generation before; may hold expired keys, so lookups check the time. */
	private previous = new Map<string, number>();
	private startedAt = Number.NEGATIVE_INFINITY;
	/** Keys in both generations (re-recorded after expiring in `previous`), for `size`. */
	private overlap = 0;

	constructor(windowMs = 2000, maxEntries = 100_000) {
		if (!(windowMs >= 0)) throw new RangeError(`windowMs must be 0 or more, got ${windowMs}`);
		if (!Number.isInteger(maxEntries) || maxEntries < 1)
			throw new RangeError(`maxEntries must be a whole number of at least 1, got ${maxEntries}`);
		this.windowMs = windowMs;
		this.maxEntries = maxEntries;
		this.half = Math.max(1, Math.floor(maxEntries / 2));
	}

	/** True if `key` was first seen within the window before `nowMs`; otherwise records it and returns false. */
	isDuplicate(key: string, nowMs: number): boolean {
		if (this.seen(key, nowMs)) return true;
		this.remember(key, nowMs);
		return false;
	}

	/**
	 * True when the key was first seen within the window before `nowMs`. Records nothing: a caller
	 * that may still refuse the event (a batch taken whole or not at all) calls `remember` once it
	 * has kept it.
	 */
	seen(key: string, nowMs: number): boolean {
		this.expire(nowMs);
		const at = this.current.get(key) ?? this.previous.get(key);
		return at !== undefined && nowMs - at < this.windowMs;
	}

	/** Records the key as first seen at `nowMs` (call it only for a key `seen` said was new). */
	remember(key: string, nowMs: number): void {
		this.expire(nowMs);
		if (this.current.size >= this.half) this.rotate(nowMs, this.maxEntries >= 2);
		// A key re-recorded after it expired in `previous` is then in both generations.
		if (!this.current.has(key) && this.previous.has(key)) this.overlap++;
		this.current.set(key, nowMs);
	}

	/**
	 * Forgets generations that lie wholly outside the window. Called by `seen` and `remember`;
	 * callers may also call it on a timer.
	 */
	expire(nowMs: number): void {
		const age = nowMs - this.startedAt;
		// `current` holds keys first seen in [startedAt, startedAt + windowMs): once a window has
		// passed it becomes `previous`, whose keys are then all older than startedAt ≤ now − window.
		// With room for one key only, nothing is kept beside the new generation.
		if (age >= this.windowMs) this.rotate(nowMs, age < 2 * this.windowMs && this.maxEntries >= 2);
	}

	/** Keys remembered (including expired ones not yet dropped). */
	get size(): number {
		return this.current.size + this.previous.size - this.overlap;
	}

	clear(): void {
		this.current.clear();
		this.previous.clear();
		this.startedAt = Number.NEGATIVE_INFINITY;
		this.overlap = 0;
	}

	/** `current` becomes `previous` (or is dropped too, unless `keepCurrent`); a new generation starts now. */
	private rotate(nowMs: number, keepCurrent: boolean): void {
		this.previous = keepCurrent ? this.current : new Map();
		this.current = new Map();
		this.startedAt = nowMs;
		this.overlap = 0;
	}
}
