/**
 * A fixed-capacity ring buffer of records ordered by increasing `seq`. When full, pushing
 * evicts the oldest. `since(seq)` finds its start by binary search. Pure.
 */
export class RingBuffer<T extends {seq: number}> {
	private readonly items: Array<T | undefined>;
	private readonly cap: number;
	/** Index of the oldest item. */
	private head = 0;
	private count = 0;

	constructor(capacity: number) {
		if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a whole number of at least 1, got ${capacity}`);
		this.cap = capacity;
		this.items = new Array<T | undefined>(capacity);
	}

	/** Appends `item` (its seq must be above lastSeq); returns the evicted oldest item when full. */
	push(item: T): T | undefined {
		if (this.count > 0 && !(item.seq > this.lastSeq)) {
			throw new RangeError(`seq must increase: got ${item.seq} after ${this.lastSeq}`);
		}
		if (this.count < this.cap) {
			this.items[(this.head + this.count) % this.cap] = item;
			this.count++;
			return undefined;
		}
		const evicted = this.items[this.head];
		this.items[this.head] = item;
		this.head = (this.head + 1) % this.cap;
		return evicted;
	}

	private at(logical: number): T {
		return this.items[(this.head + logical) % this.cap] as T;
	}

	/** Logical index of the first item with seq > `seq` (count when none). */
	private firstAfter(seq: number): number {
		let lo = 0;
		let hi = this.count;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if (this.at(mid).seq > seq) hi = mid;
			else lo = mid + 1;
		}
		return lo;
	}

	private slice(from: number, to: number): T[] {
		const out = new Array<T>(Math.max(0, to - from));
		for (let i = from; i < to; i++) out[i - from] = this.at(i);
		return out;
	}

	/** Items with seq > `seq`, oldest first, at most `limit` of them (the oldest ones). */
	since(seq: number, limit = Infinity): T[] {
		const from = this.firstAfter(seq);
		const n = Math.max(0, Math.min(this.count - from, Math.floor(limit)));
		return Number.isNaN(n) ? [] : this.slice(from, from + n);
	}

	/** The newest `n` items, oldest first. */
	latest(n: number): T[] {
		const k = Math.max(0, Math.min(this.count, Math.floor(n)));
		return Number.isNaN(k) ? [] : this.slice(this.count - k, this.count);
	}

	toArray(): T[] {
		return this.slice(0, this.count);
	}

	clear(): void {
		this.items.fill(undefined);
		this.head = 0;
		this.count = 0;
	}

	get size(): number {
		return this.count;
	}

	get capacity(): number {
		return this.cap;
	}

	/** Seq of the newest item, 0 when empty. */
	get lastSeq(): number {
		return this.count === 0 ? 0 : this.at(this.count - 1).seq;
	}

	/** Seq of the oldest item, 0 when empty. */
	get firstSeq(): number {
		return this.count === 0 ? 0 : this.at(0).seq;
	}
}
