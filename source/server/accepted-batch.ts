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

/**
 * Buffer's own per-encoding writers: what `buf.write(text, at, encoding)` ends in, without its
 * argument juggling and encoding lookup on every call. On Buffer.prototype in every Node release
 * so far, though not in its typings; `buf.write` is the fallback should one ever go. Each returns
 * the bytes written.
 */
interface EncodingWriters {
	latin1Write(text: string, offset: number): number;
	utf8Write(text: string, offset: number): number;
}

const prototypeWriters = Buffer.prototype as unknown as Partial<EncodingWriters>;
const hasEncodingWriters = typeof prototypeWriters.latin1Write === 'function' && typeof prototypeWriters.utf8Write === 'function';

function byteLength(text: string, ascii: boolean): number {
	return ascii ? text.length : Buffer.byteLength(text);
}

/** Writes `text` at `at` as latin1 (known ASCII: a plain copy) or UTF-8; returns the bytes written. */
function write(out: Buffer, text: string, at: number, ascii: boolean): number {
	if (!hasEncodingWriters) return out.write(text, at, ascii ? 'latin1' : 'utf8');
	const writers = out as unknown as EncodingWriters;
	return ascii ? writers.latin1Write(text, at) : writers.utf8Write(text, at);
}

/** Printable ASCII other than `"` and `\`: what JSON.stringify writes as is, between quotes, and UTF-8 as one byte each. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

const isStringOrNull = (value: unknown): value is string | null => value === null || typeof value === 'string';

/** A string field as JSON.stringify writes it; `plain` is PLAIN.test(value) (null is plain). */
function quote(value: string | null, plain: boolean): string {
	return value === null ? 'null' : plain ? `"${value}"` : JSON.stringify(value);
}

/**
 * A run of consecutive record keys whose values usually repeat within a batch, as head text:
 * `,"k1":v1,…,"kn":vn,"next":`. Remade only when a value differs from the previous call's.
 */
class Segment {
	text = '';
	/** Every value was plain ASCII: the text is ASCII. */
	plain = true;
	private readonly keys: readonly string[];
	private readonly next: string;
	private readonly last: Array<string | null | undefined>;

	constructor(keys: readonly string[], next: string) {
		this.keys = keys;
		this.next = next;
		this.last = keys.map(() => undefined);
	}

	/** The text for these values (as many as keys; the rest are ignored). */
	of(v0: string | null, v1: string | null = null, v2: string | null = null, v3: string | null = null, v4: string | null = null): string {
		const last = this.last;
		const n = this.keys.length;
		if (v0 !== last[0] || (n > 1 && v1 !== last[1]) || (n > 2 && v2 !== last[2]) || (n > 3 && v3 !== last[3]) || (n > 4 && v4 !== last[4])) {
			const values = [v0, v1, v2, v3, v4];
			let text = '';
			let plain = true;
			for (let i = 0; i < n; i++) {
				const value = values[i];
				const p = value === null || PLAIN.test(value);
				plain &&= p;
				text += `,"${this.keys[i]}":${quote(value, p)}`;
				last[i] = value;
			}
			this.text = `${text},"${this.next}":`;
			this.plain = plain;
		}
		return this.text;
	}
}

/**
 * Makes record heads for one batch. The head is cut into the fields that change with every
 * event (seq, id, toolUseId, summary) and three runs of fields that usually repeat within a batch
 * (time, received, session, type, tool; agentId, agentType, cwd; source), each run's text
 * remembered: a head is then a concatenation of 8 pieces instead of 27, which is what V8 flattens
 * when it is written.
 */
export class Quoter {
	/** True when the last head made was all ASCII. */
	ascii = true;
	private readonly first = new Segment(['time', 'received', 'session', 'type', 'tool'], 'toolUseId');
	private readonly second = new Segment(['agentId', 'agentType', 'cwd'], 'summary');
	private readonly third = new Segment(['source'], 'payload');

	head(record: EventRecord): string {
		const {seq, id, time, received, session, type, tool, toolUseId, agentId, agentType, cwd, summary, source} = record;
		const first = this.first.of(time, received, session, type, tool);
		const second = this.second.of(agentId, agentType, cwd);
		const third = this.third.of(source);
		const idPlain = PLAIN.test(id);
		const toolUseIdPlain = toolUseId === null || PLAIN.test(toolUseId);
		const summaryPlain = PLAIN.test(summary);
		this.ascii = idPlain && toolUseIdPlain && summaryPlain && this.first.plain && this.second.plain && this.third.plain;
		return `{"seq":${seq},"id":${quote(id, idPlain)}${first}${quote(toolUseId, toolUseIdPlain)}${second}${quote(summary, summaryPlain)}${third}`;
	}
}

/**
 * The start of the record's JSON line, every key in order up to `"payload":` — the same text as
 * JSON.stringify(record) up to the payload's value. Undefined when a field is not what
 * EventRecord says (a seq that is not a whole number, a field that is neither string nor null),
 * so that the caller serializes the record whole instead. Afterwards `q.ascii` tells whether the
 * head is all ASCII.
 */
export function recordHead(record: EventRecord, q = new Quoter()): string | undefined {
	const {seq, id, time, received, session, type, tool, toolUseId, agentId, agentType, cwd, summary, source} = record;
	if (!Number.isSafeInteger(seq) || typeof id !== 'string' || typeof time !== 'string' || typeof received !== 'string' || typeof type !== 'string' || typeof summary !== 'string' || typeof source !== 'string') return undefined;
	if (!isStringOrNull(session) || !isStringOrNull(tool) || !isStringOrNull(toolUseId) || !isStringOrNull(agentId) || !isStringOrNull(agentType) || !isStringOrNull(cwd)) return undefined;
	return q.head(record);
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

	constructor(records: readonly EventRecord[], rawPayloads: ReadonlyArray<string | undefined> = [], rawIsAscii = false) {
		this.records = records;
		this.rawPayloads = rawPayloads;
		this.rawIsAscii = rawIsAscii;
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
		for (let start = 0, end = bytes.indexOf(NEWLINE); end !== -1; start = end + 1, end = bytes.indexOf(NEWLINE, start)) {
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
		const quoter = new Quoter();
		// The exact size: ASCII text takes a byte per character; other text is measured. (The history
		// keeps these bytes, so a generous bound would be memory held for as long.)
		let size = 0;
		for (let i = 0; i < n; i++) {
			const record = this.records[i];
			const head = recordHead(record, quoter);
			const raw = this.rawPayloads[i];
			const useRaw = head !== undefined && raw !== undefined && fitsOnOneLine(raw);
			const payload = head === undefined ? undefined : useRaw ? raw : (JSON.stringify(record.payload) as string | undefined);
			if (head !== undefined && payload !== undefined) {
				heads[i] = quoter.ascii ? head : escapeJsonForTerminal(head);
				headIsAscii[i] = quoter.ascii;
				textIsAscii[i] = useRaw && this.rawIsAscii;
				texts[i] = textIsAscii[i] ? payload : escapeJsonForTerminal(payload);
				size += byteLength(heads[i]!, quoter.ascii) + byteLength(texts[i], textIsAscii[i]) + 2;
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
