/**
 * `mpm-tui server logs --follow`: the last lines of the daemon's log, then every line as it is
 * written, like `tail -F`. Changes are noticed through fs.watch on the log's directory and, for
 * file systems whose watch says nothing, by a look every `pollMs`. The file followed is an open
 * descriptor: when log-file.ts rotates `server.log` to `.1`, the rest of the old file is read
 * through it, then the generations written since (more than one rotation may have happened
 * between two looks: the old file is then `.2` or `.3`, and `.1` is a whole generation not yet
 * shown), then the new `server.log`. A log that does not exist yet is waited for; one that is
 * there but cannot be read (EACCES) ends the follow with its reason. Lines are shown
 * with their control characters as visible stand-ins (core/terminal-safe.ts): a log line must not
 * drive the terminal. Ends with 0 when `signal` aborts (SIGINT, SIGTERM) or the reader of `out`
 * goes away (EPIPE, as with `| head`); 1 when the log cannot be read or `out` cannot be written.
 */
import fs from 'node:fs';
import path from 'node:path';
import type {Writable} from 'node:stream';
import {StringDecoder} from 'node:string_decoder';
import {isReaderGone, outputFault} from '../client/output-fault.js';
import {showControls} from '../core/terminal-safe.js';
import {isMissing, lastOf, LOG_KEEP} from './log-file.js';

export interface FollowOptions {
	/** How many of the log's last lines to print first. */
	lines: number;
	out: Writable;
	/** A message for stderr (the wait for a log not there yet, a read error). */
	say: (line: string) => void;
	/** Ends the follow. */
	signal: AbortSignal;
	/** The generations the log keeps (`server.log.1` … `.keep`). */
	keep?: number;
	/** How often the log is looked at when the watch reports nothing. */
	pollMs?: number;
}

/** One open generation of the log. */
interface Opened {
	fd: number;
	dev: bigint;
	ino: bigint;
	mtimeNs: bigint;
	/** Where the next read starts. */
	position: number;
}

/** How much is read at a time. */
const CHUNK = 64 * 1024;
/** How far back from the end the first lines are looked for (as log-file.ts tailOf). */
const TAIL_WINDOW = 1024 * 1024;
/** A line longer than this is shown in pieces rather than held back whole. */
const MAX_LINE = 1024 * 1024;

export function followLog(file: string, options: FollowOptions): Promise<number> {
	return new LogFollower(file, options).run();
}

class LogFollower {
	private current: Opened | null = null;
	private decoder = new StringDecoder('utf8');
	/** The text after the last newline read: a line still being written. */
	private partial = '';
	private closed = false;
	private code = 0;
	private checking = false;
	private again = false;
	private watcher: fs.FSWatcher | null = null;
	private timer: NodeJS.Timeout | undefined;
	/** Writes waiting for 'drain'; stop() releases them. */
	private readonly waiting = new Set<() => void>();
	private finish: (code: number) => void = () => {};
	private readonly keep: number;
	private readonly pollMs: number;

	constructor(
		private readonly file: string,
		private readonly options: FollowOptions,
	) {
		this.keep = options.keep ?? LOG_KEEP;
		this.pollMs = options.pollMs ?? 500;
	}

	run(): Promise<number> {
		const done = new Promise<number>((resolve) => {
			this.finish = resolve;
		});
		const {signal, out} = this.options;
		if (signal.aborted) return Promise.resolve(0);
		signal.addEventListener('abort', () => this.stop(0), {once: true});
		// EPIPE when the reader has gone: the follow is over, and that is not an error. Any other
		// error (ENOSPC, EIO) is told and ends it with 1.
		out.on('error', (error: Error) => {
			if (this.closed) return;
			if (!isReaderGone(error)) this.options.say(outputFault('stdout', error));
			this.stop(isReaderGone(error) ? 0 : 1);
		});
		try {
			this.current = openLog(this.file);
		} catch (error) {
			this.options.say(`cannot read the log ${this.file}: ${(error as Error).message}`);
			this.stop(1);
			return done;
		}
		if (this.current === null) this.options.say(`no log yet (${this.file}); waiting for it`);
		this.kick(true);
		this.timer = setInterval(() => this.kick(false), this.pollMs);
		return done;
	}

	private stop(code: number): void {
		if (this.closed) return;
		this.closed = true;
		this.code = code;
		clearInterval(this.timer);
		this.watcher?.close();
		this.watcher = null;
		if (this.current) fs.closeSync(this.current.fd);
		this.current = null;
		for (const wake of this.waiting) wake();
		this.waiting.clear();
		this.finish(this.code);
	}

	/** Looks at the log now, or once more after the look under way. */
	private kick(first: boolean): void {
		if (this.closed) return;
		if (this.watcher === null) this.watch();
		if (this.checking) {
			this.again = true;
			return;
		}
		this.checking = true;
		void (async () => {
			try {
				if (first && this.current) await this.printLast();
				do {
					this.again = false;
					await this.check();
				} while (this.again && !this.closed);
			} catch (error) {
				if (!this.closed) {
					this.options.say(`cannot read the log ${this.file}: ${(error as Error).message}`);
					this.stop(1);
				}
			} finally {
				this.checking = false;
			}
		})();
	}

	/** Watches the log's directory (renames and new files show there); retried on each poll while it fails. */
	private watch(): void {
		const base = path.basename(this.file);
		try {
			this.watcher = fs.watch(path.dirname(this.file), (_event, name) => {
				if (name === null || name.startsWith(base)) this.kick(false);
			});
			this.watcher.on('error', () => {
				this.watcher?.close();
				this.watcher = null;
			});
		} catch {
			this.watcher = null;
		}
	}

	/** The last `lines` complete lines of the log as it is now. */
	private async printLast(): Promise<void> {
		const current = this.current!;
		const size = fs.fstatSync(current.fd).size;
		const start = Math.max(0, size - TAIL_WINDOW);
		const buffer = readAt(current.fd, start, size - start);
		const lines = (this.partial + this.decoder.write(buffer)).split('\n');
		// A window that starts inside the file starts inside a line.
		if (start > 0) lines.shift();
		this.partial = lines.pop() ?? '';
		current.position = start + buffer.length;
		await this.show(lastOf(lines, this.options.lines));
	}

	private async check(): Promise<void> {
		if (this.current === null) {
			this.current = openLog(this.file);
			if (this.current === null) return;
		}
		await this.drain();
		const now = statOf(this.file);
		// Missing: between a rotation's rename and the next write, or removed; the next look sees.
		if (now === null || this.closed) return;
		if (now.dev === this.current.dev && now.ino === this.current.ino) {
			if (now.size < this.current.position) {
				// Truncated in place: follow it from its start.
				this.current.position = 0;
				await this.drain();
			}
			return;
		}
		// Replaced: what was written to the old file before its rename, then the generations after it.
		await this.drain();
		if (this.closed || this.current === null) return;
		const generations = openGenerations(this.file, this.keep);
		const current = this.current;
		const index = generations.findIndex((g) => g.dev === current.dev && g.ino === current.ino);
		// Not among them: rotated out of the kept ones (all are newer) or removed (only newer ones count).
		const newer =
			index === -1 ? generations.filter((g) => g.mtimeNs >= current.mtimeNs) : generations.slice(0, index);
		for (const g of generations) if (!newer.includes(g)) fs.closeSync(g.fd);
		newer.reverse();
		while (newer.length > 0) {
			const next = newer.shift()!;
			if (this.closed) {
				fs.closeSync(next.fd);
				continue;
			}
			await this.switchTo(next);
			await this.drain();
		}
	}

	/** Ends the file followed (its unfinished last line shown as a line) and follows `next` from its start. */
	private async switchTo(next: Opened): Promise<void> {
		const rest = this.partial + this.decoder.end();
		this.partial = '';
		this.decoder = new StringDecoder('utf8');
		if (this.current) fs.closeSync(this.current.fd);
		this.current = next;
		if (rest !== '') await this.show([rest]);
	}

	/** Reads the file followed to its end, showing each complete line. */
	private async drain(): Promise<void> {
		while (!this.closed && this.current) {
			const current = this.current;
			const buffer = readAt(current.fd, current.position, CHUNK);
			if (buffer.length === 0) {
				current.mtimeNs = fs.fstatSync(current.fd, {bigint: true}).mtimeNs;
				return;
			}
			current.position += buffer.length;
			const lines = (this.partial + this.decoder.write(buffer)).split('\n');
			this.partial = lines.pop() ?? '';
			if (this.partial.length > MAX_LINE) {
				lines.push(this.partial);
				this.partial = '';
			}
			await this.show(lines);
		}
	}

	/** Writes lines to `out`, waiting for it when it is full. */
	private async show(lines: readonly string[]): Promise<void> {
		if (this.closed || lines.length === 0) return;
		const text = lines.map((line) => `${showControls(line)}\n`).join('');
		if (this.options.out.write(text)) return;
		await new Promise<void>((resolve) => {
			const wake = () => {
				this.options.out.off('drain', wake);
				this.waiting.delete(wake);
				resolve();
			};
			this.waiting.add(wake);
			this.options.out.once('drain', wake);
		});
	}
}

function readAt(fd: number, position: number, length: number): Buffer {
	const buffer = Buffer.alloc(length);
	const read = fs.readSync(fd, buffer, 0, length, position);
	return read === length ? buffer : buffer.subarray(0, read);
}

/** Null when the file is not there; any other error (EACCES, …) is thrown: the follow ends with it. */
function statOf(file: string): fs.BigIntStats | null {
	try {
		return fs.statSync(file, {bigint: true});
	} catch (error) {
		if (isMissing(error)) return null;
		throw error;
	}
}

/** The log opened for reading, or null when it is not there; a log there that cannot be opened throws. */
function openLog(file: string): Opened | null {
	let fd: number;
	try {
		fd = fs.openSync(file, 'r');
	} catch (error) {
		if (isMissing(error)) return null;
		throw error;
	}
	const stat = fs.fstatSync(fd, {bigint: true});
	return {fd, dev: stat.dev, ino: stat.ino, mtimeNs: stat.mtimeNs, position: 0};
}

/**
 * `file`, `file.1` … `file.<keep>` opened, newest first, each file once. Opened newest first so
 * that a rotation while they are opened can only show a file twice (under two names; the second
 * is dropped), never skip one.
 */
function openGenerations(file: string, keep: number): Opened[] {
	const opened: Opened[] = [];
	for (let n = 0; n <= keep; n++) {
		const g = openLog(n === 0 ? file : `${file}.${n}`);
		if (g === null) continue;
		if (opened.some((o) => o.dev === g.dev && o.ino === g.ino)) fs.closeSync(g.fd);
		else opened.push(g);
	}
	return opened;
}
