/**
 * Duplicate suppression: a 64-bit hash of an event's JSON text and a time window of recently seen
 * hashes (the same text, e.g. the forwarder installed at two scopes). Recently accepted ids (a
 * forwarder retry or a spooled copy of a delivered event) are in core/recent-set.ts. Pure: the
 * caller passes the time (and, if it wants one, the seed).
 *
 * The window keeps two generations and drops the older one wholesale instead of deleting entries
 * one by one, so the per-event cost does not grow with the table; the price is that forgetting is
 * coarse (see the class).
 */

/**
 * A 64-bit hash of UTF-8 bytes, as two 32-bit lanes (`hi`, `lo`): each lane runs MurmurHash3's
 * x86_32 block mixing over the text's little-endian 4-byte words, with its own constants, and
 * ends with a murmur finalizer. About 4× faster than a native SHA-1 call on 400-byte events
 * (crypto's per-call set-up dominates there). Not a security hash: only to spot exact repeats
 * within one process. A per-process `seed` makes accidental collisions differ from run to run;
 * it does not stop a sender who studies the function (Murmur-style hashes have seed-independent
 * collisions); such a sender, already trusted to post events, could at most get a later event
 * whose exact text it knows in advance dropped as a duplicate, for one window.
 * A text and its UTF-8 bytes hash the same. (The texts hashed here never hold lone surrogates:
 * they are valid UTF-8, or JSON.stringify's output, which escapes them.)
 */
export class ContentHasher {
	hi = 0;
	lo = 0;
	private readonly seed: number;
	private view: DataView | undefined;
	private viewOf: Uint8Array | undefined;
	private scratch = new Uint8Array(1024);
	private readonly encoder = new TextEncoder();

	constructor(seed = 0) {
		this.seed = seed | 0;
	}

	/** Hashes `text` (as its UTF-8 bytes); the result is in `hi` and `lo`. */
	text(text: string): void {
		if (this.scratch.length < text.length * 3)
			this.scratch = new Uint8Array(Math.max(text.length * 3, 2 * this.scratch.length));
		const {written} = this.encoder.encodeInto(text, this.scratch);
		this.bytes(this.scratch, 0, written);
	}

	/** Hashes bytes[start, end); the result is in `hi` and `lo`. */
	bytes(bytes: Uint8Array, start = 0, end = bytes.length): void {
		if (bytes !== this.viewOf || this.view === undefined) {
			this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
			this.viewOf = bytes;
		}
		const view = this.view;
		const n = end - start;
		let a = this.seed ^ 0x2545f491 ^ n;
		let b = this.seed ^ 0x9e3779b9 ^ Math.imul(n, 0x01000193);
		let i = start;
		for (; i + 4 <= end; i += 4) {
			const k = view.getInt32(i, true);
			let ka = Math.imul(k, 0xcc9e2d51);
			ka = Math.imul((ka << 15) | (ka >>> 17), 0x1b873593);
			a ^= ka;
			a = (Math.imul((a << 13) | (a >>> 19), 5) + 0xe6546b64) | 0;
			let kb = Math.imul(k, 0x85ebca6b);
			kb = Math.imul((kb << 17) | (kb >>> 15), 0xc2b2ae35);
			b ^= kb;
			b = (Math.imul((b << 11) | (b >>> 21), 9) + 0x7f4a7c15) | 0;
		}
		if (i < end) {
			let k = 0;
			for (let shift = 0; i < end; i++, shift += 8) k |= bytes[i] << shift;
			const ka = Math.imul(k, 0xcc9e2d51);
			a ^= Math.imul((ka << 15) | (ka >>> 17), 0x1b873593);
			const kb = Math.imul(k, 0x85ebca6b);
			b ^= Math.imul((kb << 17) | (kb >>> 15), 0xc2b2ae35);
		}
		a ^= n;
		a ^= a >>> 16;
		a = Math.imul(a, 0x85ebca6b);
		a ^= a >>> 13;
		a = Math.imul(a, 0xc2b2ae35);
		a ^= a >>> 16;
		b ^= n;
		b ^= b >>> 16;
		b = Math.imul(b, 0x7feb352d);
		b ^= b >>> 15;
		b = Math.imul(b, 0x846ca68b);
		b ^= b >>> 16;
		this.hi = a;
		this.lo = b;
	}
}

/** Generation size for a bound of `max` entries over two generations: ⌊max/2⌋, at least 1. */
function halfOf(max: number): number {
	return Math.max(1, Math.floor(max / 2));
}

/**
 * One generation of the duplicate window: an open-addressing hash table (linear probing) of
 * 64-bit keys and their first-sighting times, 16 bytes a slot in one ArrayBuffer — [time as a
 * float64, hi, lo as int32s] — so no objects for the collector to trace and one cache line per
 * probe. `lo` is stored with its lowest bit set, so 0 marks an empty slot.
 */
class KeyTable {
	size = 0;
	private readonly keys: Int32Array;
	private readonly times: Float64Array;
	private readonly mask: number;

	/** Room for `entries` keys at a load of at most one half. */
	constructor(entries: number) {
		let capacity = 8;
		while (capacity < 2 * entries) capacity *= 2;
		const buffer = new ArrayBuffer(16 * capacity);
		this.keys = new Int32Array(buffer);
		this.times = new Float64Array(buffer);
		this.mask = capacity - 1;
	}

	/** The slot holding the key, or the empty slot where it would go. */
	private find(hi: number, lo: number): number {
		const keys = this.keys;
		for (let slot = hi & this.mask; ; slot = (slot + 1) & this.mask) {
			const stored = keys[4 * slot + 3];
			if (stored === 0 || (stored === lo && keys[4 * slot + 2] === hi)) return slot;
		}
	}

	/** The key's time, or NaN when it is not here. `lo` must have its lowest bit set. */
	get(hi: number, lo: number): number {
		const slot = this.find(hi, lo);
		return this.keys[4 * slot + 3] === 0 ? Number.NaN : this.times[2 * slot];
	}

	/** Sets the key's time (adding the key if new). `lo` must have its lowest bit set. */
	set(hi: number, lo: number, timeMs: number): void {
		const slot = this.find(hi, lo);
		if (this.keys[4 * slot + 3] === 0) {
			this.keys[4 * slot + 2] = hi;
			this.keys[4 * slot + 3] = lo;
			this.size++;
		}
		this.times[2 * slot] = timeMs;
	}

	clear(): void {
		if (this.size > 0) this.keys.fill(0);
		this.size = 0;
	}
}

/**
 * Remembers hashes of texts for `windowMs`, measured from a text's first sighting; a text seen
 * again inside the window is a duplicate. Expired keys are kept for at most one more window (so
 * memory holds at most two windows' worth), and never more than `maxEntries` keys: when full,
 * the older half is forgotten at once, so at least the newest ⌊maxEntries/2⌋ keys are always
 * remembered. Time is assumed not to go back (a key "seen in the future" counts as a duplicate).
 * Two different texts count as the same only if their 64-bit hashes are equal (about one chance
 * in 10^14 per event with a full table).
 */
export class DuplicateWindow {
	readonly windowMs: number;
	readonly maxEntries: number;
	private readonly half: number;
	private readonly hasher: ContentHasher;
	/** Keys first seen since `startedAt`; all within one window of it. */
	private current: KeyTable;
	/** The generation before; may hold expired keys, so lookups check the time. */
	private previous: KeyTable;
	private startedAt = Number.NEGATIVE_INFINITY;
	/** Keys in both generations (re-recorded after expiring in `previous`), for `size`. */
	private overlap = 0;

	constructor(windowMs = 2000, maxEntries = 100_000, seed = 0) {
		if (!(windowMs >= 0)) throw new RangeError(`windowMs must be 0 or more, got ${windowMs}`);
		if (!Number.isInteger(maxEntries) || maxEntries < 1)
			throw new RangeError(`maxEntries must be a whole number of at least 1, got ${maxEntries}`);
		this.windowMs = windowMs;
		this.maxEntries = maxEntries;
		this.half = halfOf(maxEntries);
		this.hasher = new ContentHasher(seed);
		this.current = new KeyTable(this.half);
		this.previous = new KeyTable(this.half);
	}

	/** The hash of the last text or bytes given to hashText / hashBytes. */
	hi = 0;
	lo = 0;

	/** Hashes `text` (as its UTF-8 bytes) into `hi` and `lo`. */
	hashText(text: string): void {
		this.hasher.text(text);
		this.hi = this.hasher.hi;
		this.lo = this.hasher.lo;
	}

	/** Hashes bytes[start, end) into `hi` and `lo` (the same hash as hashText of the text they encode). */
	hashBytes(bytes: Uint8Array, start: number, end: number): void {
		this.hasher.bytes(bytes, start, end);
		this.hi = this.hasher.hi;
		this.lo = this.hasher.lo;
	}

	/** True if `text` was first seen within the window before `nowMs`; otherwise records it and returns false. */
	isDuplicate(text: string, nowMs: number): boolean {
		this.hashText(text);
		return this.isDuplicateHash(this.hi, this.lo, nowMs);
	}

	/** isDuplicate for the text whose UTF-8 bytes are bytes[start, end). */
	isDuplicateBytes(bytes: Uint8Array, start: number, end: number, nowMs: number): boolean {
		this.hashBytes(bytes, start, end);
		return this.isDuplicateHash(this.hi, this.lo, nowMs);
	}

	/** isDuplicate for a text given by its 64-bit hash (two int32 lanes): `seen`, else `remember`. */
	isDuplicateHash(hi: number, lo: number, nowMs: number): boolean {
		if (this.seen(hi, lo, nowMs)) return true;
		this.remember(hi, lo, nowMs);
		return false;
	}

	/**
	 * True when the hash was first seen within the window before `nowMs`. Records nothing: a caller
	 * that may still refuse the event (a batch taken whole or not at all) calls `remember` once it
	 * has kept it.
	 */
	seen(hi: number, lo: number, nowMs: number): boolean {
		this.expire(nowMs);
		hi |= 0;
		lo |= 1;
		let at = this.current.get(hi, lo);
		if (Number.isNaN(at)) at = this.previous.get(hi, lo);
		return !Number.isNaN(at) && nowMs - at < this.windowMs;
	}

	/** Records the hash as first seen at `nowMs` (call it only for a hash `seen` said was new). */
	remember(hi: number, lo: number, nowMs: number): void {
		this.expire(nowMs);
		hi |= 0;
		lo |= 1;
		if (this.current.size >= this.half) this.rotate(nowMs, this.maxEntries >= 2);
		// A key re-recorded after it expired in `previous` is then in both generations.
		if (Number.isNaN(this.current.get(hi, lo)) && !Number.isNaN(this.previous.get(hi, lo))) this.overlap++;
		this.current.set(hi, lo, nowMs);
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
		this.current.clear();
		this.previous.clear();
		this.startedAt = Number.NEGATIVE_INFINITY;
		this.overlap = 0;
	}

	/** The two tables swap roles: the one dropped is emptied and becomes the new current generation. */
	private rotate(nowMs: number, keepCurrent: boolean): void {
		const spare = this.previous;
		spare.clear();
		if (!keepCurrent) this.current.clear();
		this.previous = this.current;
		this.current = spare;
		this.startedAt = nowMs;
		this.overlap = 0;
	}
}
