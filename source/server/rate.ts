/** Events per minute over the last 60 seconds, in one-second buckets. */
export class RateCounter {
	private readonly buckets = new Array<number>(60).fill(0);
	private currentSecond = 0;

	add(count: number, nowMs: number): void {
		this.advance(nowMs);
		this.buckets[this.currentSecond % 60] += count;
	}

	perMinute(nowMs: number): number {
		this.advance(nowMs);
		let sum = 0;
		for (const n of this.buckets) sum += n;
		return sum;
	}

	private advance(nowMs: number): void {
		const second = Math.floor(nowMs / 1000);
		if (second <= this.currentSecond) return;
		const steps = Math.min(60, second - this.currentSecond);
		for (let i = 1; i <= steps; i++) this.buckets[(this.currentSecond + i) % 60] = 0;
		this.currentSecond = second;
	}
}
