/**
 * The journal: an append-only NDJSON file of accepted records, replayed on start so that history
 * and `seq` continue across restarts. Each accepted batch is written with one `write` before the
 * request is answered, and a batch the journal cannot write is refused (the pipeline answers with
 * a fault, so the forwarder spools it): a `2xx` always means "on disk".
 *
 * Rules that keep the file readable and seqs unique through faults:
 * - A failed write (disk full, I/O error) is cut back to the last whole line (`ftruncate`); when
 *   even that fails, the next write starts on a new line, and the failed batch's seqs are never
 *   given again (the caller is told).
 * - A line cut off by a crash is ended with a newline at start, so the next record is whole.
 * - The highest seq given is also kept in `<journal>.seq`, written at most once a second, at every
 *   rotation and on close, so that losing the journal's tail (or the whole file) never brings a
 *   seq back.
 * - Rotation renames the file while its descriptor stays open, and swaps descriptors only once the
 *   new file is open: a failed rename or open leaves the journal appending to the file it has
 *   (and says so), never to a descriptor it closed.
 * When the file passes `maxBytes` it is renamed to `.1` (the old `.1` to `.2`, and so on); at most
 * `keep` old files are kept.
 */
import fs from 'node:fs';
import path from 'node:path';
import {exceedsDepth} from '../core/parse-body.js';
import type {EventRecord} from '../core/record.js';

export interface JournalOptions {
	path: string;
	/** Rotate when the file grows past this (default 50 MB). */
	maxBytes?: number;
	/** Old files kept after rotation (default 2). */
	keep?: number;
	/** Told of every change of state: a write or rotation that failed, and the recovery. */
	onError?: (message: string) => void;
	now?: () => number;
}

/** Why a batch could not be written. */
export interface JournalFault {
	/** The system error code (`ENOSPC`, `EIO`, …) or `EJOURNAL`. */
	code: string;
	message: string;
	/**
	 * False when a partial line may be left in the file (it could not be cut back): the batch's
	 * seqs must not be given again.
	 */
	tailClean: boolean;
}

export interface Replay {
	/** The newest records (at most `capacity`, and about `maxBytes` of lines), oldest first, strictly increasing seq. */
	records: EventRecord[];
	/** Highest seq ever given: of the records, of cut-off lines, and of `<journal>.seq`. */
	lastSeq: number;
	/** Lines that could not be read (corrupt or cut off). */
	skipped: number;
	/** Things worth telling the user (a rotated file that is not a file, a high-water mark ahead of the records). */
	warnings: string[];
}

const isStringOrNull = (value: unknown): boolean => value === null || typeof value === 'string';

/**
 * A record as the journal writes it; anything else on a line is skipped. A record from before
 * `received` existed is read too, and given its `time` as `received` (in place).
 */
export function looksLikeRecord(value: unknown): value is EventRecord {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
	const r = value as Record<string, unknown>;
	const ok =
		Number.isSafeInteger(r.seq) &&
		(r.seq as number) > 0 &&
		typeof r.id === 'string' &&
		typeof r.type === 'string' &&
		typeof r.summary === 'string' &&
		typeof r.source === 'string' &&
		typeof r.time === 'string' &&
		!Number.isNaN(Date.parse(r.time)) &&
		(r.received === undefined || (typeof r.received === 'string' && !Number.isNaN(Date.parse(r.received)))) &&
		isStringOrNull(r.session) &&
		isStringOrNull(r.tool) &&
		isStringOrNull(r.toolUseId) &&
		isStringOrNull(r.agentId) &&
		isStringOrNull(r.agentType) &&
		isStringOrNull(r.cwd) &&
		typeof r.payload === 'object' &&
		r.payload !== null &&
		!Array.isArray(r.payload);
	// A line written before records had `received`: its `time` was then the receive time.
	if (ok && r.received === undefined) r.received = r.time;
	return ok;
}

/** The seq at the start of a line the journal wrote, even when the rest of the line was cut off. */
const SEQ_PREFIX = /^\{"seq":(\d{1,16})[,}]/;

/** `<journal>.seq`: the high-water mark file. */
export function highWaterPath(journal: string): string {
	return `${journal}.seq`;
}

/** The seq kept in `<journal>.seq`, or 0. */
export function readHighWater(journal: string): number {
	try {
		const n = Number(fs.readFileSync(highWaterPath(journal), 'latin1').trim());
		return Number.isSafeInteger(n) && n > 0 ? n : 0;
	} catch {
		return 0;
	}
}

/** One rotated or current journal file, read whole line by line (bounded by the caller's budget). */
interface FileRead {
	records: Array<{record: EventRecord; bytes: number}>;
	skipped: number;
	/** Highest seq seen on any line, readable or not. */
	maxSeq: number;
}

/** A journal line longer than this is not a record the server wrote (records are cut to fit 1 MB bodies). */
const MAX_LINE_BYTES = 8 * 1024 * 1024;
const READ_CHUNK = 1024 * 1024;

/** Calls `onLine` with each line of a file (without its newline), reading it in chunks; over-long lines come as their first bytes with `cut` set. */
function forEachLine(file: string, onLine: (line: Buffer, cut: boolean) => void): void {
	const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
	try {
		if (!fs.fstatSync(fd).isFile()) throw new Error('not a regular file');
		const chunk = Buffer.allocUnsafe(READ_CHUNK);
		let carry: Buffer[] = [];
		let carried = 0;
		let cut = false;
		for (;;) {
			const n = fs.readSync(fd, chunk, 0, chunk.length, null);
			if (n === 0) break;
			let start = 0;
			for (let nl = chunk.indexOf(0x0a, 0); nl !== -1 && nl < n; nl = chunk.indexOf(0x0a, start)) {
				const piece = chunk.subarray(start, nl);
				if (cut) onLine(Buffer.concat(carry), true);
				else onLine(carried === 0 ? piece : Buffer.concat([...carry, piece]), false);
				carry = [];
				carried = 0;
				cut = false;
				start = nl + 1;
			}
			if (start < n && !cut) {
				const rest = Buffer.from(chunk.subarray(start, n));
				if (carried + rest.length > MAX_LINE_BYTES) {
					// Keep only the head of an over-long line (for its seq), drop the rest up to its newline.
					carry = [Buffer.concat([...carry, rest]).subarray(0, 64)];
					cut = true;
				} else {
					carry.push(rest);
					carried += rest.length;
				}
			}
		}
		if (carry.length > 0) onLine(Buffer.concat(carry), cut);
	} finally {
		fs.closeSync(fd);
	}
}

function readFileRecords(file: string, capacity: number, maxBytes: number): FileRead {
	const out: FileRead = {records: [], skipped: 0, maxSeq: 0};
	let held = 0;
	let first = 0;
	forEachLine(file, (bytes, cut) => {
		const head = bytes.toString('latin1', 0, Math.min(bytes.length, 40));
		const prefix = SEQ_PREFIX.exec(head);
		if (prefix) out.maxSeq = Math.max(out.maxSeq, Number(prefix[1]));
		if (cut) {
			out.skipped++;
			return;
		}
		const line = bytes.toString('utf8').trim();
		if (line === '') return;
		// A line nested deeper than any the server writes (an older server's, or an edited file) is
		// refused before anything recursive meets it.
		if (exceedsDepth(line)) {
			out.skipped++;
			return;
		}
		let value: unknown;
		try {
			value = JSON.parse(line);
		} catch {
			out.skipped++;
			return;
		}
		if (!looksLikeRecord(value)) {
			out.skipped++;
			return;
		}
		out.maxSeq = Math.max(out.maxSeq, value.seq);
		out.records.push({record: value, bytes: bytes.length});
		held += bytes.length;
		// Only the newest are kept: drop the oldest, compacting now and then so this stays linear.
		while (out.records.length - first > capacity || (held > maxBytes && out.records.length - first > 1)) {
			held -= out.records[first].bytes;
			first++;
		}
		if (first > 4096 && first * 2 > out.records.length) {
			out.records = out.records.slice(first);
			first = 0;
		}
	});
	if (first > 0) out.records = out.records.slice(first);
	return out;
}

/**
 * Reads the journal and its rotated files (newest first, only as far back as needed). Throws (the
 * reason) when the journal itself cannot be read or is not a regular file (say, a directory): the
 * server cannot keep it. A rotated file that cannot be read is skipped with a warning.
 */
export function replayJournal(
	file: string,
	capacity: number,
	keep = 2,
	maxBytes = Number.POSITIVE_INFINITY,
): Replay {
	const replay: Replay = {records: [], lastSeq: 0, skipped: 0, warnings: []};
	const chunks: Array<Array<{record: EventRecord; bytes: number}>> = [];
	let count = 0;
	let bytes = 0;
	let maxSeq = 0;
	for (let i = 0; i <= keep; i++) {
		const name = i === 0 ? file : `${file}.${i}`;
		let stat: fs.Stats;
		try {
			stat = fs.statSync(name);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
			throw new Error((error as Error).message);
		}
		if (!stat.isFile()) {
			const what = stat.isDirectory() ? 'a directory' : 'not a regular file';
			if (i === 0) throw new Error(`it is ${what}`);
			replay.warnings.push(
				`journal: ${name} is ${what}; it was not read, and rotation cannot replace it until it is moved away`,
			);
			continue;
		}
		// Older files only matter for the seq high-water mark once the newer ones fill the history.
		const full = count >= capacity || bytes >= maxBytes;
		let read: FileRead;
		try {
			read = readFileRecords(name, full ? 1 : capacity - count, full ? 1 : maxBytes - bytes);
		} catch (error) {
			if (i === 0) throw new Error((error as Error).message);
			replay.warnings.push(`journal: cannot read ${name}: ${(error as Error).message}`);
			continue;
		}
		replay.skipped += read.skipped;
		maxSeq = Math.max(maxSeq, read.maxSeq);
		if (full) continue;
		chunks.unshift(read.records);
		count += read.records.length;
		for (const r of read.records) bytes += r.bytes;
	}
	let lastSeq = 0;
	for (const chunk of chunks) {
		for (const {record} of chunk) {
			if (record.seq <= lastSeq) {
				replay.skipped++;
				continue;
			}
			lastSeq = record.seq;
			replay.records.push(record);
		}
	}
	if (replay.records.length > capacity) replay.records.splice(0, replay.records.length - capacity);
	const mark = readHighWater(file);
	replay.lastSeq = Math.max(lastSeq, maxSeq, mark);
	if (mark > Math.max(lastSeq, maxSeq))
		replay.warnings.push(
			`journal: seqs up to ${mark} were given before (${highWaterPath(file)}); the journal's records end at ${Math.max(lastSeq, maxSeq)}. Numbering continues after ${mark}.`,
		);
	return replay;
}

function errorCode(error: unknown): string {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	return typeof code === 'string' ? code : 'EJOURNAL';
}

/** How long after a failed rotation the journal tries again (it keeps appending meanwhile). */
const ROTATION_RETRY_MS = 60_000;
const HIGH_WATER_EVERY_MS = 1000;
/** The mark is written at a fixed width, in place, so that a full disk can still take it. */
const HIGH_WATER_WIDTH = 20;

export class Journal {
	readonly path: string;
	private readonly maxBytes: number;
	private readonly keep: number;
	private readonly onError: (message: string) => void;
	private readonly now: () => number;
	private fd: number;
	private size: number;
	/** The file may end in a partial line: the next write starts with a newline. */
	private needsNewline = false;
	private closed = false;
	private fault: JournalFault | null = null;
	private rotationError: string | null = null;
	private rotationRetryAt = 0;
	private highWaterFd: number | null = null;
	private highWater = 0;
	private highWaterWritten = 0;
	private highWaterAt = 0;

	/** Opens (or creates) the journal; `lastSeq` is the replay's, written to the high-water mark at once. */
	constructor(options: JournalOptions, lastSeq = 0) {
		this.path = options.path;
		this.maxBytes = options.maxBytes ?? 50 * 1024 * 1024;
		this.keep = options.keep ?? 2;
		this.onError = options.onError ?? (() => {});
		this.now = options.now ?? Date.now;
		fs.mkdirSync(path.dirname(this.path), {recursive: true, mode: 0o700});
		this.fd = openAppend(this.path);
		this.size = fs.fstatSync(this.fd).size;
		if (this.size > 0 && lastByte(this.fd, this.size) !== 0x0a) {
			// A line cut off by a crash: end it now, so that the file holds whole lines only.
			this.needsNewline = true;
			try {
				this.writeAll(Buffer.from('\n'));
				this.needsNewline = false;
			} catch {
				// Retried before the next record.
			}
		}
		try {
			this.highWaterFd = fs.openSync(
				highWaterPath(this.path),
				fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW,
				0o600,
			);
		} catch (error) {
			this.onError(
				`journal: cannot keep the seq high-water mark in ${highWaterPath(this.path)}: ${(error as Error).message}`,
			);
		}
		this.highWater = lastSeq;
		this.writeHighWater(true);
	}

	bytes(): number {
		return this.size;
	}

	/** The current fault (the last write failed), or null when the journal is writing. */
	failure(): JournalFault | null {
		return this.fault;
	}

	/** The last rotation failure, while it lasts (the journal keeps appending to the current file). */
	rotationFailure(): string | null {
		return this.rotationError;
	}

	/**
	 * Writes NDJSON bytes (whole lines, each ending in a newline) with one write, before the server
	 * answers the request that brought them: a server that is killed afterwards has them on disk.
	 * (No fsync: this survives a crash of the process, not of the machine.) Returns null when
	 * written, else the fault; then nothing of these bytes is in the file (when `tailClean`).
	 * `lastSeq` is the highest seq in these bytes, for the high-water mark.
	 */
	appendBytes(ndjson: Uint8Array, lastSeq = 0): JournalFault | null {
		if (this.closed) return {code: 'EJOURNAL', message: 'the journal is closed', tailClean: true};
		if (ndjson.length === 0) return null;
		const before = this.size;
		try {
			if (this.needsNewline) {
				this.writeAll(Buffer.from('\n'));
				this.needsNewline = false;
			}
			this.writeAll(ndjson);
		} catch (error) {
			return this.failed(error, before);
		}
		if (this.fault) {
			this.onError(`journal ${this.path}: writing again (${this.fault.code} is over)`);
			this.fault = null;
		}
		if (lastSeq > this.highWater) this.highWater = lastSeq;
		this.writeHighWater(false);
		if (this.size > this.maxBytes && this.now() >= this.rotationRetryAt) this.rotate();
		return null;
	}

	private writeAll(bytes: Uint8Array): void {
		// A regular file takes the whole buffer in one write; the loop is for the rare short write.
		for (let done = 0; done < bytes.length;) {
			const n = fs.writeSync(this.fd, bytes, done);
			done += n;
			this.size += n;
		}
	}

	/** A write failed: cut the file back to `before`, report once, and say whether the tail is clean. */
	private failed(error: unknown, before: number): JournalFault {
		let tailClean = true;
		try {
			if (this.size !== before) fs.ftruncateSync(this.fd, before);
			this.size = before;
		} catch {
			tailClean = false;
			this.needsNewline = true;
			try {
				this.size = fs.fstatSync(this.fd).size;
			} catch {
				// Size stays an estimate; it only drives rotation.
			}
		}
		const fault: JournalFault = {
			code: errorCode(error),
			message: `journal ${this.path}: ${(error as Error).message}`,
			tailClean,
		};
		if (!this.fault || this.fault.code !== fault.code)
			this.onError(`${fault.message}; refusing events until it can write again`);
		this.fault = fault;
		return fault;
	}

	/** Keeps the high-water mark: at most once a second unless `force`. Never throws. */
	private writeHighWater(force: boolean): void {
		if (this.highWaterFd === null || this.highWater === this.highWaterWritten) return;
		const now = this.now();
		if (!force && now - this.highWaterAt < HIGH_WATER_EVERY_MS) return;
		try {
			const text = `${String(this.highWater).padStart(HIGH_WATER_WIDTH, ' ')}\n`;
			fs.writeSync(this.highWaterFd, text, 0, 'latin1');
			this.highWaterWritten = this.highWater;
			this.highWaterAt = now;
		} catch {
			// The journal's own lines still hold the seqs; tried again on the next batch.
		}
	}

	private rotate(): void {
		this.writeHighWater(true);
		const renamed: Array<[string, string]> = [];
		try {
			// Oldest first: .1 → .2, then the live file → .1 (its descriptor stays valid across the rename).
			for (let i = this.keep; i >= 1; i--) {
				const from = i === 1 ? this.path : `${this.path}.${i - 1}`;
				const to = `${this.path}.${i}`;
				if (!fs.existsSync(from)) continue;
				fs.renameSync(from, to);
				renamed.push([from, to]);
			}
			if (this.keep === 0) fs.rmSync(this.path, {force: true});
			const fd = openAppend(this.path);
			const old = this.fd;
			this.fd = fd;
			this.size = fs.fstatSync(fd).size;
			this.needsNewline = false;
			fs.closeSync(old);
			if (this.rotationError) this.onError(`journal ${this.path}: rotation works again`);
			this.rotationError = null;
		} catch (error) {
			// Whatever moved, the descriptor still points at the records just written (now perhaps
			// named .1, which replay reads too): keep appending there, and try again later.
			const message = `journal ${this.path}: could not rotate (${(error as Error).message}); still appending to the current file${renamed.length > 0 ? ` (now ${renamed.at(-1)![1]})` : ''}`;
			if (this.rotationError !== message) this.onError(message);
			this.rotationError = message;
			this.rotationRetryAt = this.now() + ROTATION_RETRY_MS;
		}
	}

	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		this.writeHighWater(true);
		fs.closeSync(this.fd);
		if (this.highWaterFd !== null) fs.closeSync(this.highWaterFd);
	}
}

/** Opens a journal file for appending; never through a symlink, only a regular file. */
function openAppend(file: string): number {
	const fd = fs.openSync(
		file,
		fs.constants.O_RDWR |
			fs.constants.O_APPEND |
			fs.constants.O_CREAT |
			fs.constants.O_NOFOLLOW |
			fs.constants.O_NONBLOCK,
		0o600,
	);
	if (!fs.fstatSync(fd).isFile()) {
		fs.closeSync(fd);
		throw new Error(`${file} is not a regular file`);
	}
	return fd;
}

function lastByte(fd: number, size: number): number {
	const last = Buffer.alloc(1);
	fs.readSync(fd, last, 0, 1, size - 1);
	return last[0];
}
