/**
 * The TUI's event store, outside React: append-only and bounded, with derived counts and the
 * filtered (and searched) list kept up to date incrementally as events arrive. The UI never
 * reads it directly while rendering; it takes a `snapshot()` when `version` changed.
 */
import {isErrorEvent} from '../../core/errors.js';
import {approxJsonBytes} from '../../core/json-size.js';
import type {EventRecord} from '../../core/record.js';
import {SearchIndex, searchAmong, type SearchHit, type SearchHits} from '../../core/search.js';
import type {ToolCall} from '../../core/views/index.js';
import {RateCounter} from '../../core/rate-counter.js';
import {RecentSet} from '../../core/recent-set.js';
import {ViewFeed, type ViewsSnapshot} from './views-feed.js';

export type Predicate = (record: EventRecord) => boolean;

export type LinkStatus =
	'starting' | 'hosting' | 'connecting' | 'connected' | 'reconnecting' | 'unauthorized' | 'closed' | 'replay';

export interface LinkInfo {
	status: LinkStatus;
	/** The address shown in the header (the server's URL, or the replay file). */
	address: string;
	attempt: number;
	error?: string;
	/** Text after the address, e.g. `claude-mpm` or `×4`. */
	note?: string;
	/** The kind of server connected to (a claude-mpm monitor is fed by claude-mpm's own hooks, not mpm-tui's). */
	flavor?: 'mpm-tui' | 'claude-mpm';
	/** What the server says needs the user (its `status.problems`: the journal cannot write, …). */
	problems?: readonly string[];
}

export interface StoreSnapshot {
	version: number;
	/** Events received since start (also those that left the bounded buffer). */
	received: number;
	sessions: number;
	errors: number;
	/** Events that arrived in the last minute (history taken at start or on connect is not counted). */
	perMinute: number;
	/** Milliseconds until `perMinute` changes with no new arrival (null: it stays as it is). */
	rateChangesIn: number | null;
	link: LinkInfo;
	/** The filtered, searched list in time order. */
	items: readonly EventRecord[];
	/** How many list items ever entered the list (monotonic; for the "N new" badge). */
	listAppended: number;
	/** How many list items left the front of the list (buffer eviction; monotonic). */
	listDropped: number;
	/** Changes when the list is rebuilt (new filter or search, or cleared). */
	listGeneration: number;
	/** `c` has cleared the view: the tabs show only what arrived since (their empty text says so). */
	cleared: boolean;
	/** Search hits (for highlighting); empty without a search. */
	hits: ReadonlyMap<EventRecord, SearchHit>;
	searching: boolean;
	/** A notice for the footer (export written, replay finished, …). */
	notice: string | null;
	/** The derived views (tools, agents, files, sessions) over the filtered, scoped events. */
	views: ViewsSnapshot;
	/** The event types that arrived (the first SEEN_TYPES_MAX distinct ones): a filter's `type:` is checked against them. */
	types: ReadonlySet<string>;
}

/** Distinct types remembered: types are input, a stream of made-up ones must not grow memory. */
export const SEEN_TYPES_MAX = 1024;

/** Where an event falls in a tool call's life: start, permission, end. */
function callStage(type: string): number {
	if (type === 'PreToolUse') return 0;
	if (type === 'PostToolUse' || type === 'PostToolUseFailure') return 2;
	return 1;
}

export class EventStore {
	version = 0;
	private readonly capacity: number;
	private records: EventRecord[] = [];
	/** Estimated JSON bytes of each record, parallel to `records`, and their sum for the live ones. */
	private sizes: number[] = [];
	private heldBytes = 0;
	private readonly maxBytes: number;
	private head = 0;
	private received = 0;
	private errors = 0;
	private readonly sessions = new Set<string>();
	/** Only grows (up to SEEN_TYPES_MAX), so snapshots share it. */
	private readonly types = new Set<string>();
	private readonly rate = new RateCounter(60);
	private readonly index = new SearchIndex();
	private list: EventRecord[] = [];
	private listHead = 0;
	private listAppended = 0;
	private listDropped = 0;
	private listGeneration = 0;
	private filter: Predicate | null = null;
	private query = '';
	private hits: SearchHits = new Map();
	/** Records before this absolute position are hidden by `c` (clear view). */
	private viewStart = 0;
	private cleared = false;
	private link: LinkInfo = {status: 'starting', address: '', attempt: 0};
	private notice: string | null = null;
	private readonly listeners = new Set<(urgent: boolean) => void>();
	private readonly seen: RecentSet;
	private readonly feed = new ViewFeed();

	/**
	 * `capacity` events at most, and about `maxBytes` of them (as JSON, estimated): the oldest go
	 * first when either bound is passed, so a stream of very large events cannot exhaust memory.
	 */
	constructor(capacity = 10_000, maxBytes = Number.POSITIVE_INFINITY) {
		this.capacity = Math.max(1, capacity);
		// Ids are remembered for twice the events kept, so a late repeat of a dropped event is still skipped.
		this.seen = new RecentSet(2 * this.capacity);
		this.maxBytes = maxBytes;
	}

	/** `urgent`: the change answers a user action (query, clear, notice), draw it at once. */
	subscribe(listener: (urgent: boolean) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/**
	 * Adds events in arrival order; a record whose id was already seen is skipped. `arrived`:
	 * they arrived now (counted in the rate); false for history caught up with at start or on
	 * (re)connect, which happened earlier.
	 */
	append(batch: readonly EventRecord[], nowMs: number, arrived = true): void {
		const fresh: EventRecord[] = [];
		for (const record of batch) {
			if (typeof record.id === 'string' && record.id !== '') {
				if (this.seen.has(record.id)) continue;
				this.seen.add(record.id);
			}
			fresh.push(record);
		}
		if (fresh.length === 0) return;
		for (const record of fresh) {
			this.records.push(record);
			const size = approxJsonBytes(record);
			this.sizes.push(size);
			this.heldBytes += size;
			this.received++;
			if (record.session) this.sessions.add(record.session);
			if (this.types.size < SEEN_TYPES_MAX) this.types.add(record.type);
			if (isErrorEvent(record)) this.errors++;
		}
		if (arrived) this.rate.add(nowMs, fresh.length);
		this.index.add(fresh);
		const passing = this.filter ? fresh.filter(this.filter) : fresh;
		this.feed.apply(passing, fresh);
		if (this.query !== '') {
			const newHits = searchAmong(passing, this.query);
			for (const [record, hit] of newHits) this.hits.set(record, hit);
			for (const record of passing) if (newHits.has(record)) this.pushList(record);
		} else {
			for (const record of passing) this.pushList(record);
		}
		this.evict();
		this.bump();
	}

	/** Filter and search for the list; `null`/'' switch them off. Rebuilds the list once. */
	setQuery(filter: Predicate | null, search: string): void {
		const refeed = filter !== this.filter;
		this.filter = filter;
		// The filter (with the session scope) selects what feeds the views: rebuild them once.
		if (refeed) this.feed.rebuild(this.visible(filter));
		this.query = search.trim();
		this.hits = this.query === '' ? new Map() : this.index.search(this.query);
		this.list = [];
		this.listHead = 0;
		for (let i = Math.max(this.head, this.viewStart - this.shift); i < this.records.length; i++) {
			const record = this.records[i];
			if (this.filter && !this.filter(record)) continue;
			if (this.query !== '' && !this.hits.has(record)) continue;
			this.list.push(record);
		}
		this.listAppended = this.list.length;
		this.listDropped = 0;
		this.listGeneration++;
		this.bump(true);
	}

	/**
	 * `p`: the tabs' views hold still (what arrives waits, up to the events kept) until released;
	 * the list is held by the UI (its shown snapshot), the header's counts stay live.
	 */
	holdViews(held: boolean): void {
		if (held) this.feed.hold(this.capacity);
		else this.feed.release(() => this.visible(this.filter));
		this.bump(true);
	}

	/** `c`: hides what is listed now; new events keep coming (the server's history stays). */
	clearView(): void {
		this.viewStart = this.shift + this.records.length;
		this.cleared = true;
		this.feed.rebuild([]);
		this.list = [];
		this.listHead = 0;
		this.listAppended = 0;
		this.listDropped = 0;
		this.listGeneration++;
		this.bump(true);
	}

	setLink(link: Partial<LinkInfo>): void {
		this.link = {...this.link, ...link};
		this.bump();
	}

	/** The server's `problems` from its `status`; redraws only when they change (status comes every second). */
	setServerProblems(problems: readonly string[]): void {
		const current = this.link.problems ?? [];
		if (current.length === problems.length && current.every((p, i) => p === problems[i])) return;
		this.setLink({problems: [...problems]});
	}

	setNotice(notice: string | null): void {
		this.notice = notice;
		this.bump(true);
	}

	/** Everything now in the list (what `e` exports). */
	listed(): EventRecord[] {
		return this.list.slice(this.listHead);
	}

	get total(): number {
		return this.received;
	}

	/** Whether the views have something running or waiting (the screen should tick each second). */
	live(nowMs: number): boolean {
		return this.feed.snapshot(nowMs, () => []).live();
	}

	/**
	 * The stored records of a tool call — those carrying its `tool_use_id`, and those the views tied
	 * to it (`recordIds`: its PermissionRequest, which names no `tool_use_id`, and the records of a
	 * call reported without one) — in the order they happened: the start, the permission, the end
	 * (even when the end arrived first: a quick call's two events can cross), then by seq.
	 */
	recordsOf(call: ToolCall): EventRecord[] {
		const ids = new Set(call.recordIds);
		if (ids.size === 0 && call.toolUseId === null) return [];
		const out: EventRecord[] = [];
		for (let i = this.head; i < this.records.length; i++) {
			const record = this.records[i];
			if (ids.has(record.id) || (call.toolUseId !== null && record.toolUseId === call.toolUseId))
				out.push(record);
		}
		return out.sort((a, b) => callStage(a.type) - callStage(b.type) || a.seq - b.seq);
	}

	private *visible(filter: Predicate | null): Generator<EventRecord> {
		for (let i = Math.max(this.head, this.viewStart - this.shift); i < this.records.length; i++) {
			const record = this.records[i];
			if (!filter || filter(record)) yield record;
		}
	}

	snapshot(nowMs: number): StoreSnapshot {
		return {
			version: this.version,
			received: this.received,
			sessions: this.sessions.size,
			errors: this.errors,
			perMinute: this.rate.perMinute(nowMs),
			rateChangesIn: this.rate.changesIn(nowMs),
			link: this.link,
			items: this.list.slice(this.listHead),
			listAppended: this.listAppended,
			listDropped: this.listDropped,
			listGeneration: this.listGeneration,
			cleared: this.cleared,
			hits: this.hits,
			searching: this.query !== '',
			notice: this.notice,
			types: this.types,
			views: this.feed.snapshot(nowMs, (call) => this.recordsOf(call)),
		};
	}

	private pushList(record: EventRecord): void {
		this.list.push(record);
		this.listAppended++;
	}

	/** Entries cut off the front of `records` by compaction: `records[i]` is event number `shift + i`. */
	private shift = 0;

	private evict(): void {
		const live = this.records.length - this.head;
		let excess = Math.max(0, live - this.capacity);
		let held = this.heldBytes;
		for (let i = 0; i < excess; i++) held -= this.sizes[this.head + i];
		// Then, while over the byte bound, more of the oldest (the newest always stays).
		while (held > this.maxBytes && excess < live - 1) held -= this.sizes[this.head + excess++];
		if (excess <= 0) return;
		this.heldBytes = held;
		for (let i = 0; i < excess; i++) {
			const record = this.records[this.head + i];
			if (this.listHead < this.list.length && this.list[this.listHead] === record) {
				this.listHead++;
				this.listDropped++;
				this.hits.delete(record);
			}
		}
		this.head += excess;
		this.index.dropOldest(excess);
		if (this.head > 4096 && this.head * 2 > this.records.length) {
			this.records = this.records.slice(this.head);
			this.sizes = this.sizes.slice(this.head);
			this.shift += this.head;
			this.head = 0;
		}
		if (this.listHead > 4096 && this.listHead * 2 > this.list.length) {
			this.list = this.list.slice(this.listHead);
			this.listHead = 0;
		}
	}

	private bump(urgent = false): void {
		this.version++;
		for (const listener of this.listeners) listener(urgent);
	}
}
