/** Shapes the server exposes to the rest of mpm-tui (the TUI hosts the server in-process through these). */
import type {EventRecord} from '../core/record.js';
import type {ServerStats} from '../core/wire.js';
import type {GuardStats} from './server-guard.js';

/** The wire shapes, defined in core so that the client can use them too. */
export type {HealthInfo, HelloInfo, ServerStats} from '../core/wire.js';

export interface RejectedItem {
	/** Position of the item in the request (0-based; for NDJSON the line's index among non-empty lines). */
	index: number;
	error: string;
}

export interface IngestResult {
	accepted: number;
	duplicates: number;
	lastSeq: number;
	rejected: RejectedItem[];
	/** Set when the whole body was refused (nothing in it could be read). */
	error?: string;
	/** The records accepted by this call, in seq order. */
	records: EventRecord[];
	/**
	 * Set when the events could not be stored (the journal could not write them: disk full, I/O
	 * error). Then nothing of this call was accepted — no seq given, nothing remembered for
	 * duplicate checks, nothing broadcast — and the same events can be sent again later. HTTP
	 * answers 507 (no space) or 503; the spool drain stops and keeps the rest of its file.
	 */
	fault?: {code: string; message: string};
}

export interface MpmServer {
	port: number;
	url: string;
	ingest(values: unknown[], source: string): IngestResult;
	stats(): ServerStats;
	/** The request guard's counters: body bytes in flight, Socket.IO connections admitted and waiting. */
	guard(): GuardStats;
	close(): Promise<void>;
}
