/**
 * Events per minute over a sliding window of one-second buckets. Time is passed in.
 */
export class RateCounter {
	private readonly buckets: number[];
	private readonly stamps: number[];

	constructor(private readonly seconds: number) {
		this.buckets = new Array<number>(seconds).fill(0);
		this.stamps = new Array<number>(seconds).fill(-1);
	}

	add(nowMs: number, count: number): void {
		const second = Math.floor(nowMs / 1000);
		const slot = second % this.seconds;
		if (this.stamps[slot] !== second) {
			this.stamps[slot] = second;
			this.buckets[slot] = 0;
		}
		this.buckets[slot] += count;
	}

	/** Events in the last `seconds` seconds, scaled to a minute. */
	perMinute(nowMs: number): number {
		const second = Math.floor(nowMs / 1000);
		let sum = 0;
		for (let i = 0; i < this.seconds; i++) {
			if (this.stamps[i] > second - this.seconds) sum += this.buckets[i];
		}
		return Math.round((sum * 60) / this.seconds);
	}

	/**
	 * Milliseconds from `nowMs` until the oldest counted second leaves the window (the rate drops
	 * then), or null when nothing is counted (the rate stays 0 until the next `add`).
	 */
	changesIn(nowMs: number): number | null {
		const second = Math.floor(nowMs / 1000);
		let oldest = Number.POSITIVE_INFINITY;
		for (let i = 0; i < this.seconds; i++) {
			if (this.buckets[i] > 0 && this.stamps[i] > second - this.seconds && this.stamps[i] < oldest)
				oldest = this.stamps[i];
		}
		return oldest === Number.POSITIVE_INFINITY ? null : (oldest + this.seconds) * 1000 - nowMs;
	}
}
