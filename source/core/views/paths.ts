/**
 * Path helpers without I/O: absolute keys and display paths relative to a session's cwd.
 * Handles POSIX paths and Windows paths (`C:\…`), which Claude Code sends on Windows.
 */

function separatorOf(p: string): '/' | '\\' {
	return /^[A-Za-z]:\\/.test(p) || (p.includes('\\') && !p.includes('/')) ? '\\' : '/';
}

export function isAbsolute(p: string): boolean {
	return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

const NEEDS_WORK = /\/\/|\/\.\.?(\/|$)|^\.\.?(\/|$)|.\/$|\\/;

/** Collapses `//`, `.` and `..` segments; keeps the root. */
export function normalizePath(p: string): string {
	if (p !== '' && !NEEDS_WORK.test(p)) return p;
	const sep = separatorOf(p);
	const parts = p.split(/[\\/]+/);
	const absolute = isAbsolute(p);
	const root = absolute ? (sep === '/' ? '' : parts[0]) : null;
	const body = absolute ? parts.slice(1) : parts;
	const out: string[] = [];
	for (const part of body) {
		if (part === '' || part === '.') continue;
		if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
		else if (part === '..' && absolute) continue;
		else out.push(part);
	}
	if (root === null) return out.length === 0 ? '.' : out.join(sep);
	return `${root}${sep}${out.join(sep)}`;
}

/** The absolute key for a path given in a tool input: relative paths are taken from `cwd`. */
export function absoluteKey(p: string, cwd: string | null): string {
	if (isAbsolute(p) || cwd === null) return normalizePath(p);
	return normalizePath(`${cwd}${separatorOf(cwd)}${p}`);
}

/** `p` relative to `cwd` when it is under it (or equal: `.`), else `p` unchanged. */
export function relativeTo(p: string, cwd: string | null): string {
	if (cwd === null || cwd === '') return p;
	const base = normalizePath(cwd);
	const sep = separatorOf(base);
	const full = normalizePath(p);
	if (full === base) return '.';
	const prefix = base.endsWith(sep) ? base : base + sep;
	const caseless = sep === '\\';
	const under = caseless ? full.toLowerCase().startsWith(prefix.toLowerCase()) : full.startsWith(prefix);
	return under ? full.slice(prefix.length) : p;
}

/**
 * The deepest directory that holds every one of `dirs` (or is one of them), or null when they
 * share nothing but the filesystem's root, mix POSIX and Windows paths, or there are none.
 */
export function commonRoot(dirs: Iterable<string>): string | null {
	let parts: string[] | null = null;
	let sep: '/' | '\\' | null = null;
	for (const dir of dirs) {
		const full = normalizePath(dir);
		if (!isAbsolute(full)) return null;
		const s = separatorOf(full);
		if (sep !== null && s !== sep) return null;
		sep = s;
		const these = full.split(s).filter((part, i) => i === 0 || part !== '');
		if (parts === null) {
			parts = these;
			continue;
		}
		let same = 0;
		const caseless = s === '\\';
		while (
			same < parts.length &&
			same < these.length &&
			(caseless ? parts[same].toLowerCase() === these[same].toLowerCase() : parts[same] === these[same])
		)
			same++;
		parts = parts.slice(0, same);
	}
	// POSIX paths start with an empty part (before the first `/`): the root alone is no common root.
	if (parts === null || sep === null || parts.length < 2) return null;
	return parts.join(sep);
}

/** `~/…` for a path under a home directory (`/home/<user>`, `/Users/<user>`), else the path. */
export function homeShort(p: string): string {
	return p.replace(/^\/(?:home|Users)\/[^/]+(?=\/|$)/, '~');
}
