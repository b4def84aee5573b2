/**
 * The ingest pipeline: parse → normalize → dedupe (the same JSON text within 2 s, or an id
 * already accepted) → seq → history (history.ts) → journal → listeners (broadcast, stdout).
 * Synchronous: when `ingest…` returns, the events are in the history and visible to its queries.
 */
import {randomBytes, randomInt} from 'node:crypto';
import {isAscii, isUtf8} from 'node:buffer';
import type {EventRecord} from '../core/record.js';
import {findInvalidUtf8, parseBody} from '../core/parse-body.js';
import {normalize} from '../core/normalize.js';
import {DEFAULT_MAX_FIELD_BYTES} from '../core/truncate.js';
import {DuplicateWindow, RecentIds} from '../core/dedupe.js';
import type {Journal} from './journal.js';
import {AcceptedBatch} from './accepted-batch.js';
import {History} from './history.js';
import type {IngestResult, RejectedItem} from './types.js';

export interface IngestMeta {
	source: string;
	/** The forwarder's id (`X-Mpm-Id`); items after the first in a batch get `id:index`. */
	id?: string;
	/** Receive time stamped by the forwarder (epoch ms). */
	receivedAt?: number;
}

export interface PipelineOptions {
	capacity: number;
	journal?: Journal | null;
	maxFieldBytes?: number;
	duplicateWindowMs?: number;
	now?: () => number;
	/** Records from a journal replay, oldest first. */
	replayed?: EventRecord[];
	/** Highest seq ever given (from the journal), so seq continues after a restart. */
	lastSeq?: number;
}

/** Called once per accepted batch, in order; the batch's serialized forms are made once and shared. */
export type Listener = (batch: AcceptedBatch) => void;

interface Candidate {
	value: unknown;
	raw: string | undefined;
	index: number;
	/** Where `raw` starts in the body text, when it is a slice of it. */
	at: number | undefined;
}

export class Pipeline {
	readonly history: History;
	private journal: Journal | null;
	private readonly maxFieldBytes: number;
	private readonly now: () => number;
	private readonly window: DuplicateWindow;
	private readonly ids: RecentIds;
	private readonly listeners: Listener[] = [];
	private readonly idPrefix = randomBytes(6).toString('hex');
	private idCounter = 0;
	private seq: number;
	total = 0;
	duplicates = 0;
	rejected = 0;

	constructor(options: PipelineOptions) {
		this.history = new History(options.capacity);
		this.journal = options.journal ?? null;
		this.maxFieldBytes = options.maxFieldBytes ?? DEFAULT_MAX_FIELD_BYTES;
		this.now = options.now ?? Date.now;
		// A per-process seed, so that texts cannot be made up in advance to hash alike.
		this.window = new DuplicateWindow(options.duplicateWindowMs ?? 2000, undefined, randomInt(2 ** 31));
		// RecentIds always remembers at least the newest half of its capacity: here the ring's worth (10k at least).
		this.ids = new RecentIds(2 * Math.max(options.capacity, 10_000));
		this.seq = options.lastSeq ?? 0;
		const replayed = options.replayed ?? [];
		if (replayed.length > 0) this.history.push(new AcceptedBatch(replayed));
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

	/** An HTTP body (or a spooled line): bytes in, result out. Never throws on bad input. */
	ingestBytes(bytes: Buffer, contentType: string | undefined, meta: IngestMeta): IngestResult {
		// ASCII (the usual body) is decoded by a plain copy; anything else must be valid UTF-8.
		if (isAscii(bytes)) return this.ingest(bytes.toString('latin1'), contentType, meta, bytes);
		if (!isUtf8(bytes)) {
			this.rejected++;
			return this.failure(`body is not valid UTF-8 at byte ${findInvalidUtf8(bytes)}`);
		}
		return this.ingest(bytes.toString('utf8'), contentType, meta, undefined);
	}

	ingestText(text: string, contentType: string | undefined, meta: IngestMeta): IngestResult {
		return this.ingest(text, contentType, meta, undefined);
	}

	/** `asciiBytes`: the bytes `text` was decoded from, when they are all ASCII. */
	private ingest(text: string, contentType: string | undefined, meta: IngestMeta, asciiBytes: Buffer | undefined): IngestResult {
		const parsed = parseBody(text, contentType);
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

	/** Values already parsed (Socket.IO ingest, the in-process demo). */
	ingestValues(values: unknown[], meta: IngestMeta): IngestResult {
		return this.accept(
			values.map((value, index) => ({value, raw: undefined, index, at: undefined})),
			[],
			meta,
			undefined,
		);
	}

	private failure(error: string): IngestResult {
		return {accepted: 0, duplicates: 0, lastSeq: this.seq, rejected: [], error, records: []};
	}

	private nextId(): string {
		return `${this.idPrefix}-${(++this.idCounter).toString(36)}`;
	}

	/** `asciiBytes`: the body's bytes when they are all ASCII and every raw text is a slice of the body (at `at`). */
	private accept(candidates: Candidate[], rejected: RejectedItem[], meta: IngestMeta, asciiBytes: Buffer | undefined): IngestResult {
		const now = this.now();
		const receivedAt = new Date(meta.receivedAt ?? now).toISOString();
		const records: EventRecord[] = [];
		/** Per record: JSON text that stands for its payload exactly (the text the payload is the parse of), when there is one. */
		const payloadTexts: Array<string | undefined> = [];
		let duplicates = 0;
		const several = candidates.length + rejected.length > 1;
		const label = candidates.length > 0 && candidates[0].index >= 1 ? 'line' : 'item';
		for (let i = 0; i < candidates.length; i++) {
			const {value, index} = candidates[i];
			const generated = meta.id === undefined;
			const id = generated ? this.nextId() : i === 0 ? meta.id! : `${meta.id}:${index}`;
			const result = normalize(value, {id, receivedAt, source: meta.source}, {maxFieldBytes: this.maxFieldBytes, sourceText: candidates[i].raw});
			if (!result.ok) {
				rejected.push({index, error: several ? `${label} ${index}: ${result.error}` : result.error});
				continue;
			}
			const pending = result.record;
			// An id we just made up cannot have been seen; any other (forwarder, spool, a record's own) is checked.
			const checkId = !generated || pending.id !== id;
			if (checkId && this.ids.has(pending.id)) {
				duplicates++;
				continue;
			}
			const raw = candidates[i].raw ?? JSON.stringify(value);
			// Hashing the body's own bytes spares converting the text back to UTF-8.
			const at = candidates[i].at;
			const duplicate = asciiBytes !== undefined && at !== undefined ? this.window.isDuplicateBytes(asciiBytes, at, at + raw.length, now) : this.window.isDuplicate(raw, now);
			if (duplicate) {
				duplicates++;
				continue;
			}
			if (checkId) this.ids.add(pending.id);
			// Field by field rather than `{seq, ...pending}` (a generic copy, ~10× slower); same keys, same order.
			const record: EventRecord = {
				seq: ++this.seq,
				id: pending.id,
				time: pending.time,
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
			};
			records.push(record);
			payloadTexts.push(!result.truncated && pending.payload === value ? raw : undefined);
		}
		this.total += records.length;
		this.duplicates += duplicates;
		this.rejected += rejected.length;
		if (records.length > 0) {
			const batch = new AcceptedBatch(records, payloadTexts, asciiBytes !== undefined);
			this.history.push(batch);
			// Written before the answer: an accepted event is on disk even if the server is killed next.
			if (this.journal) this.journal.appendBytes(batch.ndjson());
			for (const listener of this.listeners) listener(batch);
		}
		rejected.sort((a, b) => a.index - b.index);
		const out: IngestResult = {accepted: records.length, duplicates, lastSeq: this.seq, rejected, records};
		if (records.length === 0 && duplicates === 0 && rejected.length > 0) {
			out.error = rejected.length === 1 ? rejected[0].error : `none of the ${rejected.length} events was accepted: ${rejected[0].error}`;
		}
		return out;
	}
}
