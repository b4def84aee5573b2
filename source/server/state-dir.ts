/**
 * The server's state directory: it must be private (owned by the user, not writable by group or
 * others — it holds prompts and file contents, and files other users could plant there), and
 * only one server may use it at a time (two would interleave seqs in one journal and split the
 * spool between them). The lock is a file, `server.lock`, created exclusively and holding the
 * owner's pid, process start time and address; a lock whose owner is gone is taken over.
 */
import fs from 'node:fs';
import path from 'node:path';
import {randomBytes} from 'node:crypto';

export interface LockOwner {
	pid: number;
	/** The owner's start time as the kernel counts it (Linux: /proc/<pid>/stat field 22), so a reused pid is told apart; 0 when unknown. */
	procStart: number;
	/** When the lock was taken (epoch ms). */
	since: number;
	/** The address the owner serves, once it listens (`http://127.0.0.1:8765`); null before. */
	url: string | null;
}

export class StateDirLockedError extends Error {
	constructor(
		readonly dir: string,
		readonly owner: LockOwner,
	) {
		const where = owner.url ? `listening on ${owner.url}` : 'starting';
		super(
			`another mpm-tui server (pid ${owner.pid}, ${where}) is using the state dir ${dir}; stop it first, connect to it${owner.url ? ` with --connect ${owner.url}` : ''}, or give this one its own MPM_TUI_STATE_DIR`,
		);
	}
}

/**
 * Why `dir` cannot be trusted with events (one line), or null: not a directory, owned by another
 * user, or writable by group or others (they could read events or plant files there). A directory
 * that does not exist yet is fine (null).
 */
export function privateDirectoryProblem(
	dir: string,
	what: string,
	instead = 'use a private state directory (MPM_TUI_STATE_DIR)',
): string | null {
	let stat: fs.Stats;
	try {
		stat = fs.statSync(dir);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
		return `the ${what} ${dir} cannot be inspected: ${(error as Error).message}`;
	}
	if (!stat.isDirectory()) return `the ${what} ${dir} is not a directory`;
	const uid = process.getuid?.();
	if (uid === undefined) return null;
	if (stat.uid !== uid)
		return `the ${what} ${dir} belongs to uid ${stat.uid}, not to this user (uid ${uid}): others could plant files in it; ${instead}`;
	if ((stat.mode & 0o022) !== 0) {
		// A sticky directory (/tmp) is shared on purpose: chmod is no advice there.
		const advice = stat.mode & 0o1000 ? instead : `chmod 700 it or ${instead}`;
		return `the ${what} ${dir} is writable by ${stat.mode & 0o002 ? 'everyone' : 'its group'} (mode ${(stat.mode & 0o7777).toString(8).padStart(4, '0')}): others could plant files in it; ${advice}`;
	}
	return null;
}

/** Creates the directory (mode 700) when missing, then privateDirectoryProblem. */
export function checkPrivateDirectory(dir: string, what = 'state dir'): string | null {
	try {
		fs.mkdirSync(dir, {recursive: true, mode: 0o700});
	} catch (error) {
		return `cannot create the ${what} ${dir}: ${(error as Error).message}`;
	}
	return privateDirectoryProblem(dir, what);
}

/** The kernel's start time of a process (Linux), or 0 when it cannot be read. */
export function processStart(pid: number): number {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
		// Fields after the command name (which may hold spaces and parentheses): state is field 3, start time field 22.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		const start = Number(fields[19]);
		return Number.isSafeInteger(start) ? start : 0;
	} catch {
		return 0;
	}
}

function isAlive(owner: LockOwner): boolean {
	if (owner.pid === process.pid && owner.procStart === processStart(process.pid)) return true;
	try {
		process.kill(owner.pid, 0);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
	}
	// Alive; but is it the same process? A pid can be reused once its owner is gone.
	const start = processStart(owner.pid);
	return owner.procStart === 0 || start === 0 || start === owner.procStart;
}

function readOwner(file: string): LockOwner | null {
	try {
		const value = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockOwner>;
		if (!Number.isSafeInteger(value.pid) || (value.pid as number) <= 0) return null;
		return {
			pid: value.pid as number,
			procStart: Number.isSafeInteger(value.procStart) ? (value.procStart as number) : 0,
			since: Number.isFinite(value.since) ? (value.since as number) : 0,
			url: typeof value.url === 'string' ? value.url : null,
		};
	} catch {
		return null;
	}
}

const sameOwner = (a: LockOwner | null, b: LockOwner | null) =>
	a !== null && b !== null && a.pid === b.pid && a.procStart === b.procStart && a.since === b.since;

/** A lock file being written right now is younger than this; an empty one older than this is stale. */
const WRITING_MS = 2000;

export class StateDirLock {
	readonly file: string;
	private owner: LockOwner;
	private released = false;

	private constructor(file: string, owner: LockOwner) {
		this.file = file;
		this.owner = owner;
	}

	/** Takes the lock of `dir`, or throws StateDirLockedError naming the server that holds it. */
	static acquire(dir: string): StateDirLock {
		const file = path.join(dir, 'server.lock');
		const owner: LockOwner = {
			pid: process.pid,
			procStart: processStart(process.pid),
			since: Date.now(),
			url: null,
		};
		for (let attempt = 0; attempt < 20; attempt++) {
			try {
				const fd = fs.openSync(
					file,
					fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW,
					0o600,
				);
				try {
					fs.writeSync(fd, JSON.stringify(owner));
				} finally {
					fs.closeSync(fd);
				}
				return new StateDirLock(file, owner);
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
					throw new Error(`cannot lock the state dir ${dir}: ${(error as Error).message}`);
			}
			const held = readOwner(file);
			if (held === null) {
				// Being written by another server right now, or left empty by a crash long ago.
				let age = Number.POSITIVE_INFINITY;
				try {
					age = Date.now() - fs.lstatSync(file).mtimeMs;
				} catch {
					continue;
				}
				if (age < WRITING_MS) {
					sleep(50);
					continue;
				}
			} else if (isAlive(held)) {
				throw new StateDirLockedError(dir, held);
			}
			// The owner is gone: move its lock aside (only one of several contenders can), check that
			// what moved is the stale lock looked at, and try again.
			const aside = `${file}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
			try {
				fs.renameSync(file, aside);
			} catch {
				continue;
			}
			const moved = readOwner(aside);
			if (held === null ? moved === null : sameOwner(moved, held)) {
				fs.rmSync(aside, {force: true});
				continue;
			}
			// A live server's fresh lock was moved by mistake: put it back unless another took the place.
			try {
				fs.linkSync(aside, file);
			} catch {
				// Another contender got the place; the loop reports whoever holds it now.
			}
			fs.rmSync(aside, {force: true});
		}
		throw new Error(`cannot lock the state dir ${dir}: ${file} keeps changing`);
	}

	/** Records the address the server listens on, for the next one's message. */
	setUrl(url: string): void {
		if (this.released) return;
		this.owner = {...this.owner, url};
		try {
			const temp = `${this.file}.${process.pid}.tmp`;
			fs.writeFileSync(temp, JSON.stringify(this.owner), {mode: 0o600});
			fs.renameSync(temp, this.file);
		} catch {
			// The lock still holds; only its message is less precise.
		}
	}

	/** Removes the lock file if it is still ours. */
	release(): void {
		if (this.released) return;
		this.released = true;
		const held = readOwner(this.file);
		if (held !== null && held.pid === this.owner.pid && held.since === this.owner.since)
			fs.rmSync(this.file, {force: true});
	}
}

function sleep(ms: number): void {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
