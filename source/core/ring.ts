/**
 * A fixed-capacity ring of entries ordered by increasing `seq`; when full, pushing evicts the
 * oldest. Each entry is a seq and a range [start, end) of a shared value (the server keeps each
 * record as a range of its batch's NDJSON bytes). The entries live in typed arrays and one array
 * of references, not in an object each, so that a stream of them gives the collector nothing to
 * promote and later sweep. `since(seq)` finds its start by binary search. Pure.
 */

/** Slots allocated at first; they double as entries arrive, up to the capacity. */
const INITIAL_SLOTS = 1024;

/** Makes one result from an entry. */
export type RingVisitor<T, R> = (ref: T, start: number, end: number, seq: number) => R;

export class RangeRing<T> {
	readonly capacity: number;
	/** Bound on the sum of the entries' ranges (end − start); the oldest go first when passed. */
	readonly maxBytes: number;
	private seqs: Float64Array;
	private starts: Float64Array;
	private ends: Float64Array;
	private refs: Array<T | undefined>;
	/** Slot of the oldest entry. */
	private head = 0;
	private count = 0;
	private held = 0;

	constructor(capacity: number, maxBytes = Number.POSITIVE_INFINITY) {
		if (!Number.isInteger(capacity) || capacity < 1)
			throw new RangeError(`capacity must be a whole number of at least 1, got ${capacity}`);
		if (!(maxBytes > 0)) throw new RangeError(`maxBytes must be above 0, got ${maxBytes}`);
		this.capacity = capacity;
		this.maxBytes = maxBytes;
		const slots = Math.min(capacity, INITIAL_SLOTS);
		this.seqs = new Float64Array(slots);
		this.starts = new Float64Array(slots);
		this.ends = new Float64Array(slots);
		this.refs = new Array<T | undefined>(slots).fill(undefined);
	}

	/**
	 * Appends an entry; its seq must be above lastSeq. The oldest entries go when the ring is full
	 * or when the new range would take the sum of ranges past maxBytes (the newest entry always
	 * stays, even alone above the bound).
	 */
	push(seq: number, ref: T, start: number, end: number): void {
		if (this.count > 0 && !(seq > this.lastSeq))
			throw new RangeError(`seq must increase: got ${seq} after ${this.lastSeq}`);
		const size = end - start;
		while (this.count > 0 && this.held + size > this.maxBytes) this.dropOldest();
		if (this.count === this.seqs.length && this.count < this.capacity) this.grow();
		if (this.count === this.seqs.length) this.dropOldest();
		const slot = (this.head + this.count) % this.seqs.length;
		this.count++;
		this.held += size;
		this.seqs[slot] = seq;
		this.starts[slot] = start;
		this.ends[slot] = end;
		this.refs[slot] = ref;
	}

	private dropOldest(): void {
		const slot = this.head;
		this.held -= this.ends[slot] - this.starts[slot];
		this.refs[slot] = undefined;
		this.head = (this.head + 1) % this.seqs.length;
		this.count--;
		if (this.count === 0) {
			this.head = 0;
			this.held = 0;
		}
	}

	/** Doubles the slots, up to the capacity; the entries are laid out again oldest first from slot 0. */
	private grow(): void {
		const slots = Math.min(this.capacity, 2 * this.seqs.length);
		const order = Array.from({length: this.count}, (_, i) => this.slot(i));
		const widen = (from: Float64Array) => {
			const to = new Float64Array(slots);
			for (let i = 0; i < order.length; i++) to[i] = from[order[i]];
			return to;
		};
		const refs = new Array<T | undefined>(slots).fill(undefined);
		for (let i = 0; i < order.length; i++) refs[i] = this.refs[order[i]];
		this.seqs = widen(this.seqs);
		this.starts = widen(this.starts);
		this.ends = widen(this.ends);
		this.refs = refs;
		this.head = 0;
	}

	private slot(logical: number): number {
		return (this.head + logical) % this.seqs.length;
	}

	/** Logical index of the first entry with seq > `seq` (count when none). */
	private firstAfter(seq: number): number {
		let lo = 0;
		let hi = this.count;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if (this.seqs[this.slot(mid)] > seq) hi = mid;
			else lo = mid + 1;
		}
		return lo;
	}

	private visit<R>(from: number, to: number, visitor: RingVisitor<T, R>): R[] {
		const out = new Array<R>(Math.max(0, to - from));
		for (let i = from; i < to; i++) {
			const slot = this.slot(i);
			out[i - from] = visitor(this.refs[slot] as T, this.starts[slot], this.ends[slot], this.seqs[slot]);
		}
		return out;
	}

	/** Visits the entries with seq > `seq`, oldest first, until `visitor` returns false. */
	forEachSince(seq: number, visitor: RingVisitor<T, boolean>): void {
		for (let i = this.firstAfter(seq); i < this.count; i++) {
			const slot = this.slot(i);
			if (!visitor(this.refs[slot] as T, this.starts[slot], this.ends[slot], this.seqs[slot])) return;
		}
	}

	/** Entries with seq > `seq`, oldest first, at most `limit` of them (the oldest ones). */
	since<R>(seq: number, limit: number, visitor: RingVisitor<T, R>): R[] {
		const from = this.firstAfter(seq);
		const n = Math.max(0, Math.min(this.count - from, Math.floor(limit)));
		return Number.isNaN(n) ? [] : this.visit(from, from + n, visitor);
	}

	/** The newest `n` entries, oldest first. */
	latest<R>(n: number, visitor: RingVisitor<T, R>): R[] {
		const k = Math.max(0, Math.min(this.count, Math.floor(n)));
		return Number.isNaN(k) ? [] : this.visit(this.count - k, this.count, visitor);
	}

	toArray<R>(visitor: RingVisitor<T, R>): R[] {
		return this.visit(0, this.count, visitor);
	}

	clear(): void {
		this.refs.fill(undefined);
		this.head = 0;
		this.count = 0;
		this.held = 0;
	}

	get size(): number {
		return this.count;
	}

	/** Sum of the entries' ranges. */
	get bytes(): number {
		return this.held;
	}

	/** Seq of the newest entry, 0 when empty. */
	get lastSeq(): number {
		return this.count === 0 ? 0 : this.seqs[this.slot(this.count - 1)];
	}

	/** Seq of the oldest entry, 0 when empty. */
	get firstSeq(): number {
		return this.count === 0 ? 0 : this.seqs[this.head];
	}
}
