/**
 * One accepted batch and its NDJSON bytes, made once and shared: the history keeps its records as
 * ranges of them (history.ts), the journal and stdout write them, and the broadcast frames them
 * for mpm-tui clients (broadcast.ts).
 *
 * Each line is written straight into one buffer as the record's head (every key but `payload`,
 * built by recordHead) followed by the payload's JSON: the very text the payload was parsed from
 * when it can be reused, else JSON.stringify of the payload. No line string and no joined NDJSON
 * string is ever made, and the payload text is encoded once, into its place.
 *
 * These bytes go to terminals (`--server-only`, `tail`, `cat journal.ndjson`), so text that is not
 * known to be ASCII has the characters a terminal acts on (C1 controls, bidi controls) written as
 * `\uXXXX` escapes: the same JSON value, harmless to print.
 */
import type {EventRecord} from '../core/record.js';
import {escapeJsonForTerminal} from '../core/terminal-safe.js';

const NEWLINE = 0x0a;
const CLOSE_BRACE = 0x7d;

function byteLength(text: string, ascii: boolean): number {
	return ascii ? text.length : Buffer.byteLength(text);
}

/** Writes `text` at `at` as latin1 (known ASCII: a plain copy) or UTF-8; returns the bytes written. */
function write(out: Buffer, text: string, at: number, ascii: boolean): number {
	return out.write(text, at, ascii ? 'latin1' : 'utf8');
}

/** Anything but printable ASCII: such a head is UTF-8 encoded and made terminal-safe (the rest is copied as latin1). */
const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/;

const isStringOrNull = (value: unknown): value is string | null =>
	value === null || typeof value === 'string';

/**
 * The start of the record's JSON line, every key in order up to `"payload":` — the same text as
 * JSON.stringify(record) up to the payload's value. Undefined when a field is not what
 * EventRecord says (a seq that is not a whole number, a field that is neither string nor null),
 * so that the caller serializes the record whole instead.
 */
export function recordHead(record: EventRecord): string | undefined {
	const {seq, id, time, received, session, type, tool, toolUseId, agentId, agentType, cwd, summary, source} =
		record;
	if (
		!Number.isSafeInteger(seq) ||
		typeof id !== 'string' ||
		typeof time !== 'string' ||
		typeof received !== 'string' ||
		typeof type !== 'string' ||
		typeof summary !== 'string' ||
		typeof source !== 'string'
	)
		return undefined;
	if (
		!isStringOrNull(session) ||
		!isStringOrNull(tool) ||
		!isStringOrNull(toolUseId) ||
		!isStringOrNull(agentId) ||
		!isStringOrNull(agentType) ||
		!isStringOrNull(cwd)
	)
		return undefined;
	const q = JSON.stringify;
	return (
		`{"seq":${seq},"id":${q(id)},"time":${q(time)},"received":${q(received)},"session":${q(session)},"type":${q(type)},` +
		`"tool":${q(tool)},"toolUseId":${q(toolUseId)},"agentId":${q(agentId)},"agentType":${q(agentType)},"cwd":${q(cwd)},` +
		`"summary":${q(summary)},"source":${q(source)},"payload":`
	);
}

/** Raw text can stand for the payload only on one line: JSON.stringify never leaves a raw line break, raw text may. */
function fitsOnOneLine(text: string): boolean {
	return !text.includes('\n') && !text.includes('\r');
}

export class AcceptedBatch {
	readonly records: readonly EventRecord[];
	/**
	 * Per record: the JSON text its payload was parsed from, when the payload is that very value
	 * (not cut, not rewritten) — valid JSON for the same value, so it is spliced in as is.
	 */
	private readonly rawPayloads: ReadonlyArray<string | undefined>;
	/** Every raw payload text is ASCII (a slice of an ASCII body): copied byte for byte instead of UTF-8 encoded. */
	private readonly rawIsAscii: boolean;
	private cachedBytes: Buffer | undefined;
	private cachedLines: string[] | undefined;

	constructor(
		records: readonly EventRecord[],
		rawPayloads: ReadonlyArray<string | undefined> = [],
		rawIsAscii = false,
	) {
		this.records = records;
		this.rawPayloads = rawPayloads;
		this.rawIsAscii = rawIsAscii;
	}

	/** A batch whose NDJSON is already made (records read back from a team's Redis stream): `ndjson` holds exactly their lines. */
	static fromNdjson(records: readonly EventRecord[], ndjson: Buffer): AcceptedBatch {
		const batch = new AcceptedBatch(records);
		batch.cachedBytes = ndjson;
		return batch;
	}

	/**
	 * The NDJSON bytes (UTF-8): one line per record, each followed by a newline. No line holds a
	 * raw newline (and no UTF-8 sequence contains the byte 0x0a), so the 0x0a bytes are exactly
	 * the line ends.
	 */
	ndjson(): Buffer {
		return (this.cachedBytes ??= this.encode());
	}

	/** Each record's JSON line (without the newline), decoded from the NDJSON bytes: for the rarer users that need strings. */
	lines(): string[] {
		if (this.cachedLines) return this.cachedLines;
		const bytes = this.ndjson();
		const lines: string[] = [];
		for (
			let start = 0, end = bytes.indexOf(NEWLINE);
			end !== -1;
			start = end + 1, end = bytes.indexOf(NEWLINE, start)
		) {
			lines.push(bytes.toString('utf8', start, end));
		}
		return (this.cachedLines = lines);
	}

	private encode(): Buffer {
		const n = this.records.length;
		if (n === 0) return Buffer.alloc(0);
		// Per record [head, payload text], or [undefined, the whole line]; text known to be ASCII is
		// copied byte for byte (latin1), the rest UTF-8 encoded.
		const heads = new Array<string | undefined>(n);
		const headIsAscii = new Array<boolean>(n);
		const texts = new Array<string>(n);
		const textIsAscii = new Array<boolean>(n);
		// The exact size: ASCII text takes a byte per character; other text is measured. (The history
		// keeps these bytes, so a generous bound would be memory held for as long.)
		let size = 0;
		for (let i = 0; i < n; i++) {
			const record = this.records[i];
			const head = recordHead(record);
			const raw = this.rawPayloads[i];
			const useRaw = head !== undefined && raw !== undefined && fitsOnOneLine(raw);
			const payload =
				head === undefined
					? undefined
					: useRaw
						? raw
						: (JSON.stringify(record.payload) as string | undefined);
			if (head !== undefined && payload !== undefined) {
				const ascii = !NOT_PRINTABLE_ASCII.test(head);
				heads[i] = ascii ? head : escapeJsonForTerminal(head);
				headIsAscii[i] = ascii;
				textIsAscii[i] = useRaw && this.rawIsAscii;
				texts[i] = textIsAscii[i] ? payload : escapeJsonForTerminal(payload);
				size += byteLength(heads[i]!, ascii) + byteLength(texts[i], textIsAscii[i]) + 2;
			} else {
				texts[i] = escapeJsonForTerminal(JSON.stringify(record));
				textIsAscii[i] = false;
				size += byteLength(texts[i], false) + 1;
			}
		}
		const out = Buffer.allocUnsafe(size);
		let at = 0;
		for (let i = 0; i < n; i++) {
			const head = heads[i];
			if (head !== undefined) at += write(out, head, at, headIsAscii[i]);
			at += write(out, texts[i], at, textIsAscii[i]);
			if (head !== undefined) out[at++] = CLOSE_BRACE;
			out[at++] = NEWLINE;
		}
		if (at !== size) throw new Error(`NDJSON of ${n} records: wrote ${at} bytes, measured ${size}`);
		return out;
	}
}
