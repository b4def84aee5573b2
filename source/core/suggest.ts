/**
 * "Did you mean": the known words closest to a mistyped one (case-insensitive edit distance, a
 * swap of two neighbours counting as one edit). Bounded work: words longer than MAX_LENGTH are
 * not compared, so a hostile value or a stream of odd type names costs little. Pure.
 */

const MAX_LENGTH = 64;

/** Edits (insert, delete, replace, swap neighbours) from `a` to `b`; stops counting past `limit`. */
function distance(a: string, b: string, limit: number): number {
	if (Math.abs(a.length - b.length) > limit) return limit + 1;
	let before = new Array<number>(b.length + 1).fill(0);
	let previous = Array.from({length: b.length + 1}, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const row = new Array<number>(b.length + 1).fill(0);
		row[0] = i;
		let best = row[0];
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
				row[j] = Math.min(row[j], before[j - 2] + 1);
			best = Math.min(best, row[j]);
		}
		if (best > limit) return limit + 1;
		before = previous;
		previous = row;
	}
	return previous[b.length];
}

/**
 * Up to `max` of `words` that `typed` is probably a mistake for, the closest ones only: within one
 * edit per three characters (at least one), else words it is the start of (three characters or more).
 */
export function suggest(typed: string, words: Iterable<string>, max = 3): string[] {
	const value = typed.toLowerCase();
	if (value === '' || value.length > MAX_LENGTH) return [];
	const limit = Math.max(1, Math.floor(value.length / 3));
	const scored: Array<{word: string; score: number}> = [];
	const seen = new Set<string>();
	for (const word of words) {
		const lower = word.toLowerCase();
		if (lower.length > MAX_LENGTH || seen.has(lower) || lower === value) continue;
		seen.add(lower);
		const edits = distance(value, lower, limit);
		if (edits <= limit) scored.push({word, score: edits});
		else if (value.length >= 3 && lower.startsWith(value)) scored.push({word, score: limit + 1});
	}
	scored.sort((x, y) => x.score - y.score || x.word.length - y.word.length);
	// Only the closest: `PostToolFial` is PostToolFail, not also PostToolUse.
	return scored
		.filter((s) => s.score === scored[0].score)
		.slice(0, max)
		.map((s) => s.word);
}

/** `; did you mean a, b or c?` (with `prefix` before each word), or '' when there is nothing to offer. */
export function didYouMean(words: readonly string[], prefix = ''): string {
	if (words.length === 0) return '';
	const named = words.map((w) => `${prefix}${w}`);
	const list =
		named.length === 1 ? named[0] : `${named.slice(0, -1).join(', ')} or ${named[named.length - 1]}`;
	return `; did you mean ${list}?`;
}
