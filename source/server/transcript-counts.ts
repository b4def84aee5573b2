/**
 * The transcript follower's counts (its part of /health and `server status`: core/wire.ts
 * TranscriptStats): what it read, skipped, refused and ingested; the deduplication counts of the
 * sessions no longer followed are kept here and added to those of the sessions still followed when
 * the stats are asked for.
 */
import type {TranscriptUsageDeduper} from '../core/usage/transcript-usage.js';
import type {TranscriptStats} from '../core/wire.js';

export type FollowerCounts = Omit<
	TranscriptStats,
	'files' | 'waiting' | 'duplicates' | 'sidechainReplays' | 'revisions'
> & {duplicatesGone: number; replaysGone: number; revisionsGone: number};

export function newCounts(): FollowerCounts {
	return {
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
}

/** Keeps the deduplication counts of a session no longer followed. */
export function addGone(counts: FollowerCounts, deduper: TranscriptUsageDeduper): void {
	counts.duplicatesGone += deduper.counts.duplicates;
	counts.replaysGone += deduper.counts.sidechainReplays;
	counts.revisionsGone += deduper.counts.revisions;
}

/** The stats: the counts, the files followed (those not read yet are `waiting`), and the followed sessions' dedupers. */
export function statsOf(
	counts: FollowerCounts,
	files: Iterable<{state: string}>,
	dedupers: Iterable<TranscriptUsageDeduper>,
): TranscriptStats {
	let all = 0;
	let waiting = 0;
	for (const file of files) {
		all++;
		if (file.state !== 'reading') waiting++;
	}
	const live = {duplicates: 0, sidechainReplays: 0, revisions: 0};
	for (const deduper of dedupers) {
		live.duplicates += deduper.counts.duplicates;
		live.sidechainReplays += deduper.counts.sidechainReplays;
		live.revisions += deduper.counts.revisions;
	}
	const {duplicatesGone, replaysGone, revisionsGone, ...rest} = counts;
	return {
		...rest,
		skipped: {...rest.skipped},
		files: all - waiting,
		waiting,
		duplicates: duplicatesGone + live.duplicates,
		sidechainReplays: replaysGone + live.sidechainReplays,
		revisions: revisionsGone + live.revisions,
	};
}
