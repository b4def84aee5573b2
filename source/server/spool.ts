/**
 * Drains the forwarder's spool (events written while no server answered) into the pipeline.
 * Contract (docs/ARCHITECTURE.md): one line per event,
 * `{"mpm_spool":1,"id":"…","receivedAt":<epoch ms>,"event":<the hook JSON>}`.
 *
 * - The spool is taken by renaming it to a name unique to this process start (spool-names.ts), so
 *   the forwarders start a fresh one. Once nothing has written to a taken file for `settleMs` (a
 *   forwarder may have opened the spool just before the rename and still be writing a large
 *   event), its lines are ingested one by one, each with its own id and time, and it is deleted.
 * - Each line is handled on its own: a line that cannot be delivered (not UTF-8, too deep, not a
 *   spool record, a bad id or time, refused by the pipeline, or one the pipeline threw on) is
 *   counted, written to the set-aside file `<spool>.rejected` with its reason (spool-rejected.ts),
 *   and the lines after it are delivered.
 * - A storage fault (the pipeline could not journal: nothing of that line was accepted) stops the
 *   drain. The file is kept, renamed to say where to resume, and a later drain delivers the rest
 *   from the first line not yet accepted.
 * - Taken files left by a server that is gone (its pid is not alive, or is ours and so belonged to
 *   an earlier process, or the file has not changed for STALE_MS) are adopted: renamed into this
 *   process's names first, so two servers never read the same file.
 * - Stranded copies of the sh forwarder (`<spool>.in-<pid>-<id>`: its forwarder was killed) are
 *   delivered once their forwarder is gone and the copy has not changed for COPY_SETTLE_MS, under
 *   the id the forwarder POSTed with (so a copy of an event that did arrive is a duplicate) and
 *   received when the copy was last written.
 *
 * The pipeline drops ids it has already accepted, so an event that was both delivered and spooled,
 * or written again by a forwarder that saw the spool renamed under it, appears once. Nothing here is
 * opened through a link or read unless it is a regular file (a FIFO would block the event loop),
 * and nothing is drained from a directory another user could write to (checkSpoolDirectory).
 */
import fs from 'node:fs';
import path from 'node:path';
import {exceedsDepth, findInvalidUtf8, MAX_JSON_DEPTH} from '../core/parse-body.js';
import {isEpochMs, isValidId} from '../core/limits.js';
import {showControls} from '../core/terminal-safe.js';
import type {IngestMeta} from './pipeline.js';
import type {IngestResult} from './types.js';
import {decodeUtf8, parseSpoolLine} from './spool-line.js';
import {
	isMine,
	OWNER_PID,
	parseCopyName,
	parseTakenName,
	resumeName,
	takenName,
	type CopyName,
	type TakenName,
} from './spool-names.js';
import {readLines} from './spool-reader.js';
import {SpoolOrder, startKeyOfLine} from './spool-order.js';
import {RejectedFile, REJECTED_MAX_BYTES, type RejectedEntry} from './spool-rejected.js';
import {privateDirectoryProblem} from './state-dir.js';

export type IngestOne = (text: string, meta: IngestMeta) => IngestResult;

export interface DrainReport {
	/** Files read: taken spool files and stranded copies. */
	files: number;
	/** Taken files still being written to: read on a later drain. */
	waiting: number;
	accepted: number;
	duplicates: number;
	/** Lines and copies that could not be delivered (each set aside, unless the set-aside file was full). */
	rejected: number;
	/** Of those, how many were written to `<spool>.rejected`. */
	setAside: number;
	/** Stranded forwarder copies taken in (delivered, duplicates or set aside). */
	adopted: number;
	/** Set when a storage fault stopped the drain: what is left is kept for a later drain. */
	stopped?: string;
	/** Set when the spool's directory is refused (see checkSpoolDirectory): nothing was touched. */
	refused?: string;
	/** One line each, for the log: a summary per file that had problems, a fault, a refusal. Every reason is also in `<spool>.rejected`. */
	errors: string[];
}

/** How long a taken spool file must have gone unwritten before it is read. */
export const SPOOL_SETTLE_MS = 300;
/** How long a stranded copy must have gone unchanged, its forwarder gone, before it is delivered. */
export const COPY_SETTLE_MS = 5000;
/** A file unchanged this long is adopted whoever its pid says owns it (that pid may belong to another process by now). */
export const STALE_MS = 10 * 60_000;
/** Longer lines (and copies) are not read into memory: they are set aside by their size. */
export const MAX_LINE_BYTES = 128 * 1024 * 1024;

const O = fs.constants;
const READ_FLAGS = O.O_RDONLY | (O.O_NOFOLLOW ?? 0) | (O.O_NONBLOCK ?? 0);
const MAX_REMEMBERED = 1000;

/** What the drain remembers about one spool between drains. */
interface SpoolState {
	/** Files this process has taken or adopted (the n in their names). */
	taken: number;
	refusal: string | undefined;
	fault: string | undefined;
	/** Where to resume a stopped file when it could not be renamed to say so. */
	resume: Map<string, {offset: number; lines: number}>;
	/** Conditions already reported (a FIFO at the spool path): said once, not every drain. */
	reported: Set<string>;
}

const states = new Map<string, SpoolState>();

function stateOf(spool: string): SpoolState {
	let state = states.get(spool);
	if (!state) {
		state = {taken: 0, refusal: undefined, fault: undefined, resume: new Map(), reported: new Set()};
		states.set(spool, state);
	}
	return state;
}

function reportOnce(state: SpoolState, report: DrainReport, message: string): void {
	if (state.reported.has(message)) return;
	if (state.reported.size >= MAX_REMEMBERED) state.reported.clear();
	state.reported.add(message);
	report.errors.push(message);
}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

function codeOf(error: unknown): string | undefined {
	return (error as NodeJS.ErrnoException | undefined)?.code;
}

function pidAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return codeOf(error) === 'EPERM';
	}
}

/** What a directory entry is, for messages. */
function kindOf(stat: fs.Stats): string {
	if (stat.isSymbolicLink()) return 'a symbolic link';
	if (stat.isFIFO()) return 'a FIFO';
	if (stat.isDirectory()) return 'a directory';
	if (stat.isSocket()) return 'a socket';
	return 'not a regular file';
}

/**
 * Null when `dir` may hold the spool; else the one-line reason it may not: it must be a directory
 * owned by this user and not writable by group or others, since anyone who can write to it could
 * plant a link or a FIFO where the forwarders and the drain open files. A directory that does not
 * exist yet is fine (the forwarders create it 0700). Ownership is not checked where there is none
 * (Windows). The check is on the directory the path leads to; who can replace that path (a link
 * to it, or a parent directory writable by others) is not checked.
 */
export function checkSpoolDirectory(dir: string): string | null {
	return privateDirectoryProblem(dir, 'spool directory');
}

interface TakenWork {
	kind: 'taken';
	file: string;
	name: TakenName;
	mtimeMs: number;
}

interface CopyWork {
	kind: 'copy';
	file: string;
	copy: CopyName;
	mtimeMs: number;
}

/** Drains the spool once. Never throws. Cheap when there is nothing to do (a stat, a failed lstat, a readdir). */
export function drainSpool(
	spool: string,
	ingest: IngestOne,
	nowMs = Date.now(),
	settleMs = SPOOL_SETTLE_MS,
): DrainReport {
	const report: DrainReport = {
		files: 0,
		waiting: 0,
		accepted: 0,
		duplicates: 0,
		rejected: 0,
		setAside: 0,
		adopted: 0,
		errors: [],
	};
	try {
		drainOnce(spool, ingest, nowMs, settleMs, report);
	} catch (error) {
		// An I/O error outside any one line (a read that fails, a file that cannot be removed): said, and tried again next time.
		report.errors.push(`spool drain failed: ${messageOf(error)}`);
	}
	return report;
}

function drainOnce(
	spool: string,
	ingest: IngestOne,
	nowMs: number,
	settleMs: number,
	report: DrainReport,
): void {
	const state = stateOf(spool);
	const refusal = checkSpoolDirectory(path.dirname(spool));
	if (refusal) {
		report.refused = refusal;
		if (state.refusal !== refusal) report.errors.push(`not drained: ${refusal}`);
		state.refusal = refusal;
		return;
	}
	state.refusal = undefined;
	take(spool, state, report);
	const work = findWork(spool, state, nowMs, settleMs, report);
	const drain = new Drain(spool, ingest, state, report);
	try {
		for (const item of work) {
			const stopped =
				item.kind === 'taken' ? drain.file(item.file, item.name) : drain.copy(item.file, item.copy);
			if (stopped) break;
		}
		drain.summarizeCopies();
	} finally {
		drain.close();
	}
	if (report.stopped) {
		if (state.fault === undefined) report.errors.push(report.stopped);
		state.fault = report.stopped;
	} else if (state.fault !== undefined && work.length > 0) {
		report.errors.push('the pipeline stores events again: the spool drain resumed');
		state.fault = undefined;
	}
}

/** Takes the spool (a regular file only) by renaming it to this process's next name. */
function take(spool: string, state: SpoolState, report: DrainReport): void {
	let stat: fs.Stats;
	try {
		stat = fs.lstatSync(spool);
	} catch (error) {
		if (codeOf(error) !== 'ENOENT')
			reportOnce(state, report, `could not inspect the spool ${spool}: ${messageOf(error)}`);
		return;
	}
	if (!stat.isFile()) {
		reportOnce(
			state,
			report,
			`the spool ${spool} is ${kindOf(stat)}, not a regular file: not drained (the forwarders do not write to it either); remove it`,
		);
		return;
	}
	try {
		fs.renameSync(spool, path.join(path.dirname(spool), takenName(path.basename(spool), ++state.taken)));
	} catch (error) {
		if (codeOf(error) !== 'ENOENT')
			reportOnce(state, report, `could not take the spool ${spool}: ${messageOf(error)}`);
	}
}

/** The files to read now, oldest first: taken spool files (ours, or adopted) that have settled, and stranded copies. */
function findWork(
	spool: string,
	state: SpoolState,
	nowMs: number,
	settleMs: number,
	report: DrainReport,
): Array<TakenWork | CopyWork> {
	const dir = path.dirname(spool);
	const base = path.basename(spool);
	let names: string[];
	try {
		names = fs.readdirSync(dir);
	} catch (error) {
		if (codeOf(error) !== 'ENOENT') reportOnce(state, report, `could not list ${dir}: ${messageOf(error)}`);
		return [];
	}
	const work: Array<TakenWork | CopyWork> = [];
	for (const name of names) {
		const taken = parseTakenName(base, name);
		const copy = taken ? undefined : parseCopyName(base, name);
		if (!taken && !copy) continue;
		let file = path.join(dir, name);
		let stat: fs.Stats;
		try {
			stat = fs.lstatSync(file);
		} catch {
			continue;
		}
		if (!stat.isFile()) {
			reportOnce(state, report, `${showControls(file)} is ${kindOf(stat)}, not a regular file: not read`);
			continue;
		}
		const age = nowMs - stat.mtimeMs;
		if (taken) {
			let ours = taken;
			if (!isMine(taken)) {
				if (!ownerGone(taken.pid, age)) continue;
				const adopted = resumeName(takenName(base, ++state.taken), taken.offset, taken.lines);
				try {
					fs.renameSync(file, path.join(dir, adopted));
				} catch {
					continue; // taken by another server meanwhile
				}
				file = path.join(dir, adopted);
				ours = parseTakenName(base, adopted)!;
			}
			if (age < settleMs) report.waiting++;
			else work.push({kind: 'taken', file, name: ours, mtimeMs: stat.mtimeMs});
		} else if (copy) {
			const writerGone = copy.pid === OWNER_PID || !pidAlive(copy.pid);
			if (!(writerGone && age >= COPY_SETTLE_MS) && age < STALE_MS) continue;
			// A prepared line whose forwarder is gone: its event is in its copy, or already in the spool.
			if (copy.line) fs.rmSync(file, {force: true});
			else work.push({kind: 'copy', file, copy, mtimeMs: stat.mtimeMs});
		}
	}
	// Oldest first, so spooled events keep their order.
	return work.sort((a, b) => a.mtimeMs - b.mtimeMs);
}

/** A pid that is gone, or ours (so an earlier process's: pids are reused, pid 1 in every container), or a file long unchanged. */
function ownerGone(pid: number | undefined, age: number): boolean {
	return pid === undefined || pid === OWNER_PID || !pidAlive(pid) || age >= STALE_MS;
}

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
class Drain {
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

/** Bytes waiting in the spool (0 when there is none, or it is not a regular file). */
export function spoolBacklog(spool: string): number {
	try {
		const stat = fs.lstatSync(spool);
		return stat.isFile() ? stat.size : 0;
	} catch {
		return 0;
	}
}

/**
 * Events the forwarders could not spool because the spool was full. Each such event appends one
 * byte to `<spool>.dropped` (an O_APPEND write of one byte, so concurrent forwarders never lose a
 * count and need no lock): the count is the file's size.
 */
export function spoolDropped(spool: string): number {
	try {
		const stat = fs.lstatSync(`${spool}.dropped`);
		return stat.isFile() ? stat.size : 0;
	} catch {
		return 0;
	}
}
