/** Shapes the server exposes to the rest of mpm-tui (the TUI hosts the server in-process through these). */
import type {EventRecord} from '../core/record.js';
import type {IngestAnswer, ServerStats} from '../core/wire.js';
import type {GuardStats} from './server-guard.js';

/** The wire shapes, defined in core so that the client can use them too. */
export type {HealthInfo, HelloInfo, IngestAnswer, RejectedItem, ServerStats} from '../core/wire.js';

/** An ingest's answer, and the records it accepted (not sent on the wire: clients get them as `events`). */
export interface IngestResult extends IngestAnswer {
	/** The records accepted by this call, in seq order. */
	records: EventRecord[];
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
