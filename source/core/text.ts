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
	// eslint-disable-next-line no-control-regex
	return text.replace(/ *[\u0000-\u001f\u007f-\u009f\u2028\u2029][\s\u0000-\u001f\u007f-\u009f]*/g, ' ').replace(/ {3,}/g, '  ').trim();
}

/** Cuts `text` to at most `max` characters with a trailing `…`, never inside a surrogate pair. */
export function ellipsize(text: string, max: number): string {
	if (text.length <= max) return text;
	let keep = Math.max(0, max - 1);
	const last = text.charCodeAt(keep - 1);
	if (keep > 0 && last >= 0xd800 && last <= 0xdbff) keep--;
	return text.slice(0, keep).trimEnd() + '…';
}

/** One line, at most `max` characters. */
export function oneLine(text: string, max = SUMMARY_MAX): string {
	return ellipsize(flatten(text), max);
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
