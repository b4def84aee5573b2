/**
 * Fuzzy search over event records (fuse.js) by summary, tool, type and short session. Pure: no timers, no I/O. The index is kept in step
 * with the event list by `add` (new events) and `dropOldest` (events that left the buffer); it
 * rebuilds itself only when a quarter of its documents are gone, so the cost per event
 * stays constant.
 */
import Fuse, {type FuseOptionKey, type IFuseOptions, type RangeTuple} from 'fuse.js';
import type {EventRecord} from './record.js';

export type Range = readonly [start: number, end: number];

/** One hit: where the query matched in the summary (inclusive ranges, for highlighting). */
export interface SearchHit {
	summaryRanges: readonly Range[];
	score: number;
}

export type SearchHits = Map<EventRecord, SearchHit>;

/** Session ids are searched by their short form as well as in full. */
export function shortSession(session: string | null): string {
	return session ? session.slice(0, 8) : '';
}

/** What is searched: one string per event (one fuzzy match per event instead of one per key; docs/performance.md). The summary comes first, so match positions below its length are positions in the summary. */
export function searchText(record: EventRecord): string {
	return `${record.summary}  ${record.tool ?? ''}  ${record.type}  ${shortSession(record.session)}`;
}

const keys: Array<FuseOptionKey<EventRecord>> = [{name: 'text', getFn: searchText}];

export const searchOptions: IFuseOptions<EventRecord> = {
	keys,
	ignoreLocation: true,
	// 0.2: about one typo in five characters; looser thresholds match most of a busy log.
	threshold: 0.2,
	includeMatches: true,
	includeScore: true,
	minMatchCharLength: 2,
	shouldSort: false,
};

function hitsFrom(results: ReturnType<Fuse<EventRecord>['search']>): SearchHits {
	const hits: SearchHits = new Map();
	for (const result of results) {
		const ranges: Range[] = [];
		const summaryLength = result.item.summary.length;
		for (const match of result.matches ?? []) {
			for (const [start, end] of match.indices as readonly RangeTuple[]) {
				if (start < summaryLength) ranges.push([start, Math.min(end, summaryLength - 1)]);
			}
		}
		ranges.sort((a, b) => a[0] - b[0]);
		hits.set(result.item, {summaryRanges: ranges, score: result.score ?? 0});
	}
	return hits;
}

/** Searches a small list without a kept index (e.g. a batch of new events while a search is active). */
export function searchAmong(records: readonly EventRecord[], query: string): SearchHits {
	const q = query.trim();
	if (q === '' || records.length === 0) return new Map();
	return hitsFrom(new Fuse(records, searchOptions).search(q));
}

export class SearchIndex {
	private docs: EventRecord[] = [];
	private fuse = new Fuse<EventRecord>(this.docs, searchOptions, Fuse.createIndex(keys, []));
	/** Documents at the front of `docs` that have left the event list but are still indexed. */
	private stale = 0;

	get size(): number {
		return this.docs.length - this.stale;
	}

	add(records: readonly EventRecord[]): void {
		for (const record of records) this.fuse.add(record);
	}

	/** The `n` oldest documents left the event list. */
	dropOldest(n: number): void {
		this.stale = Math.min(this.docs.length, this.stale + n);
		// A rebuild walks every document, so it is done rarely: once a quarter is stale, which keeps searches near live size.
		if (this.stale > 1024 && this.stale * 4 > this.docs.length) this.rebuild();
	}

	clear(): void {
		this.docs = [];
		this.stale = 0;
		this.fuse = new Fuse<EventRecord>(this.docs, searchOptions, Fuse.createIndex(keys, []));
	}

	/** Hits among the live documents. The caller decides order (the list keeps time order). */
	search(query: string): SearchHits {
		const q = query.trim();
		if (q === '') return new Map();
		const hits = hitsFrom(this.fuse.search(q));
		if (this.stale > 0) {
			for (let i = 0; i < this.stale; i++) hits.delete(this.docs[i]);
		}
		return hits;
	}

	private rebuild(): void {
		const live = this.docs.slice(this.stale);
		this.docs = live;
		this.stale = 0;
		this.fuse = new Fuse<EventRecord>(live, searchOptions, Fuse.createIndex(keys, live));
	}
}
