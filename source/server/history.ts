/**
 * The server's history: the newest records in a ring bounded by count and by bytes, for `history`
 * requests and GET /api/events. Each record is kept as its NDJSON line — a range of its batch's
 * NDJSON bytes, the very bytes the journal wrote — and parsed again when it is asked for (the line
 * is the record's JSON, so that gives the record back, keys in order).
 *
 * Why lines: kept as objects, every record, its strings and its parsed payload outlive V8's young
 * generation and are copied twice by the collector before they die. A batch's bytes live outside
 * the JavaScript heap, hold only accepted records, and are dropped with the last of them.
 *
 * Pages are bounded by bytes as well as count, so that no answer can outgrow what one string or
 * one Socket.IO packet can hold; `more` and `next` tell the client where to go on.
 */
import type {EventRecord} from '../core/record.js';
import {RangeRing} from '../core/ring.js';
import type {AcceptedBatch} from './accepted-batch.js';

const NEWLINE = 0x0a;

/** A record from its line: bytes[start, end) of its batch's NDJSON. */
function toRecord(bytes: Buffer, start: number, end: number): EventRecord {
	return JSON.parse(bytes.toString('utf8', start, end)) as EventRecord;
}

export interface PageOptions {
	/** At most this many records. */
	limit: number;
	/** Stop once the lines gathered reach this many bytes (the first line is always taken). */
	maxBytes: number;
	/** Only records that pass (each line is parsed to test it). */
	test?: (record: EventRecord) => boolean;
	/** With a test: stop after reading this many bytes of lines, matching or not. */
	maxScanBytes?: number;
}

export interface Page {
	/** The records' NDJSON lines (without newline), as views of the history's bytes. */
	lines: Buffer[];
	/** The same records parsed, when a test made parsing necessary (else undefined). */
	records: EventRecord[] | undefined;
	/** The seq to ask `since` next: the last record returned, or the last one read when filtering. */
	next: number;
	/** True when records after `next` were left out by a bound. */
	more: boolean;
}

export class History {
	private readonly ring: RangeRing<Buffer>;

	constructor(capacity: number, maxBytes = Number.POSITIVE_INFINITY) {
		this.ring = new RangeRing<Buffer>(capacity, maxBytes);
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

	/** A bounded page of the records after `since` (see PageOptions). */
	page(since: number, options: PageOptions): Page {
		const lines: Buffer[] = [];
		const records: EventRecord[] | undefined = options.test ? [] : undefined;
		const maxScan = options.maxScanBytes ?? Number.POSITIVE_INFINITY;
		let bytes = 0;
		let scanned = 0;
		let next = since;
		let stoppedEarly = false;
		this.ring.forEachSince(since, (buffer, start, end, seq) => {
			const size = end - start;
			if (
				lines.length >= options.limit ||
				(lines.length > 0 && bytes + size > options.maxBytes) ||
				(scanned > 0 && scanned + size > maxScan)
			) {
				stoppedEarly = true;
				return false;
			}
			scanned += size;
			next = seq;
			if (options.test) {
				const record = toRecord(buffer, start, end);
				if (!options.test(record)) return true;
				records!.push(record);
			}
			lines.push(buffer.subarray(start, end));
			bytes += size;
			return true;
		});
		// Stopping early means the entry that did not fit is still there.
		return {lines, records, next, more: stoppedEarly};
	}

	toArray(): EventRecord[] {
		return this.ring.toArray(toRecord);
	}

	get size(): number {
		return this.ring.size;
	}

	/** Bytes of lines held (the bound is on these). */
	get bytes(): number {
		return this.ring.bytes;
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
