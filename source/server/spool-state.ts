/**
 * What the spool drain (spool.ts) keeps and says: the report of one drain, what it remembers about
 * each spool between drains (files taken, where to resume, what was already said), and the words
 * for a file problem.
 */
import type fs from 'node:fs';
import type {IngestMeta} from './pipeline.js';
import type {IngestResult} from './types.js';

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

const MAX_REMEMBERED = 1000;

/** What the drain remembers about one spool between drains. */
export interface SpoolState {
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

export function stateOf(spool: string): SpoolState {
	let state = states.get(spool);
	if (!state) {
		state = {taken: 0, refusal: undefined, fault: undefined, resume: new Map(), reported: new Set()};
		states.set(spool, state);
	}
	return state;
}

export function reportOnce(state: SpoolState, report: DrainReport, message: string): void {
	if (state.reported.has(message)) return;
	if (state.reported.size >= MAX_REMEMBERED) state.reported.clear();
	state.reported.add(message);
	report.errors.push(message);
}

export function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

export function codeOf(error: unknown): string | undefined {
	return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** What a directory entry is, for messages. */
export function kindOf(stat: fs.Stats): string {
	if (stat.isSymbolicLink()) return 'a symbolic link';
	if (stat.isFIFO()) return 'a FIFO';
	if (stat.isDirectory()) return 'a directory';
	if (stat.isSocket()) return 'a socket';
	return 'not a regular file';
}
