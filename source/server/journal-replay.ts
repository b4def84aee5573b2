/**
 * Reading the journal back at start: the newest records (bounded by count and bytes), the highest
 * seq ever given (records, cut-off lines and `<journal>.seq`), and what could not be read. Lines
 * are read in chunks; a line over the limit is skipped (only its head is kept, for its seq).
 */
import fs from 'node:fs';
import {exceedsDepth} from '../core/parse-body.js';
import type {EventRecord} from '../core/record.js';

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
