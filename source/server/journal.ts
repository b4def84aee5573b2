/**
 * The journal: an append-only NDJSON file of accepted records, replayed on start so that history
 * and `seq` continue across restarts. Each accepted batch is written with one `write` before the
 * request is answered. When the file passes `maxBytes` it is renamed to `.1` (the old `.1` to `.2`, and so on);
 * at most `keep` old files are kept. A line that cannot be read on replay is skipped and counted.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type {EventRecord} from '../core/record.js';

export interface JournalOptions {
	path: string;
	/** Rotate when the file grows past this (default 50 MB). */
	maxBytes?: number;
	/** Old files kept after rotation (default 2). */
	keep?: number;
	onError?: (message: string) => void;
}

export interface Replay {
	/** The newest records (at most `capacity`), oldest first, strictly increasing seq. */
	records: EventRecord[];
	/** Highest seq ever written (0 when the journal is empty). */
	lastSeq: number;
	/** Lines that could not be read (corrupt or cut off). */
	skipped: number;
}

function looksLikeRecord(value: unknown): value is EventRecord {
	if (typeof value !== 'object' || value === null) return false;
	const r = value as Record<string, unknown>;
	return Number.isSafeInteger(r.seq) && (r.seq as number) > 0 && typeof r.id === 'string' && typeof r.type === 'string' && typeof r.time === 'string';
}

async function readRecords(file: string, capacity: number): Promise<{records: EventRecord[]; skipped: number} | null> {
	let stream: fs.ReadStream;
	try {
		await fs.promises.access(file);
		stream = fs.createReadStream(file, {encoding: 'utf8'});
	} catch {
		return null;
	}
	const records: EventRecord[] = [];
	let skipped = 0;
	const lines = readline.createInterface({input: stream, crlfDelay: Infinity});
	for await (const line of lines) {
		if (line.trim() === '') continue;
		let value: unknown;
		try {
			value = JSON.parse(line);
		} catch {
			skipped++;
			continue;
		}
		if (!looksLikeRecord(value)) {
			skipped++;
			continue;
		}
		records.push(value);
		if (records.length > capacity * 2) records.splice(0, records.length - capacity);
	}
	if (records.length > capacity) records.splice(0, records.length - capacity);
	return {records, skipped};
}

/** Reads the journal and its rotated files (newest first, only as far back as needed). */
export async function replayJournal(file: string, capacity: number, keep = 2): Promise<Replay> {
	const chunks: EventRecord[][] = [];
	let skipped = 0;
	let count = 0;
	for (let i = 0; i <= keep && count < capacity; i++) {
		const result = await readRecords(i === 0 ? file : `${file}.${i}`, capacity);
		if (!result) continue;
		skipped += result.skipped;
		chunks.unshift(result.records);
		count += result.records.length;
	}
	const records: EventRecord[] = [];
	let lastSeq = 0;
	for (const chunk of chunks) {
		for (const record of chunk) {
			if (record.seq <= lastSeq) {
				skipped++;
				continue;
			}
			lastSeq = record.seq;
			records.push(record);
		}
	}
	if (records.length > capacity) records.splice(0, records.length - capacity);
	return {records, lastSeq, skipped};
}

export class Journal {
	readonly path: string;
	private readonly maxBytes: number;
	private readonly keep: number;
	private readonly onError: (message: string) => void;
	private fd: number;
	private size: number;
	/** A line cut off by a crash is ended before the first new line, so the next line is whole. */
	private needsNewline = false;
	private closed = false;
	private failed = false;

	constructor(options: JournalOptions) {
		this.path = options.path;
		this.maxBytes = options.maxBytes ?? 50 * 1024 * 1024;
		this.keep = options.keep ?? 2;
		this.onError = options.onError ?? (() => {});
		fs.mkdirSync(path.dirname(this.path), {recursive: true, mode: 0o700});
		this.fd = fs.openSync(this.path, 'a', 0o600);
		this.size = fs.fstatSync(this.fd).size;
		if (this.size > 0) {
			const last = Buffer.alloc(1);
			const probe = fs.openSync(this.path, 'r');
			try {
				fs.readSync(probe, last, 0, 1, this.size - 1);
			} finally {
				fs.closeSync(probe);
			}
			this.needsNewline = last[0] !== 0x0a;
		}
	}

	bytes(): number {
		return this.size;
	}

	/** Writes one record line (JSON without the newline). */
	append(line: string): void {
		this.appendLines([line]);
	}

	/** Writes record lines (JSON without the newline); see appendBytes. */
	appendLines(lines: readonly string[]): void {
		if (lines.length > 0) this.appendBytes(Buffer.from(`${lines.join('\n')}\n`));
	}

	/**
	 * Writes NDJSON bytes (whole lines, each ending in a newline) with one write, before the server
	 * answers the request that brought them: a server that is killed afterwards has them on disk,
	 * so a restart neither loses an accepted event nor gives its seq to another one. (No fsync: this
	 * survives a crash of the process, not of the machine.)
	 */
	appendBytes(ndjson: Uint8Array): void {
		if (this.closed || ndjson.length === 0) return;
		try {
			if (this.needsNewline) this.size += fs.writeSync(this.fd, '\n');
			this.needsNewline = false;
			// A regular file takes the whole buffer in one write; the loop is for the rare short write.
			for (let done = 0; done < ndjson.length; ) {
				const n = fs.writeSync(this.fd, ndjson, done);
				done += n;
				this.size += n;
			}
		} catch (error) {
			this.reportError(error as Error);
			return;
		}
		if (this.size > this.maxBytes) this.rotate();
	}

	/** Kept for callers that await a flush; writes are already on disk when appendLines returns. */
	async flush(): Promise<void> {}

	private reportError(error: Error): void {
		if (this.failed) return;
		this.failed = true;
		this.onError(`journal ${this.path}: ${error.message}`);
	}

	private rotate(): void {
		try {
			fs.closeSync(this.fd);
			for (let i = this.keep; i >= 1; i--) {
				const from = i === 1 ? this.path : `${this.path}.${i - 1}`;
				const to = `${this.path}.${i}`;
				if (fs.existsSync(from)) fs.renameSync(from, to);
			}
			if (this.keep === 0) fs.rmSync(this.path, {force: true});
			this.fd = fs.openSync(this.path, 'a', 0o600);
			this.size = fs.fstatSync(this.fd).size;
		} catch (error) {
			this.reportError(error as Error);
		}
	}

	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		fs.closeSync(this.fd);
	}
}
