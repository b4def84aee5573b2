/**
 * The server's own usage join (core/usage/usage-view.ts): fed with the journal's records at
 * start and with every accepted batch after, read by `GET /api/usage` and the Socket.IO `usage`
 * request. Both answer the per-session totals at the time of the request.
 */
import type {EventRecord} from '../core/record.js';
import {UsageView} from '../core/usage/usage-view.js';
import type {UsageAnswer} from '../core/wire.js';

export class UsageState {
	private readonly view = new UsageView();
	private failed = false;

	constructor(private readonly log: (line: string) => void) {}

	/** Records from the journal, or an accepted batch. A failure here never stops ingest: it is logged once. */
	add(records: Iterable<EventRecord>): void {
		try {
			this.view.applyMany(records);
		} catch (error) {
			if (this.failed) return;
			this.failed = true;
			this.log(
				`internal error in the usage join: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
			);
		}
	}

	answer(now = Date.now()): UsageAnswer {
		return this.view.totals(now);
	}
}
