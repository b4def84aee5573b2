/**
 * Follows the Claude Code transcripts that local hook events name and turns their usage into
 * `transcript.usage` records (docs/protocol.md), ingested through the pipeline like any event.
 *
 * - Which files: `noteHookRecords` is given the records of hook events a forwarder on this
 *   machine sent (POST /api/events from a loopback address, or the local spool); their
 *   `transcript_path` (and a subagent's file next to it) is followed when transcript-paths.ts's
 *   rule takes it. Nothing else names a file.
 * - From where: a file that is there when first named is read from its end (from its start with
 *   `--transcripts-from-start`); one that is not there yet, or a new session's (SessionStart
 *   `startup`/`clear`) or a new subagent's (SubagentStart), from its start. A file dropped while
 *   idle and named again resumes where it was left when it is the same file.
 * - How: a timer every `pollMs` while the session is active (a hook event within `idleMs`); each
 *   step opens the file, reads chunks of at most `chunkBytes` from where it was (each read async,
 *   each chunk's lines handled at once) for at most 10 ms, and closes it; a backlog is read step
 *   after step, each in its own pass, so requests are answered in between. A partial last line waits for its newline; a line over `maxLineBytes` is skipped
 *   (and counted) without being held. A file that shrank was truncated, one with another inode
 *   was replaced (rotated): either is read again from 0. A file that is gone is dropped.
 * - Memory: the read buffer, at most one partial line per file, the last `maxKeys` keys per
 *   session, at most `maxFiles` files; records waiting for a journal that cannot write are
 *   bounded too (the oldest dropped, counted).
 * Never throws into its caller; a failing step is logged and the file tried again next time.
 */
import type {TranscriptStats} from '../core/wire.js';
import {createHash} from 'node:crypto';
import type {EventRecord} from '../core/record.js';
import {
	parseTranscriptLine,
	TranscriptUsageDeduper,
	type UsageReport,
} from '../core/usage/transcript-usage.js';
import {priceOf, type PriceIndex} from '../core/usage/prices.js';
import {
	checkTranscriptPath,
	isSubagentTranscriptOf,
	openChecked,
	subagentTranscriptPath,
} from './transcript-paths.js';
import type {IngestResult} from './types.js';

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

interface Followed {
	path: string;
	session: string;
	agentId: string | null;
	agentType: string | null;
	cwd: string | null;
	/** `new`: not checked yet; `waiting`: not there yet; `reading`: checked, being followed. */
	state: 'new' | 'waiting' | 'reading';
	/** Read from 0 when it is first checked (or when it appears). */
	fromZero: boolean;
	ino: number;
	dev: number;
	offset: number;
	/** Bytes of a line whose newline has not come yet. */
	partial: Buffer[];
	partialBytes: number;
	/** Inside a line over the cap: everything up to its newline is skipped. */
	skipping: boolean;
	lastActive: number;
	/** Read to its end once more, then dropped (SessionEnd, SubagentStop). */
	ending: boolean;
	/** More bytes than one step read were there. */
	backlog: boolean;
}

interface SessionState {
	deduper: TranscriptUsageDeduper;
	files: Set<string>;
}

const USAGE_MARK = Buffer.from('"usage"');
const NEWLINE = 10;
const MAX_OUTBOX = 10_000;
/** How long one file's step goes on reading chunks before it lets the next turn come. */
const STEP_MS = 10;
const MAX_RESUME = 256;
const MAX_REFUSED = 1024;
/** A refused path is checked again after this long (it may have been fixed). */
const REFUSED_RECHECK_MS = 60_000;

function stringField(payload: Record<string, unknown>, key: string): string | null {
	const v = Object.hasOwn(payload, key) ? payload[key] : undefined;
	return typeof v === 'string' && v !== '' ? v : null;
}

function count(n: number): string {
	return n.toLocaleString('en-US');
}

export class TranscriptFollower {
	private readonly files = new Map<string, Followed>();
	private readonly sessions = new Map<string, SessionState>();
	/** Where dropped files were left: path → inode and offset. */
	private readonly resume = new Map<string, {ino: number; dev: number; offset: number}>();
	private readonly refused = new Map<string, number>();
	private readonly outbox: unknown[] = [];
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
	private readonly counts: Omit<
		TranscriptStats,
		'files' | 'waiting' | 'duplicates' | 'sidechainReplays' | 'revisions'
	> & {duplicatesGone: number; replaysGone: number; revisionsGone: number} = {
		records: 0,
		bytes: 0,
		lines: 0,
		skipped: {},
		overCap: 0,
		truncated: 0,
		rotated: 0,
		vanished: 0,
		refused: 0,
		dropped: 0,
		duplicatesGone: 0,
		replaysGone: 0,
		revisionsGone: 0,
	};

	constructor(private readonly options: TranscriptFollowerOptions) {
		this.pollMs = options.pollMs ?? 1000;
		this.settleMs = options.settleMs ?? 2000;
		this.idleMs = options.idleMs ?? 10 * 60_000;
		this.maxLineBytes = options.maxLineBytes ?? 2 * 1024 * 1024;
		this.maxFiles = options.maxFiles ?? 256;
		this.maxKeys = options.maxKeys ?? 4096;
		this.now = options.now ?? Date.now;
		this.buffer = Buffer.allocUnsafe(options.chunkBytes ?? 256 * 1024);
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
		const session = record.session;
		const payload = record.payload;
		const main = stringField(payload, 'transcript_path');
		if (session === null || main === null) return;
		const now = this.now();
		const type = record.type;
		const source = stringField(payload, 'source');
		this.follow(
			main,
			session,
			null,
			null,
			record.cwd,
			now,
			type === 'SessionStart' && (source === 'startup' || source === 'clear'),
		);
		if (record.agentId !== null) {
			const sub = subagentTranscriptPath(main, record.agentId);
			if (sub !== null)
				this.follow(
					sub,
					session,
					record.agentId,
					record.agentType,
					record.cwd,
					now,
					type === 'SubagentStart',
				);
		}
		if (type === 'SubagentStop') {
			const given = stringField(payload, 'agent_transcript_path');
			if (given !== null && isSubagentTranscriptOf(given, main)) {
				const file = this.follow(given, session, record.agentId, record.agentType, record.cwd, now, false);
				if (file) file.ending = true;
			}
		}
		if (type === 'SessionEnd') {
			for (const path of this.sessions.get(session)?.files ?? []) {
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
		const file: Followed = {
			path,
			session,
			agentId,
			agentType,
			cwd,
			state: 'new',
			fromZero,
			ino: 0,
			dev: 0,
			offset: 0,
			partial: [],
			partialBytes: 0,
			skipping: false,
			lastActive: now,
			ending: false,
			backlog: false,
		};
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
				this.addGone(state.deduper);
				this.sessions.delete(file.session);
			}
		}
		if (keepPlace && file.state === 'reading') {
			this.resume.delete(file.path);
			this.resume.set(file.path, {ino: file.ino, dev: file.dev, offset: file.offset - file.partialBytes});
			if (this.resume.size > MAX_RESUME) this.resume.delete(this.resume.keys().next().value!);
		}
	}

	private addGone(deduper: TranscriptUsageDeduper): void {
		this.counts.duplicatesGone += deduper.counts.duplicates;
		this.counts.replaysGone += deduper.counts.sidechainReplays;
		this.counts.revisionsGone += deduper.counts.revisions;
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
		this.retryOutbox();
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
				this.addGone(state.deduper);
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
				this.resetLine(file);
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
		this.resetLine(file);
		file.ino = check.ino;
		file.dev = check.dev;
		file.offset = 0;
		file.backlog = check.size > 0;
	}

	private resetLine(file: Followed): void {
		file.partial = [];
		file.partialBytes = 0;
		file.skipping = false;
	}

	/** Splits the bytes read into lines; a partial last line is kept (copied) until its newline comes. */
	private consume(file: Followed, bytes: Buffer): void {
		let start = 0;
		while (start < bytes.length) {
			const end = bytes.indexOf(NEWLINE, start);
			if (end === -1) {
				if (!file.skipping) {
					file.partialBytes += bytes.length - start;
					if (file.partialBytes > this.maxLineBytes) {
						this.counts.overCap++;
						this.resetLine(file);
						file.skipping = true;
					} else file.partial.push(Buffer.from(bytes.subarray(start)));
				}
				return;
			}
			if (file.skipping) file.skipping = false;
			else if (file.partial.length > 0) {
				const length = file.partialBytes + end - start;
				if (length > this.maxLineBytes) this.counts.overCap++;
				else this.line(file, Buffer.concat([...file.partial, bytes.subarray(start, end)]));
				this.resetLine(file);
			} else if (end - start > this.maxLineBytes) this.counts.overCap++;
			else this.line(file, bytes.subarray(start, end));
			start = end + 1;
		}
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

	private report(reports: UsageReport[]): void {
		if (reports.length === 0) return;
		for (const report of reports) {
			const file = this.files.get(report.stream);
			const session = file?.session ?? report.usage.sessionId;
			if (session === null) continue;
			this.outbox.push(this.record(report, session, file));
		}
		this.retryOutbox();
	}

	private record(report: UsageReport, session: string, file: Followed | undefined): Record<string, unknown> {
		const {usage} = report;
		const price = priceOf(usage, this.options.prices);
		const cacheWrite = usage.cacheCreationTokens;
		const summary = `${usage.model ?? 'no model'}  ${count(usage.inputTokens)} in · ${count(usage.outputTokens)} out · ${count(usage.cacheReadTokens)} cache read · ${count(cacheWrite)} cache write · ${price.usd === null ? 'no $' : `$${price.usd.toFixed(4)}`}`;
		return {
			id: recordId(session, usage.messageId, usage.requestId, report.revision),
			time: usage.timestamp,
			type: 'transcript.usage',
			session,
			tool: null,
			toolUseId: null,
			agentId: file?.agentId ?? null,
			agentType: file?.agentType ?? null,
			cwd: file?.cwd ?? null,
			summary,
			source: 'transcript',
			payload: {
				requestId: usage.requestId,
				messageId: usage.messageId,
				model: usage.model,
				inputTokens: usage.inputTokens,
				outputTokens: usage.outputTokens,
				cacheCreationTokens: usage.cacheCreationTokens,
				cacheCreation5mTokens: usage.cacheCreation5mTokens,
				cacheCreation1hTokens: usage.cacheCreation1hTokens,
				cacheReadTokens: usage.cacheReadTokens,
				costUSD: price.usd,
				costSource: price.source,
				...(price.usd === null ? {costNote: price.reason} : {}),
				...(price.source === 'priced here'
					? {pricedAs: price.model, priceTier: price.tier, pricesDate: price.tableDate}
					: {}),
				speed: usage.speed,
				isSidechain: usage.isSidechain,
				promptId: usage.promptId,
				sessionId: usage.sessionId,
				revision: report.revision,
				replaces: report.replaces
					? recordId(session, report.replaces.messageId, report.replaces.requestId, report.replaces.revision)
					: null,
				transcriptPath: report.stream,
			},
		};
	}

	/** Hands the waiting records to the pipeline; kept (bounded) while the journal cannot write. */
	private retryOutbox(): void {
		if (this.outbox.length === 0) return;
		const result = this.options.ingest(this.outbox);
		if (result.fault) {
			if (this.outbox.length > MAX_OUTBOX) {
				const extra = this.outbox.length - MAX_OUTBOX;
				this.outbox.splice(0, extra);
				this.counts.dropped += extra;
			}
			return;
		}
		this.counts.records += result.accepted;
		for (const rejected of result.rejected.slice(0, 3))
			this.options.log(`transcripts: a usage record was refused: ${rejected.error}`);
		this.outbox.length = 0;
	}

	stats(): TranscriptStats {
		let waiting = 0;
		for (const file of this.files.values()) if (file.state !== 'reading') waiting++;
		const live = {duplicates: 0, sidechainReplays: 0, revisions: 0};
		for (const state of this.sessions.values()) {
			live.duplicates += state.deduper.counts.duplicates;
			live.sidechainReplays += state.deduper.counts.sidechainReplays;
			live.revisions += state.deduper.counts.revisions;
		}
		const {duplicatesGone, replaysGone, revisionsGone, ...rest} = this.counts;
		return {
			...rest,
			skipped: {...rest.skipped},
			files: this.files.size - waiting,
			waiting,
			duplicates: duplicatesGone + live.duplicates,
			sidechainReplays: replaysGone + live.sidechainReplays,
			revisions: revisionsGone + live.revisions,
		};
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

/** The same request in the same session gets the same id, so a file read again is deduplicated by the pipeline's ids. */
export function recordId(
	session: string,
	messageId: string,
	requestId: string | null,
	revision: number,
): string {
	const hash = createHash('sha256')
		.update(`${session}\u0000${messageId}\u0000${requestId ?? ''}`)
		.digest('hex')
		.slice(0, 32);
	return `tx-${hash}-${revision}`;
}
