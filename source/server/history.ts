/**
 * The server's history: the newest `capacity` records in a ring, for `history` requests and
 * GET /api/events. Each record is kept as its NDJSON line — a range of its batch's NDJSON bytes,
 * the very bytes the journal wrote — and parsed again when it is asked for (the line is the
 * record's JSON, so that gives the record back, keys in order).
 *
 * Why: kept as objects, every record, its strings and its parsed payload outlive V8's young
 * generation and are copied twice by the collector before they die; under a stream of events that
 * was the largest single cost of ingest (see docs/performance.md). A batch's bytes live outside
 * the JavaScript heap, hold only accepted records, and are dropped with the last of them.
 */
import type {EventRecord} from '../core/record.js';
import {RangeRing} from '../core/ring.js';
import type {AcceptedBatch} from './accepted-batch.js';

const NEWLINE = 0x0a;

/** A record from its line: bytes[start, end) of its batch's NDJSON. */
function toRecord(bytes: Buffer, start: number, end: number): EventRecord {
	return JSON.parse(bytes.toString('utf8', start, end)) as EventRecord;
}

export class History {
	private readonly ring: RangeRing<Buffer>;

	constructor(capacity: number) {
		this.ring = new RangeRing<Buffer>(capacity);
	}

	/** Appends a batch's records (their seq above lastSeq), kept as the lines of its NDJSON. */
	push(batch: AcceptedBatch): void {
		const bytes = batch.ndjson();
		let start = 0;
		for (const record of batch.records) {
			const end = bytes.indexOf(NEWLINE, start);
			this.ring.push(record.seq, bytes, start, end);
			start = end + 1;
		}
	}

	/** Records with seq > `seq`, oldest first, at most `limit`; fresh objects, parsed from their lines. */
	since(seq: number, limit = Infinity): EventRecord[] {
		return this.ring.since(seq, limit, toRecord);
	}

	toArray(): EventRecord[] {
		return this.ring.toArray(toRecord);
	}

	get size(): number {
		return this.ring.size;
	}

	get capacity(): number {
		return this.ring.capacity;
	}

	get firstSeq(): number {
		return this.ring.firstSeq;
	}

	get lastSeq(): number {
		return this.ring.lastSeq;
	}
}
