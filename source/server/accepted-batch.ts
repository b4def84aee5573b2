/**
 * One accepted batch and its serialized forms, each made at most once, on first use, and shared:
 * the records' JSON lines and their NDJSON bytes. The journal and stdout write the bytes; the
 * broadcast frames them for mpm-tui clients (see broadcast.ts). A batch nobody serializes
 * (no journal, no stdout, no mpm-tui client) costs nothing here.
 */
import type {EventRecord} from '../core/record.js';

/**
 * A record's JSON line. When the payload is the very object parsed from `rawPayload` (not cut, not
 * rewritten) that text is spliced in instead of serializing the payload again — it is valid JSON
 * for the same value. (`payload` is the record's last key; if it ever is not, the record is
 * serialized whole.) A line never holds a raw newline: JSON.stringify escapes them, and raw text
 * that has one is not spliced.
 */
export function recordLine(record: EventRecord, rawPayload?: string): string {
	if (rawPayload === undefined || rawPayload.includes('\n') || rawPayload.includes('\r')) return JSON.stringify(record);
	// `payload` is the last key, so the placeholder 0 ends the text: `…,"payload":0}`.
	const text = JSON.stringify({...record, payload: 0});
	if (!text.endsWith(',"payload":0}')) return JSON.stringify(record);
	return `${text.slice(0, -2)}${rawPayload}}`;
}

export class AcceptedBatch {
	readonly records: readonly EventRecord[];
	/** Per record: the payload's own JSON text when it can be reused as is (see recordLine). */
	private readonly rawPayloads: ReadonlyArray<string | undefined>;
	private cachedLines: string[] | undefined;
	private cachedBytes: Buffer | undefined;

	constructor(records: readonly EventRecord[], rawPayloads: ReadonlyArray<string | undefined> = []) {
		this.records = records;
		this.rawPayloads = rawPayloads;
	}

	/** Each record's JSON (its NDJSON line without the newline). */
	lines(): string[] {
		return (this.cachedLines ??= this.records.map((record, i) => recordLine(record, this.rawPayloads[i])));
	}

	/**
	 * The NDJSON bytes (UTF-8): every line followed by a newline. Since no line holds a raw newline
	 * (and no UTF-8 sequence contains the byte 0x0a), the 0x0a bytes are exactly the line ends.
	 */
	ndjson(): Buffer {
		return (this.cachedBytes ??= this.records.length === 0 ? Buffer.alloc(0) : utf8(`${this.lines().join('\n')}\n`));
	}
}

/**
 * The UTF-8 bytes of `text`. When its UTF-8 length equals its length in UTF-16 units, every
 * character is ASCII (any other takes two bytes or more, a surrogate pair four), and then latin1
 * gives the same bytes with a plain copy: about twice as fast as UTF-8 encoding.
 */
export function utf8(text: string): Buffer {
	return Buffer.byteLength(text) === text.length ? Buffer.from(text, 'latin1') : Buffer.from(text);
}
