/**
 * A byte budget for request bodies that are still arriving, shared by all connections. Without
 * it, many connections each sending most of a 1 MB body and then stalling hold all of it until
 * the request timeout. When a chunk would take the total over the budget, the bodies that have
 * waited longest for their next byte are given up (their senders get 503 and the connection is
 * closed) until it fits: a sender that stalls loses its place, one that keeps sending does not,
 * so an ordinary POST, which arrives whole at once, always gets through.
 */

export interface InflightBody {
	/** Bytes of this body held so far. */
	bytes: number;
	/** Called when the budget gives this body up; it must stop reading and answer. */
	readonly evict: () => void;
}

export class InflightBodies {
	private held = 0;
	/** Bodies in the order of their last chunk: the first has waited longest. */
	private readonly bodies = new Set<InflightBody>();
	/** Bodies given up since the start. */
	evicted = 0;

	constructor(readonly limit: number) {}

	/** Bytes held by unfinished bodies now. */
	get bytes(): number {
		return this.held;
	}

	get count(): number {
		return this.bodies.size;
	}

	open(evict: () => void): InflightBody {
		return {bytes: 0, evict};
	}

	/**
	 * Counts `bytes` more for `body`, giving up other bodies if the total would pass the limit.
	 * False when `body` alone is over the limit: then the caller refuses it.
	 */
	add(body: InflightBody, bytes: number): boolean {
		if (body.bytes + bytes > this.limit) return false;
		body.bytes += bytes;
		this.held += bytes;
		this.bodies.delete(body);
		this.bodies.add(body);
		while (this.held > this.limit) {
			// The first entry is never `body` itself here: it was just moved to the end and others exist, since `body` alone fits.
			const stalest = this.bodies.values().next().value as InflightBody;
			this.release(stalest);
			this.evicted++;
			stalest.evict();
		}
		return true;
	}

	/** The body is complete or abandoned: its bytes no longer count. */
	release(body: InflightBody): void {
		if (!this.bodies.delete(body)) return;
		this.held -= body.bytes;
		body.bytes = 0;
	}
}
