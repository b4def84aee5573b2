/**
 * The server's spool drain: at start and every interval, each spooled event ingested as if it
 * had been posted (its id settled in the order gate like an answered POST).
 */
import type {Config} from '../config.js';
import type {OrderGate} from './ordering.js';
import {drainSpool, SPOOL_SETTLE_MS} from './spool.js';
import type {IngestResult} from './types.js';

export type DrainReport = ReturnType<typeof drainSpool>;

/** A spooled event taken (or refused) settles its id, like an answered POST: what named it may go. */
export function settledAfter(order: OrderGate, id: string | undefined, result: IngestResult): IngestResult {
	if (id !== undefined) order.settled(id);
	return result;
}

/**
 * Drains the spool now and every `spoolIntervalMs`; a taken file still being written is read once
 * it has settled (soon after, not at the next interval: the drain at start-up matters most). A
 * drain that fails is logged and tried again on the next tick; it never takes the server down.
 */
export function startSpoolDrain(
	config: Config,
	intervalMs: number | undefined,
	log: (line: string) => void,
	ingest: Parameters<typeof drainSpool>[1],
	onReport: (report: DrainReport) => void,
): () => void {
	let settleTimer: NodeJS.Timeout | undefined;
	let stopped = false;
	const drain = () => {
		if (stopped) return;
		let report: DrainReport;
		try {
			report = drainSpool(config.spool, ingest);
		} catch (error) {
			log(`spool: the drain failed and will be tried again: ${describe(error)}`);
			return;
		}
		onReport(report);
		if (report.files > 0)
			log(
				`spool: ${report.accepted} event(s) taken from ${config.spool}${report.adopted ? ` (${report.adopted} from stranded forwarder copies)` : ''}${report.duplicates ? `, ${report.duplicates} already delivered` : ''}${report.rejected ? `, ${report.rejected} unreadable (set aside in ${config.spool}.rejected)` : ''}`,
			);
		// Few lines (a summary per file, a fault, a refusal); every reason is also in <spool>.rejected.
		for (const error of report.errors) log(`spool: ${error}`);
		if (report.waiting > 0 && !settleTimer) {
			settleTimer = setTimeout(() => {
				settleTimer = undefined;
				drain();
			}, SPOOL_SETTLE_MS + 20);
			settleTimer.unref();
		}
	};
	drain();
	const timer = setInterval(drain, intervalMs ?? 2000);
	timer.unref();
	return () => {
		stopped = true;
		clearInterval(timer);
		clearTimeout(settleTimer);
	};
}

function describe(error: unknown): string {
	return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
