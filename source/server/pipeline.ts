/**
 * The ingest pipeline: parse → normalize → dedupe (the same JSON text within 2 s, or an id
 * already accepted) → seq → journal → history (history.ts) → listeners (broadcast, stdout).
 * Synchronous: when `ingest…` returns, the events are in the history and visible to its queries.
 *
 * A call is taken whole or not at all: every candidate is checked first without changing
 * anything; only when the batch is written to the journal are seqs, ids and duplicate keys
 * committed. An item that cannot be read is refused with its reason; an item the pipeline itself
 * fails on (a bug) is refused alone and reported, never thrown; a journal that cannot write
 * refuses the whole call (`fault`), so that the sender keeps it and sends it again.
 */
import {randomBytes} from 'node:crypto';
import {isAscii, isUtf8} from 'node:buffer';
import type {EventRecord, PendingRecord} from '../core/record.js';
import {findInvalidUtf8, MAX_JSON_DEPTH, parseBody, valueProblem} from '../core/parse-body.js';
import {
	normalize,
	type NormalizeLimits,
	type NormalizeMeta,
	type NormalizeResult,
} from '../core/normalize.js';
import {boundRecordFields, DEFAULT_MAX_FIELD_BYTES} from '../core/truncate.js';
import {DuplicateWindow} from '../core/dedupe.js';
import {RecentSet} from '../core/recent-set.js';
import {isEpochMs, MAX_EPOCH_MS} from '../core/limits.js';
import type {Journal} from './journal.js';
import {AcceptedBatch} from './accepted-batch.js';
import {contentKey} from './content-key.js';
import {History} from './history.js';
import type {IngestResult, RejectedItem} from './types.js';

export interface IngestMeta {
	source: string;
	/** The forwarder's id (`X-Mpm-Id`); items after the first in a batch get `id:index`. */
	id?: string;
	/** Receive time stamped by the forwarder (epoch ms). */
	receivedAt?: number;
	/** The request came from this machine's loopback: its paths (a hook's `transcript_path`) are this machine's. */
	local?: boolean;
}

export interface PipelineOptions {
	capacity: number;
	/** Bound on the history's bytes (its NDJSON lines); default unbounded. */
	maxBytes?: number;
	journal?: Journal | null;
	maxFieldBytes?: number;
	duplicateWindowMs?: number;
	now?: () => number;
	/** Records from a journal replay, oldest first. */
	replayed?: EventRecord[];
	/** Highest seq ever given (from the journal), so seq continues after a restart. */
	lastSeq?: number;
	/** Where failures of the pipeline itself (bugs, failing listeners) are reported in full. */
	log?: (line: string) => void;
	/** False in team mode (docs/team.md): the history holds the team's events, read back from Redis, not this one's. */
	keepHistory?: boolean;
}

/** Turns one candidate into a record: `normalize`, or a source's own (the OTLP receiver's). */
export type Convert = (
	value: unknown,
	meta: NormalizeMeta,
	limits: Partial<NormalizeLimits>,
) => NormalizeResult;

/** Called once per accepted batch, in order; the batch's serialized forms are made once and shared. */
export type Listener = (batch: AcceptedBatch) => void;

interface Candidate {
	value: unknown;
	raw: string | undefined;
	index: number;
}

/** A candidate that passed every check, waiting for the batch to be written. */
interface Staged {
	index: number;
	pending: PendingRecord;
	/** JSON text that stands for the payload exactly, when there is one. */
	payloadText: string | undefined;
	/** The id to remember once committed (undefined for an id the server just made up). */
	id: string | undefined;
	/** Its duplicate window key (`contentKey`). */
	key: string;
}

const INTERNAL_ERROR = 'the server could not process this event (an internal error, logged on the server)';

export class Pipeline {
	readonly history: History;
	private journal: Journal | null;
	private readonly maxFieldBytes: number;
	private readonly now: () => number;
	private readonly log: (line: string) => void;
	private readonly window: DuplicateWindow;
	private readonly ids: RecentSet;
	private readonly listeners: Listener[] = [];
	private readonly idPrefix = randomBytes(6).toString('hex');
	private idCounter = 0;
	private seq: number;
	private readonly keepHistory: boolean;
	total = 0;
	duplicates = 0;
	rejected = 0;
	/** Calls refused because the journal could not write. */
	faults = 0;

	constructor(options: PipelineOptions) {
		this.history = new History(options.capacity, options.maxBytes);
		this.journal = options.journal ?? null;
		this.maxFieldBytes = options.maxFieldBytes ?? DEFAULT_MAX_FIELD_BYTES;
		this.now = options.now ?? Date.now;
		this.log = options.log ?? (() => {});
		this.window = new DuplicateWindow(options.duplicateWindowMs ?? 2000);
		// The newest ids accepted: twice the ring's worth (10k at least), so a retry of an event already out of the ring is still known.
		this.ids = new RecentSet(2 * Math.max(options.capacity, 10_000));
		this.seq = options.lastSeq ?? 0;
		this.keepHistory = options.keepHistory ?? true;
		const replayed = options.replayed ?? [];
		if (replayed.length > 0 && this.keepHistory) this.history.push(new AcceptedBatch(replayed));
		for (const record of replayed) this.ids.add(record.id);
	}

	/** Starts writing accepted records to `journal` (the server attaches it once it owns its port). */
	attachJournal(journal: Journal | null): void {
		this.journal = journal;
	}

	get lastSeq(): number {
		return this.seq;
	}

	onAccepted(listener: Listener): void {
		this.listeners.push(listener);
	}

	/** An HTTP body (or a spooled line): bytes in, result out. Never throws. */
	ingestBytes(bytes: Buffer, contentType: string | undefined, meta: IngestMeta): IngestResult {
		// ASCII (the usual body) is decoded by a plain copy; anything else must be valid UTF-8.
		if (isAscii(bytes)) return this.ingest(bytes.toString('latin1'), contentType, meta, bytes);
		if (!isUtf8(bytes)) {
			this.rejected++;
			return this.failure(`body is not valid UTF-8 at byte ${findInvalidUtf8(bytes)}`);
		}
		return this.ingest(bytes.toString('utf8'), contentType, meta, undefined);
	}

	/** A body already decoded. Never throws. */
	ingestText(text: string, contentType: string | undefined, meta: IngestMeta): IngestResult {
		return this.ingest(text, contentType, meta, undefined);
	}

	/** `asciiBytes`: the bytes `text` was decoded from, when they are all ASCII. */
	private ingest(
		text: string,
		contentType: string | undefined,
		meta: IngestMeta,
		asciiBytes: Buffer | undefined,
	): IngestResult {
		let parsed: ReturnType<typeof parseBody>;
		try {
			parsed = parseBody(text, contentType);
		} catch (error) {
			return this.internalFailure('parsing a body', error);
		}
		if (!parsed.ok) {
			this.rejected++;
			return this.failure(parsed.error);
		}
		const candidates: Candidate[] = [];
		const rejected: RejectedItem[] = [];
		for (const item of parsed.items) {
			if (item.ok) candidates.push(item);
			else rejected.push({index: item.index, error: item.error});
		}
		return this.accept(candidates, rejected, meta, parsed.rawIsText ? asciiBytes : undefined);
	}

	/**
	 * Values already parsed (Socket.IO ingest, the in-process demo). Each is held to the same
	 * depth limit as a body before anything walks it, and one holding binary data (a Socket.IO
	 * attachment) is refused: only what JSON text can carry comes in. Never throws.
	 */
	ingestValues(values: unknown[], meta: IngestMeta): IngestResult {
		const candidates: Candidate[] = [];
		const rejected: RejectedItem[] = [];
		for (let index = 0; index < values.length; index++) {
			const value = values[index];
			const problem = valueProblem(value, MAX_JSON_DEPTH);
			if (problem !== null) rejected.push({index, error: problem});
			else candidates.push({value, raw: undefined, index});
		}
		return this.accept(candidates, rejected, meta, undefined);
	}

	/**
	 * Candidates already read by a source of their own (OTLP log records, a metrics fold), made
	 * into records by `convert` instead of `normalize`; `rejected`: the items that source refused,
	 * counted with the rest. Taken whole or not at all, like a body. Never throws.
	 */
	ingestConverted(
		items: Array<{value: unknown; index: number}>,
		rejected: RejectedItem[],
		meta: IngestMeta,
		convert: Convert,
	): IngestResult {
		const candidates: Candidate[] = items.map(({value, index}) => ({
			value,
			raw: undefined,
			index,
		}));
		return this.accept(candidates, [...rejected], meta, undefined, convert);
	}

	private failure(error: string): IngestResult {
		return {accepted: 0, duplicates: 0, lastSeq: this.seq, rejected: [], error, records: []};
	}

	/** A failure of the pipeline itself: logged in full, answered without internals. */
	private internalFailure(what: string, error: unknown): IngestResult {
		this.rejected++;
		this.log(
			`internal error while ${what}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
		);
		return this.failure(INTERNAL_ERROR);
	}

	private nextId(): string {
		return `${this.idPrefix}-${(++this.idCounter).toString(36)}`;
	}

	/** `asciiBytes`: the body's bytes when they are all ASCII and every raw text is a slice of the body. */
	private accept(
		candidates: Candidate[],
		rejected: RejectedItem[],
		meta: IngestMeta,
		asciiBytes: Buffer | undefined,
		convert: Convert = normalize,
	): IngestResult {
		if (meta.receivedAt !== undefined && !isEpochMs(meta.receivedAt)) {
			this.rejected += candidates.length + rejected.length;
			return this.failure(
				`the receive time must be whole epoch milliseconds between 1 and ${MAX_EPOCH_MS}, got ${String(meta.receivedAt).slice(0, 40)}`,
			);
		}
		const now = this.now();
		// The forwarder's stamp (the record's time unless the event has its own), and the server's.
		const received = new Date(now).toISOString();
		const receivedAt = meta.receivedAt === undefined ? received : new Date(meta.receivedAt).toISOString();
		const staged: Staged[] = [];
		let duplicates = 0;
		const several = candidates.length + rejected.length > 1;
		const label = candidates.length > 0 && candidates[0].index >= 1 ? 'line' : 'item';
		// Ids and texts taken earlier in this same batch (nothing is remembered until it is written).
		const batchIds = several ? new Set<string>() : undefined;
		const batchKeys = several ? new Set<string>() : undefined;
		for (let i = 0; i < candidates.length; i++) {
			const candidate = candidates[i];
			try {
				const generated = meta.id === undefined;
				const id = generated ? this.nextId() : i === 0 ? meta.id! : `${meta.id}:${candidate.index}`;
				const result = convert(
					candidate.value,
					{id, receivedAt, received, source: meta.source},
					{maxFieldBytes: this.maxFieldBytes, sourceText: candidate.raw},
				);
				if (!result.ok) {
					rejected.push({
						index: candidate.index,
						error: several ? `${label} ${candidate.index}: ${result.error}` : result.error,
					});
					continue;
				}
				// The record's own fields (type, session, cwd, …) get the payload strings' limit, from every source.
				const pending = boundRecordFields(result.record, this.maxFieldBytes);
				// An id we just made up cannot have been seen; any other (forwarder, spool, a record's own) is checked.
				const checkId = !generated || pending.id !== id;
				if (checkId && (this.ids.has(pending.id) || batchIds?.has(pending.id))) {
					duplicates++;
					continue;
				}
				const raw = candidate.raw ?? JSON.stringify(candidate.value);
				const key = contentKey(raw);
				if (this.window.seen(key, now) || batchKeys?.has(key)) {
					duplicates++;
					continue;
				}
				if (checkId) batchIds?.add(pending.id);
				batchKeys?.add(key);
				staged.push({
					index: candidate.index,
					pending,
					payloadText: !result.truncated && pending.payload === candidate.value ? raw : undefined,
					id: checkId ? pending.id : undefined,
					key,
				});
			} catch (error) {
				this.log(
					`internal error on ${label} ${candidate.index} from ${meta.source}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
				);
				rejected.push({
					index: candidate.index,
					error: several ? `${label} ${candidate.index}: ${INTERNAL_ERROR}` : INTERNAL_ERROR,
				});
			}
		}
		const outcome =
			staged.length > 0
				? this.commit(staged, asciiBytes !== undefined, meta.source, now)
				: {records: [] as EventRecord[]};
		if ('fault' in outcome) {
			this.faults++;
			return {
				accepted: 0,
				duplicates: 0,
				lastSeq: this.seq,
				rejected: [],
				error: outcome.fault.message,
				records: [],
				fault: outcome.fault,
			};
		}
		const records = outcome.records;
		if ('error' in outcome) {
			for (const s of staged)
				rejected.push({
					index: s.index,
					error: several ? `${label} ${s.index}: ${INTERNAL_ERROR}` : INTERNAL_ERROR,
				});
		}
		rejected.sort((a, b) => a.index - b.index);
		this.total += records.length;
		this.duplicates += duplicates;
		this.rejected += rejected.length;
		const out: IngestResult = {accepted: records.length, duplicates, lastSeq: this.seq, rejected, records};
		if (records.length === 0 && duplicates === 0 && rejected.length > 0) {
			out.error =
				rejected.length === 1
					? rejected[0].error
					: `none of the ${rejected.length} events was accepted: ${rejected[0].error}`;
		}
		return out;
	}

	/**
	 * Gives the staged records their seqs, writes them to the journal and, only then, commits them:
	 * ids and duplicate keys remembered, history, listeners.
	 */
	private commit(
		staged: Staged[],
		rawIsAscii: boolean,
		source: string,
		now: number,
	):
		| {records: EventRecord[]}
		| {fault: {code: string; message: string}}
		| {records: EventRecord[]; error: true} {
		const first = this.seq + 1;
		let batch: AcceptedBatch;
		let records: EventRecord[];
		try {
			records = staged.map(({pending}, i) => ({
				// Field by field rather than `{seq, ...pending}`: same keys, same order, one hidden class.
				seq: first + i,
				id: pending.id,
				time: pending.time,
				received: pending.received,
				session: pending.session,
				type: pending.type,
				tool: pending.tool,
				toolUseId: pending.toolUseId,
				agentId: pending.agentId,
				agentType: pending.agentType,
				cwd: pending.cwd,
				summary: pending.summary,
				source: pending.source,
				payload: pending.payload,
			}));
			batch = new AcceptedBatch(
				records,
				staged.map((s) => s.payloadText),
				rawIsAscii,
			);
			batch.ndjson();
		} catch (error) {
			this.log(
				`internal error while encoding ${staged.length} event(s) from ${source}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
			);
			return {records: [], error: true};
		}
		const last = first + records.length - 1;
		// Written before anything is committed or answered: a 2xx means on disk.
		const fault = this.journal?.appendBytes(batch.ndjson(), last) ?? null;
		if (fault) {
			// A partial line that could not be cut back may hold these seqs: never give them again.
			if (!fault.tailClean) this.seq = last;
			return {fault: {code: fault.code, message: fault.message}};
		}
		this.seq = last;
		for (const s of staged) {
			if (s.id !== undefined) this.ids.add(s.id);
			this.window.remember(s.key, now);
		}
		if (this.keepHistory) this.history.push(batch);
		for (const listener of this.listeners) {
			try {
				listener(batch);
			} catch (error) {
				this.log(
					`internal error in a listener of accepted events: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
				);
			}
		}
		return {records};
	}
}
