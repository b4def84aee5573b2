/** Small pure text helpers shared by the summary and filter code. */

export const SUMMARY_MAX = 200;

/** True when `text` needs flattening: control characters, line separators or runs of 3+ spaces. */
function needsFlatten(text: string): boolean {
	let spaces = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029) return true;
		if (c === 32) {
			if (++spaces === 3) return true;
		} else spaces = 0;
	}
	return false;
}

/** Collapses newlines, tabs and other control characters to single spaces and trims. */
export function flatten(text: string): string {
	if (!needsFlatten(text)) return text.trim();

	return text
		.replace(/ *[\u0000-\u001f\u007f-\u009f\u2028\u2029][\s\u0000-\u001f\u007f-\u009f]*/g, ' ')
		.replace(/ {3,}/g, '  ')
		.trim();
}

/** Made on first use: ICU's segmenter costs several ms to create, and most commands never cut text. */
let graphemeSegmenter: Intl.Segmenter | undefined;

/**
 * Cuts `text` to at most `max` UTF-16 code units with a trailing `…`. The cut falls between
 * grapheme clusters: never half an emoji (a lone surrogate) or a joined emoji torn apart.
 */
export function ellipsize(text: string, max: number): string {
	if (text.length <= max) return text;
	let keep = 0;
	graphemeSegmenter ??= new Intl.Segmenter(undefined, {granularity: 'grapheme'});
	for (const {segment} of graphemeSegmenter.segment(text)) {
		if (keep + segment.length > max - 1) break;
		keep += segment.length;
	}
	return text.slice(0, keep).trimEnd() + '…';
}

/** The mark the views put where a line broke (`oneLine(text, max, LINE_BREAK_MARK)`). */
export const LINE_BREAK_MARK = ' ⏎ ';

/**
 * One line, at most `max` UTF-16 code units, cut between grapheme clusters: control characters
 * become spaces (flatten), and each line break (with the blanks around it) becomes `lineBreak`.
 */
export function oneLine(text: string, max = SUMMARY_MAX, lineBreak = ' '): string {
	const marked = lineBreak === ' ' ? text : text.replace(/\s*[\r\n]+\s*/g, lineBreak);
	return ellipsize(flatten(marked), max);
}

/** `"text"` on one line, cut to `max` characters inside the quotes. */
export function quoted(text: string, max = 100): string {
	return `"${oneLine(text, max)}"`;
}

/** Path relative to `cwd` when it lies under it. */
export function relativePath(file: string, cwd: string | null | undefined): string {
	if (!cwd || !file.startsWith('/')) return file;
	const base = cwd.endsWith('/') ? cwd.slice(0, -1) : cwd;
	if (file === base) return '.';
	if (base !== '' && file.startsWith(base + '/')) return file.slice(base.length + 1);
	return file;
}

/** `mcp__server__tool` → `mcp server/tool`; other names unchanged. */
export function toolLabel(name: string): string {
	if (!name.startsWith('mcp__')) return name;
	const rest = name.slice(5);
	const sep = rest.indexOf('__');
	if (sep <= 0) return `mcp ${rest}`;
	return `mcp ${rest.slice(0, sep)}/${rest.slice(sep + 2)}`;
}
