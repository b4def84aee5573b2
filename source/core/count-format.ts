/**
 * Counts as en-US writes them (`1,234,567`): for an integer the same text as
 * `n.toLocaleString('en-US')`, without ICU's number formatter, whose first use would hold up the
 * monitor's first frame (docs/performance.md). Anything else (a fraction, an integer beyond 2^53,
 * NaN, ±Infinity) is left to `toLocaleString`.
 */
export function groupedCount(n: number): string {
	if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
	const grouped = String(Math.abs(n)).replace(/\B(?=(?:\d{3})+$)/g, ',');
	return n < 0 || Object.is(n, -0) ? `-${grouped}` : grouped;
}
