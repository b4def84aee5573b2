/**
 * Whether a key press is one of a binding's keys. A key is written as in the key table:
 * a character (`j`, `G`, `?`), a named key (`down`, `pagedown`, `enter`, `escape`, `tab`,
 * `backspace`, `space`, …), `ctrl+x`, `shift+tab`, or `other` (any key at all, the table's
 * last word in a place). A character never matches with Ctrl or Alt held.
 */
import type {KeyInfo} from '../app/ui-state.js';

export function isEnter(input: string, key: KeyInfo): boolean {
	return Boolean(key.return) || input === '\r' || input === '\n';
}

const named: Readonly<Record<string, (input: string, key: KeyInfo) => boolean>> = {
	up: (_, key) => Boolean(key.upArrow),
	down: (_, key) => Boolean(key.downArrow),
	left: (_, key) => Boolean(key.leftArrow),
	right: (_, key) => Boolean(key.rightArrow),
	pageup: (_, key) => Boolean(key.pageUp),
	pagedown: (_, key) => Boolean(key.pageDown),
	home: (_, key) => Boolean(key.home),
	end: (_, key) => Boolean(key.end),
	enter: isEnter,
	escape: (_, key) => Boolean(key.escape),
	tab: (_, key) => Boolean(key.tab) && !key.shift,
	'shift+tab': (_, key) => Boolean(key.tab) && Boolean(key.shift),
	// Most terminals send DEL for Backspace, which Ink reports as `delete`.
	backspace: (_, key) => Boolean(key.backspace) || Boolean(key.delete),
	space: (input, key) => input === ' ' && !key.ctrl && !key.meta,
	other: () => true,
};

/** Whether `spec` names a key the table may use. */
export function isKeySpec(spec: string): boolean {
	return spec in named || /^ctrl\+[a-z]$/.test(spec) || Array.from(spec).length === 1;
}

export function keyMatches(spec: string, input: string, key: KeyInfo): boolean {
	const test = named[spec];
	if (test) return test(input, key);
	if (spec.startsWith('ctrl+')) return matchesCtrl(spec.slice(5), input, key);
	return input === spec && !key.ctrl && !key.meta;
}

/** Ctrl-h, Ctrl-i, Ctrl-j and Ctrl-m send what Backspace, Tab and Enter send: never matched raw. */
const NAMED_CONTROLS = new Set(['h', 'i', 'j', 'm']);

/**
 * `ctrl+<letter>`: as Ink reports it (`key.ctrl` and the letter), or as its raw control character
 * (Ctrl-c is U+0003). Ink parses a whole stdin read as one key when it has no escape sequence in
 * it, and strips a leading ESC: a Ctrl-c read together with the key before it (Esc, `j`, as when
 * the TUI is slow to read) arrives as `\u0003` or `j\u0003` without `key.ctrl`. Such a read
 * counts as the Ctrl key it holds; the other keys in it are lost.
 */
function matchesCtrl(letter: string, input: string, key: KeyInfo): boolean {
	if (key.ctrl && input === letter) return true;
	if (!/^[a-z]$/.test(letter) || NAMED_CONTROLS.has(letter)) return false;
	return input.includes(String.fromCharCode(letter.charCodeAt(0) - 0x60));
}

const labels: Readonly<Record<string, string>> = {
	up: '↑',
	down: '↓',
	left: '←',
	right: '→',
	pageup: 'PgUp',
	pagedown: 'PgDn',
	home: 'Home',
	end: 'End',
	enter: 'Enter',
	escape: 'Esc',
	tab: 'Tab',
	'shift+tab': 'Shift-Tab',
	backspace: 'Backspace',
	space: 'Space',
	other: 'any other key',
};

/** A key as the help and docs/keys.md write it: `↓`, `PgDn`, `Ctrl-d`, `Shift-Tab`. */
export function keyLabel(spec: string): string {
	if (spec in labels) return labels[spec];
	if (spec.startsWith('ctrl+')) return `Ctrl-${spec.slice(5)}`;
	return spec;
}
