/**
 * Writes records as NDJSON to a stream (stdout): one write per batch, flushed on the next turn of
 * the event loop, waiting for 'drain' when the reader is slow (at most `maxBuffered` bytes are
 * kept; beyond that lines are dropped and counted). When the reader goes away (EPIPE, as with
 * `| head -n 3`) writing stops and `onClosed` is called once.
 */
import type {Writable} from 'node:stream';

export interface NdjsonWriterOptions {
	onClosed?: (error?: Error) => void;
	maxBuffered?: number;
}

export class NdjsonWriter {
	private readonly stream: Writable;
	private readonly onClosed: (error?: Error) => void;
	private readonly maxBuffered: number;
	private pending: Array<string | Buffer> = [];
	private pendingBytes = 0;
	private scheduled = false;
	private waitingForDrain = false;
	private closed = false;
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

	write(records: readonly unknown[]): void {
		if (this.closed || records.length === 0) return;
		this.writeLines(records.map(record => JSON.stringify(record)));
	}

	/**
	 * Lines already serialized (without their newline). `ndjson` is their NDJSON bytes (each line
	 * followed by a newline) when the caller already has them; a batch that fits in the buffer is
	 * kept as those bytes.
	 */
	writeLines(lines: readonly string[], ndjson?: Buffer): void {
		if (this.closed || lines.length === 0) return;
		// A line is kept while what is buffered before it is at most maxBuffered, so the whole batch
		// is kept when what comes before its last line is (the bytes less that line and its newline;
		// the line's length in UTF-16 units is at most its length in bytes).
		if (ndjson !== undefined && this.pendingBytes + ndjson.length - lines[lines.length - 1].length - 1 <= this.maxBuffered) {
			this.pending.push(ndjson);
			this.pendingBytes += ndjson.length;
		} else {
			for (const line of lines) {
				if (this.pendingBytes > this.maxBuffered) {
					this.dropped++;
					continue;
				}
				this.pending.push(line, '\n');
				this.pendingBytes += line.length + 1;
			}
		}
		if (!this.scheduled && !this.waitingForDrain) {
			this.scheduled = true;
			setImmediate(() => this.flush());
		}
	}

	private flush(): void {
		this.scheduled = false;
		if (this.closed || this.pending.length === 0 || this.waitingForDrain) return;
		const text = this.pending.length === 1 ? this.pending[0] : joinPieces(this.pending);
		this.pending = [];
		this.pendingBytes = 0;
		let ok: boolean;
		try {
			ok = this.stream.write(text);
		} catch (error) {
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

	/** Resolves once everything written so far has been handed to the stream. */
	async end(): Promise<void> {
		this.flush();
		if (this.closed) return;
		await new Promise<void>(resolve => {
			if (this.stream.writableNeedDrain) this.stream.once('drain', () => resolve());
			else resolve();
		});
	}

	private close(error?: Error): void {
		if (this.closed) return;
		this.closed = true;
		this.pending = [];
		this.onClosed(error);
	}
}

/** One chunk for one write: the strings joined, or everything as bytes when any piece is bytes. */
function joinPieces(pieces: ReadonlyArray<string | Buffer>): string | Buffer {
	if (pieces.every(piece => typeof piece === 'string')) return pieces.join('');
	return Buffer.concat(pieces.map(piece => (typeof piece === 'string' ? Buffer.from(piece) : piece)));
}
