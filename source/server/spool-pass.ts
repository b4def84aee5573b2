/**
 * One pass of the spool drain (spool.ts) over the files it found: each taken file's lines and each
 * stranded copy delivered to the pipeline, in the order their hooks started (spool-order.ts); what
 * cannot be delivered is set aside in `<spool>.rejected` (spool-rejected.ts) and summed up in one
 * log line per file; a storage fault stops the pass, and the file is kept, renamed to say where to
 * resume.
 */
import fs from 'node:fs';
import path from 'node:path';
import {exceedsDepth, findInvalidUtf8, MAX_JSON_DEPTH} from '../core/parse-body.js';
import {isEpochMs, isValidId} from '../core/limits.js';
import {showControls} from '../core/terminal-safe.js';
import type {IngestMeta} from './pipeline.js';
import type {IngestResult} from './types.js';
import {decodeUtf8, parseSpoolLine} from './spool-line.js';
import {resumeName, type CopyName, type TakenName} from './spool-names.js';
import {readLines} from './spool-reader.js';
import {SpoolOrder, startKeyOfLine} from './spool-order.js';
import {RejectedFile, REJECTED_MAX_BYTES, type RejectedEntry} from './spool-rejected.js';
import {
	kindOf,
	messageOf,
	reportOnce,
	type DrainReport,
	type IngestOne,
	type SpoolState,
} from './spool-state.js';

/** Longer lines (and copies) are not read into memory: they are set aside by their size. */
export const MAX_LINE_BYTES = 128 * 1024 * 1024;

const O = fs.constants;
const READ_FLAGS = O.O_RDONLY | (O.O_NOFOLLOW ?? 0) | (O.O_NONBLOCK ?? 0);

/** Whether a line (or a copy) holds only white space. */
function isBlank(bytes: Buffer): boolean {
	for (const byte of bytes)
		if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d && byte !== 0x0a) return false;
	return true;
}

/** How every line the forwarders write begins. Inside an event's JSON strings a quote is escaped, so this can only start a record (or an object nested in an event). */
const RECORD_START = Buffer.from('{"mpm_spool":1,');
/** How many places in one unreadable line are tried as the start of a whole line. */
const MAX_TAIL_TRIES = 16;

/** The whole spool line that ends an unreadable line (after a cut-off one), if there is one. */
function wholeLineAtEnd(bytes: Buffer): {at: number; text: string; meta: IngestMeta} | undefined {
	let tries = 0;
	for (
		let at = bytes.indexOf(RECORD_START, 1);
		at !== -1 && tries < MAX_TAIL_TRIES;
		at = bytes.indexOf(RECORD_START, at + 1), tries++
	) {
		const parsed = parseSpoolLine(bytes.subarray(at));
		if (parsed.ok) return {at, text: parsed.text, meta: parsed.meta};
	}
	return undefined;
}

type Outcome = {kind: 'delivered'} | {kind: 'rejected'; error: string} | {kind: 'fault'; error: string};

/** A line read but not handled yet. */
interface HeldLine {
	bytes: Buffer | undefined;
	length: number;
	start: number;
	lineNo: number;
}

/** Where the earliest of `lines` starts, and how many lines come before it. */
function firstOf(lines: HeldLine[]): {offset: number; lines: number} | undefined {
	let first: HeldLine | undefined;
	for (const line of lines) if (first === undefined || line.start < first.start) first = line;
	return first && {offset: first.start, lines: first.lineNo - 1};
}

/** Problems of one file, summed up in one log line. */
interface FileProblems {
	count: number;
	notKept: number;
	first: string | undefined;
}

/** One drain pass: ingests lines and copies, sets aside what cannot be delivered. */
export class Drain {
	private readonly rejected: RejectedFile;
	private readonly copies: FileProblems = {count: 0, notKept: 0, first: undefined};

	constructor(
		spool: string,
		private readonly ingest: IngestOne,
		private readonly state: SpoolState,
		private readonly report: DrainReport,
	) {
		this.rejected = new RejectedFile(`${spool}.rejected`);
	}

	close(): void {
		this.rejected.close();
	}

	/** Drains one taken file from where it stopped last; true when a storage fault stopped the drain. */
	file(file: string, name: TakenName): boolean {
		let fd: number;
		try {
			fd = fs.openSync(file, READ_FLAGS);
		} catch (error) {
			reportOnce(this.state, this.report, `could not read ${file}: ${messageOf(error)}`);
			return false;
		}
		const problems: FileProblems = {count: 0, notKept: 0, first: undefined};
		const from = path.basename(file);
		/** Where the first line not yet handled starts, and how many lines came before it. */
		let done = {offset: 0, lines: 0};
		let fault: string | undefined;
		let readError: unknown;
		try {
			const stat = fs.fstatSync(fd);
			if (!stat.isFile()) {
				reportOnce(this.state, this.report, `${file} is ${kindOf(stat)}, not a regular file: not read`);
				return false;
			}
			this.report.files++;
			done = this.state.resume.get(file) ?? {offset: name.offset, lines: name.lines};
			// Lines go through `order` (spool-order.ts), which hands the sh forwarder's on in the order
			// their hooks started. `read` is where reading got to; `done` (below) is where the first
			// line not handled starts: a later drain resumes there, and drops as duplicates (by id)
			// the lines after it that were handled already.
			let read = done;
			const order = new SpoolOrder<HeldLine>();
			const unhandled: HeldLine[] = [];
			const handle = (lines: HeldLine[]): boolean => {
				let i = 0;
				try {
					for (; i < lines.length; i++) {
						const line = lines[i];
						fault =
							line.bytes === undefined
								? this.settle(
										{
											kind: 'rejected',
											error: `line of ${line.length} bytes, over the ${MAX_LINE_BYTES}-byte limit`,
										},
										{from, line: line.lineNo, error: '', raw: undefined, rawBytes: line.length},
										problems,
									)
								: this.line(line.bytes, from, line.lineNo, problems);
						if (fault) {
							this.report.stopped = `storage fault (${fault}): spool drain stopped at line ${line.lineNo} of ${file}; it and the lines not yet delivered are kept for a later drain`;
							return true;
						}
					}
					return false;
				} finally {
					unhandled.push(...lines.slice(i));
				}
			};
			try {
				let stopped = false;
				for (const line of readLines(fd, read.offset, MAX_LINE_BYTES)) {
					const lineNo = read.lines + 1;
					read = {offset: line.next, lines: lineNo};
					if (line.bytes !== undefined && isBlank(line.bytes)) continue;
					const key = line.bytes === undefined ? undefined : startKeyOfLine(line.bytes);
					// A line held back is copied: the reader's buffer is only valid until its next line.
					const bytes = key === undefined || line.bytes === undefined ? line.bytes : Buffer.from(line.bytes);
					if (
						(stopped = handle(
							order.add({bytes, length: line.length, start: line.start, lineNo}, key, line.length),
						))
					)
						break;
				}
				if (!stopped) handle(order.flush());
			} finally {
				unhandled.push(...order.pending());
				done = firstOf(unhandled) ?? read;
			}
		} catch (error) {
			readError = error;
		} finally {
			fs.closeSync(fd);
		}
		this.summarize(from, problems);
		if (fault !== undefined || readError !== undefined) {
			// Kept, to go on from the first line not yet handled: after a fault, or a read that failed (said, and tried again next time).
			if (readError !== undefined)
				this.report.errors.push(
					`could not read ${file} past line ${done.lines}: ${messageOf(readError)}; the rest is kept for a later drain`,
				);
			this.keepForLater(file, name, done);
			return fault !== undefined;
		}
		this.state.resume.delete(file);
		fs.rmSync(file, {force: true});
		return false;
	}

	/** Delivers one stranded copy (its bytes are the hook's stdin); true when a storage fault stopped the drain. */
	copy(file: string, copy: CopyName): boolean {
		let fd: number;
		try {
			fd = fs.openSync(file, READ_FLAGS);
		} catch (error) {
			reportOnce(this.state, this.report, `could not read ${file}: ${messageOf(error)}`);
			return false;
		}
		let bytes: Buffer | undefined;
		let size: number;
		let mtimeMs: number;
		try {
			const stat = fs.fstatSync(fd);
			if (!stat.isFile()) {
				reportOnce(this.state, this.report, `${file} is ${kindOf(stat)}, not a regular file: not read`);
				return false;
			}
			size = stat.size;
			mtimeMs = stat.mtimeMs;
			if (size <= MAX_LINE_BYTES) bytes = fs.readFileSync(fd);
		} finally {
			fs.closeSync(fd);
		}
		// A copy that holds nothing (stdin was empty, or the disk was full) has nothing to deliver.
		if (bytes !== undefined && isBlank(bytes)) {
			fs.rmSync(file, {force: true});
			return false;
		}
		this.report.files++;
		this.report.adopted++;
		const outcome =
			bytes === undefined
				? ({kind: 'rejected', error: `copy of ${size} bytes, over the ${MAX_LINE_BYTES}-byte limit`} as const)
				: this.deliverCopy(bytes, copy, mtimeMs);
		const stop = this.settle(
			outcome,
			{from: path.basename(file), error: '', raw: bytes, rawBytes: size},
			this.copies,
		);
		if (stop) {
			this.report.stopped = `storage fault (${stop}): spool drain stopped at the stranded copy ${file}; it is kept for a later drain`;
			return true;
		}
		fs.rmSync(file, {force: true});
		return false;
	}

	/** One line summing up the stranded copies that could not be delivered in this pass. */
	summarizeCopies(): void {
		this.summarize('stranded forwarder copies', this.copies);
	}

	/** Delivers one line, or sets it aside; returns the fault that must stop the drain, if any. */
	private line(bytes: Buffer, from: string, lineNo: number, problems: FileProblems): string | undefined {
		const parsed = parseSpoolLine(bytes);
		if (parsed.ok)
			return this.settle(
				this.deliver(parsed.text, parsed.meta),
				{from, line: lineNo, error: '', raw: bytes, rawBytes: bytes.length},
				problems,
			);
		// A write cut short (a full disk) leaves part of a line, and the next line is appended to it:
		// the whole line at its end is still delivered, and only the cut-off part is set aside.
		const tail = wholeLineAtEnd(bytes);
		if (tail === undefined)
			return this.settle(
				{kind: 'rejected', error: parsed.error},
				{from, line: lineNo, error: '', raw: bytes, rawBytes: bytes.length},
				problems,
			);
		const head = bytes.subarray(0, tail.at);
		const stop = this.settle(
			{
				kind: 'rejected',
				error: `cut off (${parsed.error}): a write to the spool stopped short, and the next line was appended to it`,
			},
			{from, line: lineNo, error: '', raw: head, rawBytes: head.length},
			problems,
		);
		if (stop) return stop;
		return this.settle(
			this.deliver(tail.text, tail.meta),
			{from, line: lineNo, error: '', raw: bytes.subarray(tail.at), rawBytes: bytes.length - tail.at},
			problems,
		);
	}

	private deliverCopy(bytes: Buffer, copy: CopyName, mtimeMs: number): Outcome {
		const text = decodeUtf8(bytes);
		if (text === undefined)
			return {kind: 'rejected', error: `not valid UTF-8 at byte ${findInvalidUtf8(bytes)}`};
		if (exceedsDepth(text))
			return {kind: 'rejected', error: `JSON nested deeper than ${MAX_JSON_DEPTH} levels`};
		if (!isEpochMs(Math.floor(mtimeMs)))
			return {kind: 'rejected', error: 'the copy was last written at a time out of range'};
		if (!isValidId(copy.id)) return {kind: 'rejected', error: 'the copy is named with an invalid id'};
		// Received when the copy was last written: when the forwarder had read stdin.
		return this.deliver(text, {source: 'spool', id: copy.id, receivedAt: Math.floor(mtimeMs)});
	}

	private deliver(text: string, meta: IngestMeta): Outcome {
		let result: IngestResult;
		try {
			result = this.ingest(text, meta);
		} catch (error) {
			return {kind: 'rejected', error: `the server failed on it: ${messageOf(error)}`};
		}
		if (result.fault) return {kind: 'fault', error: `${result.fault.code}: ${result.fault.message}`};
		this.report.accepted += result.accepted;
		this.report.duplicates += result.duplicates;
		if (result.accepted === 0 && result.duplicates === 0)
			return {
				kind: 'rejected',
				error: result.error ?? result.rejected[0]?.error ?? 'refused by the pipeline',
			};
		// Part of a batch refused: the whole line is set aside with the reasons (its other events were delivered).
		if (result.rejected.length > 0)
			return {
				kind: 'rejected',
				error: `${result.rejected.length} of its events refused: ${result.rejected.map((item) => item.error).join('; ')}`,
			};
		return {kind: 'delivered'};
	}

	/** Counts an outcome and sets aside what was not delivered; returns the fault that must stop the drain, if any. */
	private settle(outcome: Outcome, entry: RejectedEntry, problems: FileProblems): string | undefined {
		if (outcome.kind === 'delivered') return undefined;
		if (outcome.kind === 'fault') return outcome.error;
		let kept;
		try {
			kept = this.rejected.keep({...entry, error: outcome.error});
		} catch (error) {
			// Not set aside, so not dropped: stop here and try this one again later.
			return `could not write ${this.rejected.path}: ${messageOf(error)}`;
		}
		this.report.rejected++;
		problems.count++;
		if (kept === 'full') problems.notKept++;
		else this.report.setAside++;
		problems.first ??= `${entry.line === undefined ? entry.from : `line ${entry.line}`}: ${outcome.error}`;
		return undefined;
	}

	private summarize(what: string, problems: FileProblems): void {
		if (problems.count === 0) return;
		const kept = problems.count - problems.notKept;
		const where = path.basename(this.rejected.path);
		let line = `${showControls(what)}: ${problems.count} not delivered`;
		if (kept > 0) line += `, set aside in ${where} with the reason${problems.count > 1 ? 's' : ''}`;
		if (problems.notKept > 0)
			line += `; ${problems.notKept} not kept: ${where} is full (${REJECTED_MAX_BYTES} bytes), move it away to keep more`;
		this.report.errors.push(`${line} (first: ${showControls(problems.first ?? '')})`);
	}

	/** Renames a stopped file to say where to resume (or remembers it when it cannot be renamed). */
	private keepForLater(file: string, name: TakenName, at: {offset: number; lines: number}): void {
		const target = path.join(path.dirname(file), resumeName(name.stem, at.offset, at.lines));
		if (target === file) return;
		try {
			fs.renameSync(file, target);
			this.state.resume.delete(file);
		} catch {
			this.state.resume.set(file, at);
		}
	}
}
