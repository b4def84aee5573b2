/**
 * The daemon's log, `<stateDir>/server.log`: one line per message, stamped with the time and the
 * pid (a start that fails shows its own daemon's lines, not another's in the same file). At
 * 5 MiB it is rotated: `server.log` becomes `server.log.1`, `.1` becomes `.2`, `.2` becomes
 * `.3`, and the oldest is dropped (3 kept). Writes are synchronous appends: the server logs
 * little, and a line must be on disk before the process may die.
 */
import fs from 'node:fs';

export const LOG_MAX_BYTES = 5 * 1024 * 1024;
export const LOG_KEEP = 3;

/** Moves `file` to `file.1` (and so on down to `file.<keep>`) when it holds `maxBytes` or more. */
export function rotateIfFull(file: string, maxBytes = LOG_MAX_BYTES, keep = LOG_KEEP): boolean {
	let size: number;
	try {
		size = fs.statSync(file).size;
	} catch {
		return false;
	}
	if (size < maxBytes) return false;
	for (let n = keep - 1; n >= 1; n--) {
		try {
			fs.renameSync(`${file}.${n}`, `${file}.${n + 1}`);
		} catch {
			// That generation does not exist yet.
		}
	}
	fs.renameSync(file, `${file}.1`);
	return true;
}

export class RotatingLog {
	private size: number;

	constructor(
		readonly file: string,
		private readonly maxBytes = LOG_MAX_BYTES,
		private readonly keep = LOG_KEEP,
	) {
		rotateIfFull(file, maxBytes, keep);
		this.size = sizeOf(file);
	}

	write(line: string): void {
		const text = `${new Date().toISOString()} [${process.pid}] ${line}\n`;
		try {
			if (this.size + Buffer.byteLength(text) > this.maxBytes && this.size > 0) {
				rotateIfFull(this.file, 0, this.keep);
				this.size = 0;
			}
			fs.appendFileSync(this.file, text, {mode: 0o600});
			this.size += Buffer.byteLength(text);
		} catch (error) {
			// Nowhere else to say it but stderr (which the daemon's parent pointed at this same log).
			process.stderr.write(
				`mpm-tui: cannot write the log ${this.file}: ${(error as Error).message}\n${line}\n`,
			);
		}
	}
}

function sizeOf(file: string): number {
	try {
		return fs.statSync(file).size;
	} catch {
		return 0;
	}
}

/** The last `count` items (none for 0, as `tail -n 0`; `slice(-0)` would give them all). */
export function lastOf<T>(items: T[], count: number): T[] {
	return count > 0 ? items.slice(-count) : [];
}

/** Whether a file error means the file is not there (rather than there and unreadable: EACCES, ELOOP, …). */
export function isMissing(error: unknown): boolean {
	return (error as NodeJS.ErrnoException | null | undefined)?.code === 'ENOENT';
}

/**
 * The last `lines` lines of `file` (reads at most its last 1 MiB), or null when it does not exist.
 * A log that is there but cannot be read (EACCES, a directory, …) throws its error: it is not "no log".
 */
export function tailOf(file: string, lines: number, from = 0): string | null {
	let fd: number;
	try {
		fd = fs.openSync(file, 'r');
	} catch (error) {
		if (isMissing(error)) return null;
		throw error;
	}
	try {
		const size = fs.fstatSync(fd).size;
		const start = Math.max(from, size - 1024 * 1024);
		const buffer = Buffer.alloc(Math.max(0, size - start));
		fs.readSync(fd, buffer, 0, buffer.length, start);
		const all = buffer.toString('utf8').split('\n');
		if (all.at(-1) === '') all.pop();
		return lastOf(all, lines).join('\n');
	} finally {
		fs.closeSync(fd);
	}
}
