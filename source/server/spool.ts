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
 *
 * Here: taking the spool and finding the files to read. The pass that delivers them is
 * spool-pass.ts; the report and what is remembered between drains, spool-state.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import {showControls} from '../core/terminal-safe.js';
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
import {Drain} from './spool-pass.js';
import {
	codeOf,
	kindOf,
	messageOf,
	reportOnce,
	stateOf,
	type DrainReport,
	type IngestOne,
	type SpoolState,
} from './spool-state.js';
import {privateDirectoryProblem} from './state-dir.js';

export type {DrainReport, IngestOne} from './spool-state.js';
export {MAX_LINE_BYTES} from './spool-pass.js';

/** How long a taken spool file must have gone unwritten before it is read. */
export const SPOOL_SETTLE_MS = 300;
/** How long a stranded copy must have gone unchanged, its forwarder gone, before it is delivered. */
export const COPY_SETTLE_MS = 5000;
/** A file unchanged this long is adopted whoever its pid says owns it (that pid may belong to another process by now). */
export const STALE_MS = 10 * 60_000;

function pidAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return codeOf(error) === 'EPERM';
	}
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
	return privateDirectoryProblem(
		dir,
		'spool directory',
		'point MPM_TUI_SPOOL at a file in a private directory',
	);
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
