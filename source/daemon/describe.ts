/** One-line descriptions of a daemon for the `server` subcommands. */
import type {DaemonRecord} from './pid-file.js';

export function describeRunning(record: DaemonRecord): string {
	return `pid ${record.pid}, ${record.url}`;
}

/** `3d 4h`, `2h 5m`, `4m 10s`, `12s`. */
export function duration(seconds: number): string {
	const s = Math.max(0, Math.round(seconds));
	const d = Math.floor(s / 86_400);
	const h = Math.floor((s % 86_400) / 3600);
	const m = Math.floor((s % 3600) / 60);
	if (d > 0) return `${d}d ${h}h`;
	if (h > 0) return `${h}h ${m}m`;
	if (m > 0) return `${m}m ${s % 60}s`;
	return `${s}s`;
}

/** `512 B`, `1.5 KiB`, `3.2 MiB`. */
export function bytes(n: number): string {
	if (n < 1024) return `${n} B`;
	if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
	if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
	return `${(n / 1024 ** 3).toFixed(1)} GiB`;
}
