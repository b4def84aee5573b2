/**
 * Reads the journal's lines after a given seq, oldest first, in bounded chunks: what a team
 * instance ships to Redis. The journal (with its rotated files `.1`, `.2`, …) is the only queue:
 * nothing waits in memory for Redis, so an instance that cannot reach Redis for hours holds no
 * more than while it can.
 *
 * A chunk's end position (file identity and byte offset) is handed back with it; once the chunk
 * is shipped the caller commits it, and the next read starts there instead of at the oldest file.
 * A position whose file is gone (rotated out) is dropped and the files are read from the oldest.
 */
import fs from 'node:fs';

const READ_CHUNK = 256 * 1024;
const SEQ_HEAD = /^\{"seq":(\d{1,16})[,}]/;

export interface JournalLine {
	seq: number;
	/** The line without its newline. */
	line: string;
}

export interface ReadPosition {
	/** Device and inode of the file: stays with it through a rotation's rename. */
	dev: number;
	ino: number;
	/** Byte offset of the first line not yet read. */
	offset: number;
	/** The highest seq read up to here. */
	seq: number;
}

export interface Chunk {
	lines: JournalLine[];
	/** Where the next read starts once this chunk is committed. */
	end: ReadPosition | null;
}

export class JournalReader {
	private position: ReadPosition | null = null;
	/** One read buffer for every read (a ship can come with every event: no allocation each time). */
	private readonly buffer = Buffer.allocUnsafe(READ_CHUNK);

	constructor(
		private readonly file: string,
		private readonly keep = 2,
	) {}

	/** Lines with seq > `after`, at most `maxLines` and about `maxBytes` (a first line is always taken). */
	read(after: number, maxLines: number, maxBytes: number): Chunk {
		const files = this.files();
		let index = 0;
		let offset = 0;
		const at = this.position;
		if (at && at.seq <= after) {
			const found = files.findIndex((f) => f.dev === at.dev && f.ino === at.ino);
			if (found !== -1) {
				index = found;
				offset = at.offset;
			}
		}
		const lines: JournalLine[] = [];
		let bytes = 0;
		let end: ReadPosition | null = null;
		for (; index < files.length; index++, offset = 0) {
			const f = files[index];
			let fd: number;
			try {
				fd = fs.openSync(f.name, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
			} catch {
				continue;
			}
			try {
				const buffer = this.buffer;
				let carry: Buffer | null = null;
				let lineStart = offset;
				for (;;) {
					const n = fs.readSync(fd, buffer, 0, buffer.length, offset);
					if (n === 0) break;
					const data: Buffer = carry ? Buffer.concat([carry, buffer.subarray(0, n)]) : buffer.subarray(0, n);
					const base = offset - (carry?.length ?? 0);
					offset += n;
					let start = 0;
					for (let nl = data.indexOf(0x0a); nl !== -1; nl = data.indexOf(0x0a, start)) {
						const text = data.toString('utf8', start, nl);
						start = nl + 1;
						lineStart = base + start;
						const head = SEQ_HEAD.exec(text);
						const seq = head ? Number(head[1]) : 0;
						if (seq > after) {
							lines.push({seq, line: text});
							bytes += text.length;
						}
						end = {dev: f.dev, ino: f.ino, offset: lineStart, seq: Math.max(end?.seq ?? after, seq, after)};
						if (lines.length >= maxLines || bytes >= maxBytes) return {lines, end};
					}
					carry = start < data.length ? Buffer.from(data.subarray(start)) : null;
				}
				// Read to its end (a last line without its newline is being written, or was cut by a crash: not read yet).
				const seq: number = (end as ReadPosition | null)?.seq ?? after;
				end = {dev: f.dev, ino: f.ino, offset: lineStart, seq};
			} finally {
				fs.closeSync(fd);
			}
		}
		return {lines, end};
	}

	/** The chunk was shipped: the next read starts after it. */
	commit(end: ReadPosition | null): void {
		if (end) this.position = end;
	}

	/** The journal's files, oldest first, with their identities. */
	private files(): Array<{name: string; dev: number; ino: number}> {
		const out: Array<{name: string; dev: number; ino: number}> = [];
		for (let i = this.keep; i >= 0; i--) {
			const name = i === 0 ? this.file : `${this.file}.${i}`;
			try {
				// Not there (yet, or rotated away): nothing to read, and no error made for it.
				const stat = fs.statSync(name, {throwIfNoEntry: false});
				if (stat?.isFile()) out.push({name, dev: stat.dev, ino: stat.ino});
			} catch {
				// Not readable: skipped like a missing file.
			}
		}
		return out;
	}
}
