/**
 * One accepted batch and its NDJSON bytes, made once and shared: the history keeps its records as
 * ranges of them (history.ts), the journal and stdout write them, and the broadcast frames them
 * for mpm-tui clients (broadcast.ts).
 *
 * Each line is written straight into one buffer as the record's head (every key but `payload`,
 * built by recordHead) followed by the payload's JSON: the very text the payload was parsed from
 * when it can be reused, else JSON.stringify of the payload. No line string and no joined NDJSON
 * string is ever made, and the payload text is encoded once, into its place.
 */
import type {EventRecord} from '../core/record.js';

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

/** The string fields of a record, in order, as slots of a Quoter. */
const FIELDS = ['id', 'time', 'session', 'type', 'tool', 'toolUseId', 'agentId', 'agentType', 'cwd', 'summary', 'source'] as const;
type Field = (typeof FIELDS)[number];
const SLOT = Object.fromEntries(FIELDS.map((field, i) => [field, i])) as Record<Field, number>;

/**
 * Quotes record fields as JSON.stringify does, remembering each field's last value and its JSON
 * text: within a batch most fields repeat from one record to the next (time, session, type, tool,
 * cwd, source), and comparing with the last value is cheaper than looking at the characters.
 */
export class Quoter {
	private readonly last: Array<string | null> = FIELDS.map(() => null);
	private readonly text: string[] = FIELDS.map(() => 'null');
	private readonly plain: boolean[] = FIELDS.map(() => true);
	/** True while every field quoted since `begin()` was plain ASCII: the text so far is ASCII. */
	ascii = true;

	begin(): void {
		this.ascii = true;
	}

	field(slot: number, value: string | null): string {
		if (value !== this.last[slot]) {
			const plain = value === null || PLAIN.test(value);
			this.last[slot] = value;
			this.plain[slot] = plain;
			this.text[slot] = value === null ? 'null' : plain ? `"${value}"` : JSON.stringify(value);
		}
		if (!this.plain[slot]) this.ascii = false;
		return this.text[slot];
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
	const {seq, id, time, session, type, tool, toolUseId, agentId, agentType, cwd, summary, source} = record;
	if (!Number.isSafeInteger(seq) || typeof id !== 'string' || typeof time !== 'string' || typeof type !== 'string' || typeof summary !== 'string' || typeof source !== 'string') return undefined;
	if (!isStringOrNull(session) || !isStringOrNull(tool) || !isStringOrNull(toolUseId) || !isStringOrNull(agentId) || !isStringOrNull(agentType) || !isStringOrNull(cwd)) return undefined;
	q.begin();
	return `{"seq":${seq},"id":${q.field(SLOT.id, id)},"time":${q.field(SLOT.time, time)},"session":${q.field(SLOT.session, session)},"type":${q.field(SLOT.type, type)},"tool":${q.field(SLOT.tool, tool)},"toolUseId":${q.field(SLOT.toolUseId, toolUseId)},"agentId":${q.field(SLOT.agentId, agentId)},"agentType":${q.field(SLOT.agentType, agentType)},"cwd":${q.field(SLOT.cwd, cwd)},"summary":${q.field(SLOT.summary, summary)},"source":${q.field(SLOT.source, source)},"payload":`;
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
				heads[i] = head;
				headIsAscii[i] = quoter.ascii;
				texts[i] = payload;
				textIsAscii[i] = useRaw && this.rawIsAscii;
				size += byteLength(head, quoter.ascii) + byteLength(payload, textIsAscii[i]) + 2;
			} else {
				texts[i] = JSON.stringify(record);
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
