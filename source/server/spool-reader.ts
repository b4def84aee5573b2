/**
 * Reads a spool file line by line from a byte offset, holding at most one line (plus a chunk) in
 * memory, so that a stopped drain can resume where it stopped without reading what came before.
 */
import fs from 'node:fs';

const CHUNK_BYTES = 1024 * 1024;

export interface Line {
	/** The line without its `\n`; undefined when it is longer than the limit (it was skipped). */
	bytes: Buffer | undefined;
	/** Its length in bytes (without the `\n`). */
	length: number;
	/** Byte offset of its first byte, and of the byte after its `\n` (or the end of the file). */
	start: number;
	next: number;
}

/**
 * The lines of `fd` from `offset` on. A last line without `\n` is a line too. Each `bytes` is
 * valid only until the next line is asked for.
 */
export function* readLines(fd: number, offset: number, maxLineBytes: number): Generator<Line> {
	let buffer = Buffer.allocUnsafe(CHUNK_BYTES);
	/** File offset of buffer[0]; bytes [0, filled) hold data; a line starts at `from`. */
	let base = offset;
	let filled = 0;
	let from = 0;
	let scanned = 0;
	/** Set while skipping a line over the limit: its start offset. */
	let skipping: number | undefined;
	let eof = false;
	for (;;) {
		const newline = buffer.subarray(0, filled).indexOf(0x0a, scanned);
		if (newline !== -1) {
			const start = base + from;
			if (skipping !== undefined) {
				yield {
					bytes: undefined,
					length: start + (newline - from) - skipping,
					start: skipping,
					next: base + newline + 1,
				};
				skipping = undefined;
			} else {
				const length = newline - from;
				yield {
					bytes: length > maxLineBytes ? undefined : buffer.subarray(from, newline),
					length,
					start,
					next: base + newline + 1,
				};
			}
			from = newline + 1;
			scanned = from;
			continue;
		}
		if (eof) {
			if (skipping !== undefined)
				yield {bytes: undefined, length: base + filled - skipping, start: skipping, next: base + filled};
			else if (filled > from)
				yield {
					bytes: filled - from > maxLineBytes ? undefined : buffer.subarray(from, filled),
					length: filled - from,
					start: base + from,
					next: base + filled,
				};
			return;
		}
		scanned = filled;
		// Make room: drop what was consumed; grow for a long line; past the limit, drop the line's bytes too.
		if (from > 0) {
			buffer.copy(buffer, 0, from, filled);
			base += from;
			filled -= from;
			scanned -= from;
			from = 0;
		}
		if (skipping === undefined && filled > maxLineBytes) {
			skipping = base;
		}
		if (skipping !== undefined) {
			base += filled;
			filled = 0;
			scanned = 0;
		} else if (filled === buffer.length) {
			const grown = Buffer.allocUnsafe(Math.min(buffer.length * 2, maxLineBytes + CHUNK_BYTES));
			buffer.copy(grown, 0, 0, filled);
			buffer = grown;
		}
		const n = fs.readSync(fd, buffer, filled, buffer.length - filled, base + filled);
		if (n === 0) eof = true;
		filled += n;
	}
}
