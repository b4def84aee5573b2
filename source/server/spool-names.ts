/**
 * The names the spool drain finds next to the spool, and who owns each one.
 *
 * - `<spool>.draining-<pid>-<token>-<n>`: a spool file taken by the server process `<pid>` whose
 *   start drew the random `<token>` (so a later process that gets the same pid, as in a container
 *   where the server is always pid 1, never mistakes it for its own, nor overwrites it). A file
 *   that a storage fault stopped half-way also carries where to resume: `….at-<byte>-<line>`.
 *   Older servers wrote `<spool>.draining-<pid>[.<n>]`; those are read like any other leftover.
 * - `<spool>.in-<pid>-<id>`: the sh forwarder's private copy of the hook's stdin, named with the
 *   forwarder's pid and the id it POSTs with; `….line` is the spool line it prepares. A copy left
 *   behind by a killed forwarder is delivered under that id, received when the copy was last
 *   written (when stdin was read).
 */
import {randomBytes} from 'node:crypto';

/** This process's owner tag: the pid plus a random token drawn once per process start. */
export const OWNER_PID = process.pid;
export const OWNER_TOKEN = randomBytes(8).toString('hex');

export interface TakenName {
	/** Owner pid, when the name says. */
	pid: number | undefined;
	/** Owner token (absent in names written by older servers). */
	token: string | undefined;
	/** The name without the resume suffix. */
	stem: string;
	/** Where to resume: the byte offset of the first line not yet accepted, and the lines before it. */
	offset: number;
	lines: number;
}

const TAKEN = /^(\d{1,10})-([0-9a-f]{16})-(\d{1,15})(?:\.at-(\d{1,15})-(\d{1,15}))?$/;
const TAKEN_BY_OLDER_SERVER = /^(\d{1,10})(?:\.\d{1,15})?$/;

/** `name` is a directory entry; undefined unless it starts with `<spool base>.draining-`. */
export function parseTakenName(base: string, name: string): TakenName | undefined {
	const prefix = `${base}.draining-`;
	if (!name.startsWith(prefix)) return undefined;
	const rest = name.slice(prefix.length);
	const match = TAKEN.exec(rest);
	if (match) {
		const at = match[4] === undefined ? '' : `.at-${match[4]}-${match[5]}`;
		return {
			pid: Number(match[1]),
			token: match[2],
			stem: name.slice(0, name.length - at.length),
			offset: Number(match[4] ?? 0),
			lines: Number(match[5] ?? 0),
		};
	}
	const older = TAKEN_BY_OLDER_SERVER.exec(rest);
	return {pid: older ? Number(older[1]) : undefined, token: undefined, stem: name, offset: 0, lines: 0};
}

/** The name this process gives the n-th file it takes (or adopts). */
export function takenName(base: string, n: number): string {
	return `${base}.draining-${OWNER_PID}-${OWNER_TOKEN}-${n}`;
}

/** `stem` with the place to resume from. */
export function resumeName(stem: string, offset: number, lines: number): string {
	return offset === 0 ? stem : `${stem}.at-${offset}-${lines}`;
}

export function isMine(taken: TakenName): boolean {
	return taken.pid === OWNER_PID && taken.token === OWNER_TOKEN;
}

export {parseCopyName, type CopyName} from '../core/spool-copy-name.js';
