/**
 * The set-aside file, `<spool>.rejected`: every spool line and stranded copy the drain could not
 * deliver, with the reason, so that nothing it refuses is destroyed without a trace. One JSON line
 * each, printable as it is (the characters a terminal would act on are `\u` escapes):
 *
 *   {"mpm_rejected":1,"time":"…","from":"spool.ndjson.draining-…","line":3,"error":"…","raw":"<the line>"}
 *
 * `rawBase64` replaces `raw` when the bytes are not UTF-8. The file is bounded: an entry that does
 * not fit is kept without its bytes (`rawBytes` says how many there were), and once not even that
 * fits, not at all (the drain's report counts those). Opened without following a link, and only
 * if it is a regular file.
 */
import fs from 'node:fs';
import {escapeJsonForTerminal} from '../core/terminal-safe.js';
import {decodeUtf8} from './spool-line.js';

export const REJECTED_MAX_BYTES = 16 * 1024 * 1024;

const O = fs.constants;
const APPEND_FLAGS = O.O_WRONLY | O.O_APPEND | O.O_CREAT | (O.O_NOFOLLOW ?? 0) | (O.O_NONBLOCK ?? 0);

export interface RejectedEntry {
	/** The file it came from (a name in the spool's directory). */
	from: string;
	/** 1-based line number in that file, for spool lines. */
	line?: number;
	error: string;
	/** Its bytes, or undefined when they could not be held (a line over the size limit). */
	raw: Buffer | undefined;
	/** How many bytes it had. */
	rawBytes: number;
}

/** `kept`: with its bytes; `reason`: without them (no room, or not held); `full`: not at all. */
export type KeepOutcome = 'kept' | 'reason' | 'full';

export class RejectedFile {
	private fd: number | undefined;
	private size = 0;

	constructor(
		readonly path: string,
		private readonly maxBytes = REJECTED_MAX_BYTES,
		private readonly now: () => number = Date.now,
	) {}

	/** Appends one entry. Throws when the file cannot be written (full disk, not a regular file): the caller stops and keeps the entry's source. */
	keep(entry: RejectedEntry): KeepOutcome {
		const fd = this.open();
		const head = {
			mpm_rejected: 1,
			time: new Date(this.now()).toISOString(),
			from: entry.from,
			...(entry.line === undefined ? {} : {line: entry.line}),
			error: entry.error,
		};
		const room = this.maxBytes - this.size;
		if (entry.raw !== undefined && entry.raw.length < room) {
			const text = decodeUtf8(entry.raw);
			const record = this.encode(
				text === undefined ? {...head, rawBase64: entry.raw.toString('base64')} : {...head, raw: text},
			);
			if (record.length <= room) {
				this.append(fd, record);
				return 'kept';
			}
		}
		const record = this.encode({...head, rawBytes: entry.rawBytes});
		if (record.length > room) return 'full';
		this.append(fd, record);
		return 'reason';
	}

	close(): void {
		if (this.fd === undefined) return;
		try {
			fs.closeSync(this.fd);
		} catch {
			// Nothing more to do with it.
		}
		this.fd = undefined;
	}

	private open(): number {
		if (this.fd !== undefined) return this.fd;
		const fd = fs.openSync(this.path, APPEND_FLAGS, 0o600);
		const stat = fs.fstatSync(fd);
		if (!stat.isFile()) {
			fs.closeSync(fd);
			throw new Error(`${this.path} is not a regular file`);
		}
		this.fd = fd;
		this.size = stat.size;
		return fd;
	}

	private encode(value: object): Buffer {
		return Buffer.from(`${escapeJsonForTerminal(JSON.stringify(value))}\n`, 'utf8');
	}

	/** Writes a whole record, or none of it: a write cut short (disk full) is cut off again, so every line stays whole. */
	private append(fd: number, record: Buffer): void {
		const before = this.size;
		try {
			for (let done = 0; done < record.length;) done += fs.writeSync(fd, record, done);
		} catch (error) {
			try {
				fs.ftruncateSync(fd, before);
			} catch {
				// Could not cut it off: the next record then follows a partial line.
			}
			throw error;
		}
		this.size += record.length;
	}
}
