/** Small pure formatting helpers for the TUI. */

/** `850ms`, `2.1s`, `1m05s`, `1h02m`, `2d03h`. Negative and non-finite values count as 0. */
export function formatDuration(ms: number): string {
	const v = Number.isFinite(ms) && ms > 0 ? ms : 0;
	if (v < 1000) return `${Math.round(v)}ms`;
	if (v < 59_950) return `${(v / 1000).toFixed(1)}s`;
	const totalSeconds = Math.round(v / 1000);
	if (totalSeconds < 3600) {
		return `${Math.floor(totalSeconds / 60)}m${String(totalSeconds % 60).padStart(2, '0')}s`;
	}
	const totalMinutes = Math.floor(totalSeconds / 60);
	if (totalMinutes < 24 * 60) {
		return `${Math.floor(totalMinutes / 60)}h${String(totalMinutes % 60).padStart(2, '0')}m`;
	}
	const totalHours = Math.floor(totalMinutes / 60);
	return `${Math.floor(totalHours / 24)}d${String(totalHours % 24).padStart(2, '0')}h`;
}

/** `formatDuration(now - then)` + ` ago`, or `just now` under a second. */
export function formatAgo(then: number, now: number): string {
	const d = now - then;
	return d < 1000 ? 'just now' : `${formatDuration(d)} ago`;
}
