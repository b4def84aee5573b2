/**
 * Text in terminal cells, measured as Ink measures it: `string-width` (the package and version
 * Ink depends on), cut and wrapped between grapheme clusters (`Intl.Segmenter`, which
 * string-width itself segments with, so the cells of the clusters add up to the string's).
 * Every width the TUI computes goes through here, so a row laid out to N cells is N cells on the
 * screen and never wraps. Texts are plain, safe lines (screenLine): no escapes, no line breaks.
 *
 * Not cli-truncate / slice-ansi: they place the cut with slice-ansi's own width table, which
 * disagrees with string-width (a wide character across the edge is kept, sindresorhus/cli-truncate#28;
 * `ﾊﾟ` is one cell to slice-ansi, two to string-width), so their cut can be wider than asked.
 *
 * Widths and cuts are cached: rows are drawn again on every snapshot, mostly the same strings.
 */
import stringWidth from 'string-width';

/**
 * A bounded map kept as two generations: lookups promote from the old one, and when the young
 * one is full it becomes the old one (the previous old one is dropped). O(1) per call, and at
 * most 2 × `capacity` entries.
 */
class TwoGenerationCache<V> {
	private young = new Map<string, V>();
	private old = new Map<string, V>();

	constructor(private readonly capacity: number) {}

	get(key: string): V | undefined {
		const hit = this.young.get(key);
		if (hit !== undefined) return hit;
		const aged = this.old.get(key);
		if (aged !== undefined) this.set(key, aged);
		return aged;
	}

	set(key: string, value: V): void {
		if (this.young.size >= this.capacity) {
			this.old = this.young;
			this.young = new Map();
		}
		this.young.set(key, value);
	}
}

const CACHE_SIZE = 4096;
const widths = new TwoGenerationCache<number>(CACHE_SIZE);
/** Fitted texts by width: a row's cells are fitted to a few widths, again on every frame. */
const fitted = new Map<number, TwoGenerationCache<string>>();

/** Grapheme clusters: what a terminal draws as one character, the only places a cut may fall. */
let graphemeSegmenter: Intl.Segmenter | undefined;

/** The clusters of `text`; the segmenter is made on first use (ICU's costs several ms to create). */
function segments(text: string): Intl.Segments {
	graphemeSegmenter ??= new Intl.Segmenter(undefined, {granularity: 'grapheme'});
	return graphemeSegmenter.segment(text);
}

/** Printable ASCII is one cell a character: no lookup needed. */
const PRINTABLE_ASCII = /^[\u0020-\u007e]*$/;

/** Terminal cells of `text`, as `string-width` (Ink's measure) says. */
export function textWidth(text: string): number {
	if (PRINTABLE_ASCII.test(text)) return text.length;
	let width = widths.get(text);
	if (width === undefined) {
		width = stringWidth(text);
		widths.set(text, width);
	}
	return width;
}

/**
 * `text` cut to at most `width` cells, ending with `…` when cut: as many whole grapheme clusters
 * from the start as fit (no half emoji, no lone surrogate, no torn ZWJ sequence).
 */
export function cut(text: string, width: number): string {
	if (width <= 0) return '';
	if (textWidth(text) <= width) return text;
	const room = width - 1;
	let used = 0;
	let end = 0;
	for (const {segment} of segments(text)) {
		const cells = textWidth(segment);
		if (used + cells > room) break;
		used += cells;
		end += segment.length;
	}
	return `${text.slice(0, end)}…`;
}

/** The first whole grapheme clusters of `text` that fit in `width` cells, without `…` (a short id). */
export function clip(text: string, width: number): string {
	if (width <= 0) return '';
	if (textWidth(text) <= width) return text;
	let used = 0;
	let end = 0;
	for (const {segment} of segments(text)) {
		const cells = textWidth(segment);
		if (used + cells > width) break;
		used += cells;
		end += segment.length;
	}
	return text.slice(0, end);
}

/** `text` cut from the start to at most `width` cells (`…` first when cut): the end of a long input, where the typing happens. */
export function cutStart(text: string, width: number): string {
	if (width <= 0) return '';
	if (textWidth(text) <= width) return text;
	const clusters = Array.from(segments(text), (s) => s.segment);
	const room = width - 1;
	let used = 0;
	let start = text.length;
	for (let i = clusters.length - 1; i >= 0; i--) {
		const cells = textWidth(clusters[i]);
		if (used + cells > room) break;
		used += cells;
		start -= clusters[i].length;
	}
	return `…${text.slice(start)}`;
}

/** Spaces after `text` up to `width` cells (none when it is as wide or wider). */
export function padEnd(text: string, width: number): string {
	const room = width - textWidth(text);
	return room > 0 ? text + ' '.repeat(room) : text;
}

/** Spaces before `text` up to `width` cells (none when it is as wide or wider). */
export function padStart(text: string, width: number): string {
	const room = width - textWidth(text);
	return room > 0 ? ' '.repeat(room) + text : text;
}

/** Cuts (with `…`) or pads `text` to exactly `width` cells. */
export function fit(text: string, width: number): string {
	if (width <= 0) return '';
	let byText = fitted.get(width);
	if (byText === undefined) {
		// A handful of widths in use at a time (the columns); a resize brings new ones.
		if (fitted.size >= 64) fitted.clear();
		byText = new TwoGenerationCache<string>(CACHE_SIZE);
		fitted.set(width, byText);
	}
	let out = byText.get(text);
	if (out === undefined) {
		// A cut that ends before a wide character is one cell short: padded like any other.
		out = padEnd(cut(text, width), width);
		byText.set(text, out);
	}
	return out;
}

/** The grapheme clusters of `text` (what a terminal draws as one character), each with its cells. */
export function graphemes(text: string): Array<{text: string; width: number}> {
	const out: Array<{text: string; width: number}> = [];
	for (const {segment} of segments(text)) out.push({text: segment, width: textWidth(segment)});
	return out;
}
