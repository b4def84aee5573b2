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
 * - The highest seq given is also kept in `<journal>.seq`: written at most once a second, and a
 *   second after a batch that left it behind (also when no batch follows), at every rotation and on
 *   close. So it is never more than a second behind the seqs given, and losing the journal's tail
 *   (or the whole file) later than that never brings a seq back. (No fsync, as for the journal.)
 *   A mark that cannot be kept (the file cannot be opened or written) is a problem the server
 *   reports (`/health`) while it lasts.
 * - Rotation renames the file while its descriptor stays open, and swaps descriptors only once the
 *   new file is open: a failed rename or open leaves the journal appending to the file it has
 *   (and says so), never to a descriptor it closed.
 * When the file passes `maxBytes` it is renamed to `.1` (the old `.1` to `.2`, and so on); at most
 * `keep` old files are kept.
 */
import fs from 'node:fs';
import path from 'node:path';
import {highWaterPath} from './journal-replay.js';

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
	/** The write of the mark a second after the batch that left it behind. */
	private highWaterTimer: NodeJS.Timeout | undefined;
	/** Why the mark cannot be kept, while that lasts. */
	private highWaterError: string | null = null;

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
			// Not opened again while the server runs: the problem stays until a restart.
			this.highWaterFailed(error);
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

	/** Why the seq high-water mark cannot be kept (seqs could come back if the journal's tail is lost), or null. */
	highWaterFailure(): string | null {
		return this.highWaterError;
	}

	/**
	 * Keeps the high-water mark: at once when `force`, else at most once a second; a mark left
	 * behind is written by a timer when its second is over, so an idle journal has it too. Never
	 * throws: a failed write is reported and tried again a second later.
	 */
	private writeHighWater(force: boolean): void {
		if (this.closed && !force) return;
		if (this.highWaterFd === null || this.highWater === this.highWaterWritten) return;
		const now = this.now();
		const wait = this.highWaterAt + HIGH_WATER_EVERY_MS - now;
		if (!force && wait > 0) {
			this.highWaterTimer ??= setTimeout(() => {
				this.highWaterTimer = undefined;
				this.writeHighWater(false);
			}, wait).unref();
			return;
		}
		clearTimeout(this.highWaterTimer);
		this.highWaterTimer = undefined;
		this.highWaterAt = now;
		try {
			const text = `${String(this.highWater).padStart(HIGH_WATER_WIDTH, ' ')}\n`;
			fs.writeSync(this.highWaterFd, text, 0, 'latin1');
			this.highWaterWritten = this.highWater;
			if (this.highWaterError) this.onError(`journal: the seq high-water mark is kept again`);
			this.highWaterError = null;
		} catch (error) {
			this.highWaterFailed(error);
			// The journal's own lines still hold the seqs; tried again a second from now.
			if (!this.closed) this.writeHighWater(false);
		}
	}

	private highWaterFailed(error: unknown): void {
		const message = `cannot keep the seq high-water mark in ${highWaterPath(this.path)} (${(error as Error).message}): seqs given since could be given again if the journal's tail is lost`;
		if (message !== this.highWaterError) this.onError(`journal: ${message}`);
		this.highWaterError = message;
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
		clearTimeout(this.highWaterTimer);
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
