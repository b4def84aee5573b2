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

const pad2 = (n: number) => String(n).padStart(2, '0');

/** Local wall-clock time, `HH:MM:SS`, of epoch milliseconds or an ISO stamp; `--:--:--` when it is no time. */
export function formatClock(time: number | string): string {
	const date = new Date(time);
	if (Number.isNaN(date.getTime())) return '--:--:--';
	return `${pad2(date.getHours())}:${pad2(date.getMinutes())}:${pad2(date.getSeconds())}`;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * How long ago, in whole units that change at most once a second: `just now` under a second,
 * `12s ago` under a minute, `5m ago` under an hour, `1h02m ago` under a day, then `2d03h ago`.
 * A time in the future (another clock) is `just now`.
 */
export function formatAgo(then: number, now: number): string {
	const d = now - then;
	if (!(d >= SECOND)) return 'just now';
	if (d < MINUTE) return `${Math.floor(d / SECOND)}s ago`;
	if (d < HOUR) return `${Math.floor(d / MINUTE)}m ago`;
	if (d < DAY)
		return `${Math.floor(d / HOUR)}h${String(Math.floor((d % HOUR) / MINUTE)).padStart(2, '0')}m ago`;
	return `${Math.floor(d / DAY)}d${String(Math.floor((d % DAY) / HOUR)).padStart(2, '0')}h ago`;
}

/**
 * Milliseconds from `now` until `formatAgo(then, ·)` says something else: the next whole second
 * under a minute, the next whole minute under a day, the next whole hour after that. Null when it
 * never will (a time that cannot be read).
 */
export function agoChangesIn(then: number, now: number): number | null {
	if (!Number.isFinite(then) || !Number.isFinite(now)) return null;
	const d = now - then;
	if (d < 0) return SECOND - d; // a time ahead of this clock: `just now` until a second after it
	const unit = d < MINUTE ? SECOND : d < DAY ? MINUTE : HOUR;
	return unit - (d % unit);
}
