/**
 * Follows the Claude Code transcripts that local hook events name and turns their usage into
 * `transcript.usage` records (docs/protocol.md), ingested through the pipeline like any event.
 *
 * - Which files: `noteHookRecords` is given the records of hook events a forwarder on this
 *   machine sent (POST /api/events from a loopback address, or the local spool); the transcripts
 *   they name (transcript-named.ts) are followed when transcript-paths.ts's rule takes them.
 *   Nothing else names a file.
 * - From where: a file that is there when first named is read from its end (from its start with
 *   `--transcripts-from-start`); one that is not there yet, or a new session's (SessionStart
 *   `startup`/`clear`) or a new subagent's (SubagentStart), from its start. A file dropped while
 *   idle and named again resumes where it was left when it is the same file.
 * - How: a timer every `pollMs` while the session is active (a hook event within `idleMs`); each
 *   step opens the file, reads chunks of at most `chunkBytes` from where it was (each read async,
 *   each chunk's lines handled at once) for at most 10 ms, and closes it; a backlog is read step
 *   after step, each in its own pass, so requests are answered in between. A partial last line
 *   waits for its newline; a line over `maxLineBytes` is skipped (and counted) without being held
 *   (transcript-followed.ts). A file that shrank was truncated, one with another inode was
 *   replaced (rotated): either is read again from 0. A file that is gone is dropped.
 * - Memory: the read buffer, at most one partial line per file, the last `maxKeys` keys per
 *   session, at most `maxFiles` files; records waiting for a journal that cannot write are
 *   bounded too (the oldest dropped, counted: transcript-usage-records.ts).
 * Never throws into its caller; a failing step is logged and the file tried again next time.
 */
import type {TranscriptStats} from '../core/wire.js';
import type {EventRecord} from '../core/record.js';
import {
	parseTranscriptLine,
	TranscriptUsageDeduper,
	type UsageReport,
} from '../core/usage/transcript-usage.js';
import type {PriceIndex} from '../core/usage/prices.js';
import {checkTranscriptPath, openChecked} from './transcript-paths.js';
import type {IngestResult} from './types.js';
import {addGone, newCounts, statsOf} from './transcript-counts.js';
import {newFollowed, resetLine, splitLines, type Followed} from './transcript-followed.js';
import {transcriptsNamed} from './transcript-named.js';
import {UsageOutbox} from './transcript-usage-records.js';

export interface TranscriptFollowerOptions {
	/** Real paths of the folders transcripts may be in (transcript-paths.ts). */
	roots: string[];
	fromStart: boolean;
	prices: PriceIndex;
	/** Ingests the records (the pipeline's `ingestValues`). */
	ingest(values: unknown[]): IngestResult;
	log(line: string): void;
	pollMs?: number;
	/** A response's last copy is reported once no copy has come for this long. */
	settleMs?: number;
	/** A session without a hook event for this long is no longer polled. */
	idleMs?: number;
	chunkBytes?: number;
	maxLineBytes?: number;
	maxFiles?: number;
	/** Keys remembered per session for deduplication. */
	maxKeys?: number;
	now?: () => number;
}

interface SessionState {
	deduper: TranscriptUsageDeduper;
	files: Set<string>;
}

const USAGE_MARK = Buffer.from('"usage"');
/** How long one file's step goes on reading chunks before it lets the next turn come. */
const STEP_MS = 10;
const MAX_RESUME = 256;
const MAX_REFUSED = 1024;
/** A refused path is checked again after this long (it may have been fixed). */
const REFUSED_RECHECK_MS = 60_000;

export class TranscriptFollower {
	private readonly files = new Map<string, Followed>();
	private readonly sessions = new Map<string, SessionState>();
	/** Where dropped files were left: path → inode and offset. */
	private readonly resume = new Map<string, {ino: number; dev: number; offset: number}>();
	private readonly refused = new Map<string, number>();
	private readonly outbox: UsageOutbox;
	private readonly buffer: Buffer;
	private readonly pollMs: number;
	private readonly settleMs: number;
	private readonly idleMs: number;
	private readonly maxLineBytes: number;
	private readonly maxFiles: number;
	private readonly maxKeys: number;
	private readonly now: () => number;
	private timer: NodeJS.Timeout | undefined;
	private soon: NodeJS.Immediate | undefined;
	private running: Promise<void> | undefined;
	private closed = false;
	private readonly counts = newCounts();

	constructor(private readonly options: TranscriptFollowerOptions) {
		this.pollMs = options.pollMs ?? 1000;
		this.settleMs = options.settleMs ?? 2000;
		this.idleMs = options.idleMs ?? 10 * 60_000;
		this.maxLineBytes = options.maxLineBytes ?? 2 * 1024 * 1024;
		this.maxFiles = options.maxFiles ?? 256;
		this.maxKeys = options.maxKeys ?? 4096;
		this.now = options.now ?? Date.now;
		this.buffer = Buffer.allocUnsafe(options.chunkBytes ?? 256 * 1024);
		this.outbox = new UsageOutbox(options.prices, options.ingest, options.log, this.counts);
	}

	/** Records of accepted hook events from this machine: the transcripts they name are followed. */
	noteHookRecords(records: readonly EventRecord[]): void {
		if (this.closed) return;
		for (const record of records) {
			try {
				this.note(record);
			} catch (error) {
				this.options.log(
					`transcripts: internal error on a hook event: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
				);
			}
		}
		if (this.files.size > 0) this.start();
	}

	private note(record: EventRecord): void {
		const named = transcriptsNamed(record);
		if (record.session === null || named.length === 0) return;
		const now = this.now();
		for (const one of named) {
			const file = this.follow(
				one.path,
				record.session,
				one.agentId,
				one.agentType,
				record.cwd,
				now,
				one.fromZero,
			);
			if (file && one.ending) file.ending = true;
		}
		if (record.type === 'SessionEnd') {
			for (const path of this.sessions.get(record.session)?.files ?? []) {
				const file = this.files.get(path);
				if (file) file.ending = true;
			}
		}
	}

	private follow(
		path: string,
		session: string,
		agentId: string | null,
		agentType: string | null,
		cwd: string | null,
		now: number,
		fromZero: boolean,
	): Followed | undefined {
		const known = this.files.get(path);
		if (known) {
			known.lastActive = now;
			if (agentType !== null) known.agentType = agentType;
			return known;
		}
		const refusedAt = this.refused.get(path);
		if (refusedAt !== undefined && now - refusedAt < REFUSED_RECHECK_MS) return undefined;
		if (this.files.size >= this.maxFiles) this.evictOldest();
		const file = newFollowed(path, session, agentId, agentType, cwd, now, fromZero);
		this.files.set(path, file);
		let state = this.sessions.get(session);
		if (!state) {
			state = {deduper: new TranscriptUsageDeduper(this.maxKeys), files: new Set()};
			this.sessions.set(session, state);
		}
		state.files.add(path);
		return file;
	}

	private evictOldest(): void {
		let oldest: Followed | undefined;
		for (const file of this.files.values()) if (!oldest || file.lastActive < oldest.lastActive) oldest = file;
		if (oldest) this.drop(oldest, true);
	}

	/** Stops following `file`: what it holds is reported; where it was is kept for a later resume. */
	private drop(file: Followed, keepPlace: boolean): void {
		const state = this.sessions.get(file.session);
		// Reported while the file is still known, so that its records name its agent.
		if (state) this.report(state.deduper.flush(file.path));
		this.files.delete(file.path);
		if (state) {
			state.files.delete(file.path);
			if (state.files.size === 0 && state.deduper.holding === 0) {
				addGone(this.counts, state.deduper);
				this.sessions.delete(file.session);
			}
		}
		if (keepPlace && file.state === 'reading') {
			this.resume.delete(file.path);
			this.resume.set(file.path, {ino: file.ino, dev: file.dev, offset: file.offset - file.partialBytes});
			if (this.resume.size > MAX_RESUME) this.resume.delete(this.resume.keys().next().value!);
		}
	}

	private start(): void {
		if (this.timer || this.closed) return;
		this.timer = setInterval(() => this.kick(), this.pollMs);
		this.timer.unref();
		this.kick();
	}

	/** Runs a pass now unless one is running. */
	private kick(): void {
		if (this.running || this.closed) return;
		this.running = this.pass()
			.catch((error) =>
				this.options.log(
					`transcripts: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
				),
			)
			.finally(() => {
				this.running = undefined;
				if (this.closed) return;
				// A backlog is read on in the next turn of the event loop, not at the next tick.
				if ([...this.files.values()].some((f) => f.backlog)) {
					this.soon = setImmediate(() => {
						this.soon = undefined;
						this.kick();
					});
				} else if (
					this.files.size === 0 &&
					this.sessions.size === 0 &&
					this.outbox.length === 0 &&
					this.timer
				) {
					clearInterval(this.timer);
					this.timer = undefined;
				}
			});
	}

	/** One step for every active file, then the settled reports and the idle files. */
	private async pass(): Promise<void> {
		this.outbox.retry();
		for (const file of [...this.files.values()]) {
			if (this.closed) return;
			if (this.files.get(file.path) !== file) continue;
			const now = this.now();
			if (!file.ending && now - file.lastActive > this.idleMs) {
				this.drop(file, true);
				continue;
			}
			try {
				await this.step(file);
			} catch (error) {
				file.backlog = false;
				this.options.log(
					`transcripts: reading ${file.path} failed, tried again later: ${error instanceof Error ? error.message : String(error)}`,
				);
			}
			if (file.ending && !file.backlog && this.files.get(file.path) === file) this.drop(file, false);
		}
		const now = this.now();
		for (const [session, state] of this.sessions) {
			this.report(state.deduper.due(now, this.settleMs));
			if (state.files.size === 0 && state.deduper.holding === 0) {
				addGone(this.counts, state.deduper);
				this.sessions.delete(session);
			}
		}
	}

	private async step(file: Followed): Promise<void> {
		file.backlog = false;
		if (file.state !== 'reading') {
			const check = await checkTranscriptPath(file.path, this.options.roots);
			if (this.files.get(file.path) !== file) return;
			if (!check.ok) {
				if (check.missing) {
					// Not there yet: whatever it gets was written after it was named.
					file.state = 'waiting';
					file.fromZero = true;
					if (file.ending) this.drop(file, false);
					return;
				}
				this.counts.refused++;
				this.refused.set(file.path, this.now());
				if (this.refused.size > MAX_REFUSED) this.refused.delete(this.refused.keys().next().value!);
				this.options.log(`transcripts: not reading ${file.path}: ${check.reason}`);
				this.drop(file, false);
				return;
			}
			const resume = this.resume.get(file.path);
			this.resume.delete(file.path);
			file.state = 'reading';
			file.ino = check.ino;
			file.dev = check.dev;
			if (file.fromZero || this.options.fromStart) file.offset = 0;
			else if (resume && resume.ino === check.ino && resume.dev === check.dev && resume.offset <= check.size)
				file.offset = resume.offset;
			else file.offset = check.size;
		}
		const opened = await openChecked(file.path, file);
		if ('reason' in opened) {
			if (opened.replaced) return this.restart(file, 'rotated');
			const again = await checkTranscriptPath(file.path, this.options.roots);
			if (!again.ok && again.missing) {
				this.counts.vanished++;
				this.drop(file, false);
				return;
			}
			throw new Error(opened.reason);
		}
		const {handle, size} = opened;
		try {
			if (size < file.offset) {
				this.counts.truncated++;
				resetLine(file);
				file.offset = 0;
			}
			// Chunks are read one after another for at most STEP_MS of this turn; the rest waits for the next.
			const began = performance.now();
			while (size > file.offset) {
				const want = Math.min(this.buffer.length, size - file.offset);
				const {bytesRead} = await handle.read(this.buffer, 0, want, file.offset);
				if (this.files.get(file.path) !== file || this.closed) return;
				file.offset += bytesRead;
				this.counts.bytes += bytesRead;
				file.backlog = bytesRead > 0 && file.offset < size;
				this.consume(file, this.buffer.subarray(0, bytesRead));
				if (bytesRead === 0 || performance.now() - began > STEP_MS) break;
			}
		} finally {
			await handle.close().catch(() => {});
		}
	}

	/** The file at the path is another one now: follow it from its start. */
	private async restart(file: Followed, why: 'rotated'): Promise<void> {
		const check = await checkTranscriptPath(file.path, this.options.roots);
		if (this.files.get(file.path) !== file) return;
		if (!check.ok) {
			if (check.missing) this.counts.vanished++;
			else {
				this.counts.refused++;
				this.options.log(`transcripts: not reading ${file.path} any more: ${check.reason}`);
			}
			this.drop(file, false);
			return;
		}
		if (why === 'rotated') this.counts.rotated++;
		resetLine(file);
		file.ino = check.ino;
		file.dev = check.dev;
		file.offset = 0;
		file.backlog = check.size > 0;
	}

	/** Splits the bytes read into lines (transcript-followed.ts splitLines). */
	private consume(file: Followed, bytes: Buffer): void {
		this.counts.overCap += splitLines(file, bytes, this.maxLineBytes, (line) => this.line(file, line));
	}

	private line(file: Followed, bytes: Buffer): void {
		this.counts.lines++;
		// Only lines that mention usage are parsed (as ccusage does): the rest are prompts, tool results…
		if (bytes.indexOf(USAGE_MARK) === -1) return;
		const result = parseTranscriptLine(bytes.toString('utf8'));
		if (result.kind === 'other') return;
		if (result.kind === 'skipped') {
			this.counts.skipped[result.reason] = (this.counts.skipped[result.reason] ?? 0) + 1;
			return;
		}
		const state = this.sessions.get(file.session);
		if (state) this.report(state.deduper.offer(file.path, result.usage, this.now()));
	}

	/** The reports as records, each naming the file it came from while that is followed. */
	private report(reports: UsageReport[]): void {
		this.outbox.add(reports, (stream) => this.files.get(stream));
	}

	stats(): TranscriptStats {
		return statsOf(
			this.counts,
			this.files.values(),
			[...this.sessions.values()].map((state) => state.deduper),
		);
	}

	/** Stops the timer; what is held is reported (while the journal is still open). */
	async close(): Promise<void> {
		if (this.closed) return;
		clearInterval(this.timer);
		if (this.soon) clearImmediate(this.soon);
		const running = this.running;
		this.closed = true;
		await running;
		for (const state of this.sessions.values()) {
			for (const path of state.files) this.report(state.deduper.flush(path));
		}
	}
}
