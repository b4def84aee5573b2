/**
 * Writes records as NDJSON to a stream (stdout): one write per batch, flushed on the next turn of
 * the event loop, waiting for 'drain' when the reader is slow. At most `maxBuffered` bytes are
 * kept; beyond that lines are dropped, counted, and the gap is marked in the stream itself: the
 * next line written is `{"mpm_tui":"dropped","count":N}` (also at the end, if the gap is last),
 * so a reader knows exactly where events are missing and how many. When a write fails, writing
 * stops and `onClosed` is called once: with no argument when the reader went away (EPIPE, as with
 * `| head -n 3`), with the error when the output itself failed (ENOSPC, EIO, …: output-fault.ts),
 * which the command must tell.
 */
import type {Writable} from 'node:stream';
import {escapeJsonForTerminal} from '../core/terminal-safe.js';
import {isReaderGone} from './output-fault.js';

/** The in-stream line that stands for `count` dropped lines. */
export function droppedMarker(count: number): string {
	return `{"mpm_tui":"dropped","count":${count}}`;
}

const NEWLINE = 0x0a;

export interface NdjsonWriterOptions {
	/** Writing stopped: `fault` is the error, or undefined when the reader went away. */
	onClosed?: (fault?: Error) => void;
	maxBuffered?: number;
}

export class NdjsonWriter {
	private readonly stream: Writable;
	private readonly onClosed: (fault?: Error) => void;
	private readonly maxBuffered: number;
	private pending: Array<string | Buffer> = [];
	private pendingBytes = 0;
	private scheduled = false;
	private waitingForDrain = false;
	private closed = false;
	/** Writes handed to the stream whose callback has not come yet. */
	private inFlight = 0;
	/** end()'s wait: released when nothing is in flight any more, or writing stopped. */
	private settled: Array<() => void> = [];
	/** Lines dropped since the last line kept: the marker that goes before the next one. */
	private gap = 0;
	dropped = 0;

	constructor(stream: Writable, options: NdjsonWriterOptions = {}) {
		this.stream = stream;
		this.onClosed = options.onClosed ?? (() => {});
		this.maxBuffered = options.maxBuffered ?? 32 * 1024 * 1024;
		stream.on('error', (error: NodeJS.ErrnoException) => this.close(error));
	}

	get isClosed(): boolean {
		return this.closed;
	}

	/** Records as JSON lines (characters a terminal would act on written as escapes). */
	write(records: readonly unknown[]): void {
		if (this.closed || records.length === 0) return;
		this.writeLines(records.map((record) => escapeJsonForTerminal(JSON.stringify(record))));
	}

	/** Lines already serialized (without their newline). */
	writeLines(lines: readonly string[]): void {
		if (this.closed || lines.length === 0) return;
		for (const line of lines) {
			if (this.pendingBytes > this.maxBuffered) this.drop();
			else this.keep(line, line.length, true);
		}
		this.schedule();
	}

	private drop(): void {
		this.dropped++;
		this.gap++;
	}

	/** Queues a piece (with a newline after it when `newline`), after the marker of a gap before it. */
	private keep(piece: string | Buffer, bytes: number, newline: boolean): void {
		if (this.gap > 0) {
			const marker = `${droppedMarker(this.gap)}\n`;
			this.pending.push(marker);
			this.pendingBytes += marker.length;
			this.gap = 0;
		}
		this.pending.push(piece);
		this.pendingBytes += bytes;
		if (newline) {
			this.pending.push('\n');
			this.pendingBytes++;
		}
	}

	/**
	 * NDJSON bytes (whole lines, each ending in a newline), kept as they are when the whole batch
	 * fits. The rule is writeLines': a line is kept while what is buffered before it is at most
	 * maxBuffered, so the batch is kept whole when what comes before its last line is.
	 */
	writeNdjson(ndjson: Buffer): void {
		if (this.closed || ndjson.length === 0) return;
		const lastLineStart = ndjson.length < 2 ? 0 : ndjson.lastIndexOf(NEWLINE, ndjson.length - 2) + 1;
		if (this.pendingBytes + lastLineStart <= this.maxBuffered) this.keep(ndjson, ndjson.length, false);
		else {
			for (let start = 0; start < ndjson.length;) {
				const end = ndjson.indexOf(NEWLINE, start) + 1 || ndjson.length;
				if (this.pendingBytes > this.maxBuffered) this.drop();
				else this.keep(ndjson.subarray(start, end), end - start, false);
				start = end;
			}
		}
		this.schedule();
	}

	private schedule(): void {
		if (this.scheduled || this.waitingForDrain) return;
		this.scheduled = true;
		setImmediate(() => this.flush());
	}

	private flush(): void {
		this.scheduled = false;
		if (this.closed || this.pending.length === 0 || this.waitingForDrain) return;
		const text = this.pending.length === 1 ? this.pending[0] : joinPieces(this.pending);
		this.pending = [];
		this.pendingBytes = 0;
		let ok: boolean;
		this.inFlight++;
		try {
			ok = this.stream.write(text, (error) => this.written(error));
		} catch (error) {
			this.inFlight--;
			this.close(error as Error);
			return;
		}
		if (!ok) {
			this.waitingForDrain = true;
			this.stream.once('drain', () => {
				this.waitingForDrain = false;
				this.flush();
			});
		}
	}

	/** A write's callback: a failed write stops writing (the stream's 'error' may come too, or not). */
	private written(error: Error | null | undefined): void {
		this.inFlight--;
		if (error) this.close(error);
		if (this.inFlight === 0) this.release();
	}

	/**
	 * Resolves once everything written so far (and the marker of a last gap) has been written by the
	 * stream, or writing has stopped: a fault in these last writes reaches `onClosed` before this
	 * resolves.
	 */
	async end(): Promise<void> {
		if (this.gap > 0 && !this.closed) {
			this.pending.push(`${droppedMarker(this.gap)}\n`);
			this.gap = 0;
		}
		this.waitingForDrain = false;
		this.flush();
		if (this.closed || this.inFlight === 0) return;
		await new Promise<void>((resolve) => this.settled.push(resolve));
	}

	private release(): void {
		const settled = this.settled;
		this.settled = [];
		for (const resolve of settled) resolve();
	}

	private close(error: Error): void {
		if (this.closed) return;
		this.closed = true;
		this.pending = [];
		this.onClosed(isReaderGone(error) ? undefined : error);
		this.release();
	}
}

/** One chunk for one write: the strings joined, or everything as bytes when any piece is bytes. */
function joinPieces(pieces: ReadonlyArray<string | Buffer>): string | Buffer {
	if (pieces.every((piece) => typeof piece === 'string')) return pieces.join('');
	return Buffer.concat(pieces.map((piece) => (typeof piece === 'string' ? Buffer.from(piece) : piece)));
}
