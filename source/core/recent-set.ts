/**
 * A set of the most recent `capacity` strings (a ring buffer plus a Set): O(1) add and lookup.
 * (Deleting from the front of a big JS Set/Map and then reading `.keys().next()` walks over the
 * deleted slots, which makes FIFO eviction O(n) per call; the ring avoids that.)
 */
export class RecentSet {
	private readonly ring: Array<string | undefined>;
	private readonly set = new Set<string>();
	private next = 0;

	constructor(readonly capacity: number) {
		this.ring = new Array<string | undefined>(Math.max(1, capacity));
	}

	has(key: string): boolean {
		return this.set.has(key);
	}

	/** Adds `key` (no-op when present); the oldest key is forgotten when full. */
	add(key: string): void {
		if (this.set.has(key)) return;
		const old = this.ring[this.next];
		if (old !== undefined) this.set.delete(old);
		this.ring[this.next] = key;
		this.next = (this.next + 1) % this.ring.length;
		this.set.add(key);
	}

	get size(): number {
		return this.set.size;
	}

	clear(): void {
		this.set.clear();
		this.ring.fill(undefined);
		this.next = 0;
	}
}
