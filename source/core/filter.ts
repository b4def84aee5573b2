/**
 * The structured filter shared by the TUI filter line, `--filter` and `GET /api/events?filter=`:
 *   type:PreToolUse tool:Read,Edit session:5b1e agent:Explore -type:Notification seq:>100
 *   is:error free text "quoted phrase"
 * Terms are ANDed; commas inside a value mean "any of"; `-` negates a term or a word. Pure.
 * A `type:` value is a type name (any case) or the short label the Events list shows for it
 * (core/event-types.ts); a value ending in `*`, or in `…` as a cut label does, matches names
 * that start with it.
 */
import {isErrorEvent} from './errors.js';
import {allTypeLabels, typeForLabel} from './event-types.js';
import type {EventRecord} from './record.js';
import {didYouMean, suggest} from './suggest.js';

export type FilterKey =
	'type' | 'tool' | 'session' | 'agent' | 'source' | 'cwd' | 'seq' | 'is' | 'id' | 'text';

export interface FilterTerm {
	key: FilterKey;
	/** The comma-separated alternatives as written (any of them may match). */
	values: string[];
	negate: boolean;
}

export interface Filter {
	terms: FilterTerm[];
	/** Free-text words and quoted phrases; every one must match. */
	text: string[];
	/** The query as given. */
	source: string;
	/**
	 * `type:` values that are no known type name or label (nor a prefix): legal, since any type may
	 * arrive, but likely a mistake unless the stream has them (typeWarning).
	 */
	unknownTypes: string[];
}

export const FILTER_KEYS: readonly FilterKey[] = [
	'type',
	'tool',
	'session',
	'agent',
	'source',
	'cwd',
	'seq',
	'is',
	'id',
];
export const IS_VALUES = ['error', 'prompt', 'subagent', 'tool'] as const;

const EXAMPLES = new Map<FilterKey, string>([
	['type', 'type:PreToolUse'],
	['tool', 'tool:Bash'],
	['session', 'session:5b1e'],
	['agent', 'agent:Explore'],
	['source', 'source:hook'],
	['cwd', 'cwd:app'],
	['seq', 'seq:>100'],
	['is', 'is:error'],
	['id', 'id:9f2c'],
]);

type Parsed = {ok: true; filter: Filter} | {ok: false; error: string};

interface Token {
	text: string;
	/** The token was (or its value was) quoted: never a key:value. */
	quoted: boolean;
	negate: boolean;
	key?: string;
}

function tokenize(query: string): Token[] | string {
	const tokens: Token[] = [];
	let i = 0;
	const n = query.length;
	while (i < n) {
		while (i < n && /\s/.test(query[i])) i++;
		if (i >= n) break;
		let negate = false;
		if (query[i] === '-' && i + 1 < n && !/\s/.test(query[i + 1])) {
			negate = true;
			i++;
		}
		let text = '';
		let quoted = false;
		let key: string | undefined;
		while (i < n && !/\s/.test(query[i])) {
			const c = query[i];
			if (c === '"') {
				const start = i;
				i++;
				let closed = false;
				while (i < n) {
					if (query[i] === '\\' && i + 1 < n) {
						text += query[i + 1];
						i += 2;
					} else if (query[i] === '"') {
						closed = true;
						i++;
						break;
					} else text += query[i++];
				}
				if (!closed)
					return `unclosed quote in filter at character ${start + 1}: ${query.slice(start, start + 20)}`;
				quoted = true;
			} else if (c === ':' && key === undefined && !quoted && /^[A-Za-z_]+$/.test(text)) {
				key = text.toLowerCase();
				text = '';
				i++;
			} else {
				text += c;
				i++;
			}
		}
		tokens.push({text, quoted, negate, key});
	}
	return tokens;
}

/** Parses a filter query. Empty query → a filter that matches everything. */
export function parseFilter(query: string): Parsed {
	const tokens = tokenize(query);
	if (typeof tokens === 'string') return {ok: false, error: tokens};
	const filter: Filter = {terms: [], text: [], source: query, unknownTypes: []};
	for (const token of tokens) {
		if (token.key === undefined) {
			if (token.text === '') continue;
			if (token.negate) filter.terms.push({key: 'text', values: [token.text], negate: true});
			else filter.text.push(token.text);
			continue;
		}
		const key = token.key as FilterKey;
		if (!FILTER_KEYS.includes(key)) {
			const guess = didYouMean(suggest(token.key, FILTER_KEYS).map((known) => `${known}:`));
			return {
				ok: false,
				error: `unknown filter key "${token.key}"${guess} (known: ${FILTER_KEYS.join(', ')}; quote text that contains a colon)`,
			};
		}
		const values = token.quoted
			? [token.text]
			: token.text
					.split(',')
					.map((v) => v.trim())
					.filter((v) => v !== '');
		if (values.length === 0 || values.every((v) => v === ''))
			return {ok: false, error: `filter key "${key}" needs a value, e.g. ${EXAMPLES.get(key)}`};
		for (const value of values) {
			const problem = checkValue(key, value);
			if (problem) return {ok: false, error: problem};
			if (key === 'type' && !isPrefix(value) && typeForLabel(value) === null) filter.unknownTypes.push(value);
		}
		filter.terms.push({key, values, negate: token.negate});
	}
	return {ok: true, filter};
}

const SEQ_VALUE = /^(>=|<=|>|<|=)?\s*(\d+)$/;

function checkValue(key: FilterKey, value: string): string | null {
	if (key === 'seq' && !SEQ_VALUE.test(value))
		return `seq needs a number with an optional >, <, >= or <=, e.g. seq:>100, got "${value}"`;
	if (key === 'is' && !(IS_VALUES as readonly string[]).includes(value.toLowerCase())) {
		return `unknown is: value "${value}"${didYouMean(suggest(value, IS_VALUES), 'is:')} (known: ${IS_VALUES.join(', ')})`;
	}
	return null;
}

/** A value that matches names starting with it: it ends in `*`, or in `…` (a label cut to fit). */
const isPrefix = (value: string) => value.endsWith('*') || value.endsWith('…');

/**
 * The warning for a filter whose `type:` names a type nobody knows: a value that is no known
 * name or label and that `seen` (the types that arrived) does not have either, with the closest
 * names. Null when there is none: a type not in the table that did arrive is simply matched.
 */
export function typeWarning(filter: Filter, seen: Iterable<string>): string | null {
	const seenTypes = [...seen];
	const arrived = new Set(seenTypes.map((type) => type.toLowerCase()));
	const missing = filter.unknownTypes.filter((value) => !arrived.has(value.toLowerCase()));
	if (missing.length === 0) return null;
	const first = missing[0];
	const guesses = suggest(first, [...allTypeLabels(), ...seenTypes]);
	return `type:${first} is no hook name and none has arrived${didYouMean(guesses, 'type:')}`;
}

type Test = (r: EventRecord) => boolean;

/**
 * Exact case-insensitive match, or a prefix match for values ending in `*` or `…`; `alias` gives
 * the name a value also stands for (a type's short label).
 */
function nameMatcher(
	values: string[],
	get: (r: EventRecord) => string | null,
	alias?: (value: string) => string | null,
): Test {
	const exact = new Set<string>();
	const prefixes: string[] = [];
	for (const v of values) {
		const lower = v.toLowerCase();
		if (isPrefix(lower)) prefixes.push(lower.slice(0, -1));
		else {
			exact.add(lower);
			const name = alias?.(v);
			if (name) exact.add(name.toLowerCase());
		}
	}
	return (r) => {
		const value = get(r);
		if (value === null) return false;
		const lower = value.toLowerCase();
		if (exact.has(lower)) return true;
		for (const p of prefixes) if (lower.startsWith(p)) return true;
		return false;
	};
}

function anyOf(values: string[], test: (value: string) => Test): Test {
	const tests = values.map(test);
	return tests.length === 1 ? tests[0] : (r) => tests.some((t) => t(r));
}

const haystacks = new WeakMap<EventRecord, string>();

/** Lower-cased text that free words are searched in (cached per record). */
export function recordText(r: EventRecord): string {
	let text = haystacks.get(r);
	if (text === undefined) {
		text =
			`${r.summary}\n${r.type}\n${r.tool ?? ''}\n${r.session ?? ''}\n${r.agentType ?? ''}\n${r.cwd ?? ''}`.toLowerCase();
		haystacks.set(r, text);
	}
	return text;
}

function termTest(term: FilterTerm): Test {
	const {values} = term;
	switch (term.key) {
		case 'type':
			return nameMatcher(values, (r) => r.type, typeForLabel);
		case 'tool':
			return nameMatcher(values, (r) => r.tool);
		case 'source':
			return nameMatcher(values, (r) => r.source);
		case 'session':
			return anyOf(values, (v) => {
				const p = v.toLowerCase();
				return (r) => r.session !== null && r.session.toLowerCase().startsWith(p);
			});
		case 'id':
			return anyOf(values, (v) => {
				const p = v.toLowerCase();
				return (r) => r.id.toLowerCase().startsWith(p);
			});
		case 'agent':
			return anyOf(values, (v) => {
				const p = v.toLowerCase();
				if (p === 'main') return (r) => r.agentId === null;
				return (r) =>
					(r.agentType !== null && r.agentType.toLowerCase() === p) ||
					(r.agentId !== null && r.agentId.toLowerCase().startsWith(p));
			});
		case 'cwd':
			return anyOf(values, (v) => {
				const p = v.toLowerCase();
				return (r) => r.cwd !== null && r.cwd.toLowerCase().includes(p);
			});
		case 'seq':
			return anyOf(values, (v) => {
				const [, op = '=', digits] = SEQ_VALUE.exec(v) as RegExpExecArray;
				const n = Number(digits);
				switch (op) {
					case '>':
						return (r) => r.seq > n;
					case '<':
						return (r) => r.seq < n;
					case '>=':
						return (r) => r.seq >= n;
					case '<=':
						return (r) => r.seq <= n;
					default:
						return (r) => r.seq === n;
				}
			});
		case 'is':
			return anyOf(values, (v) => {
				switch (v.toLowerCase()) {
					// The one definition of an error (core/errors.ts): the header and the tabs count the same.
					case 'error':
						return isErrorEvent;
					case 'prompt':
						return (r) => r.type === 'UserPromptSubmit';
					case 'subagent':
						return (r) => r.agentId !== null || r.type.startsWith('Subagent');
					default:
						return (r) => r.tool !== null;
				}
			});
		case 'text': {
			const words = values.map((v) => v.toLowerCase());
			return (r) => words.some((w) => recordText(r).includes(w));
		}
	}
}

function build(filter: Filter): Test {
	const tests: Test[] = filter.terms.map((term) => {
		const test = termTest(term);
		return term.negate ? (r: EventRecord) => !test(r) : test;
	});
	const words = filter.text.map((w) => w.toLowerCase());
	if (words.length > 0) {
		tests.push((r) => {
			const text = recordText(r);
			for (const w of words) if (!text.includes(w)) return false;
			return true;
		});
	}
	if (tests.length === 0) return () => true;
	if (tests.length === 1) return tests[0];
	return (r) => {
		for (const t of tests) if (!t(r)) return false;
		return true;
	};
}

const compiled = new WeakMap<Filter, Test>();

/** True when `record` passes every term of `filter` (the compiled form is cached per filter object). */
export function matchFilter(record: EventRecord, filter: Filter): boolean {
	let test = compiled.get(filter);
	if (test === undefined) {
		test = build(filter);
		compiled.set(filter, test);
	}
	return test(record);
}

/** Parses and compiles a query into a fast predicate. */
/** The `--filter QUERY` flag: no test for an empty query, else the compiled test; an error names the flag. */
export function compileFilterFlag(
	query: string,
): {ok: true; test: ((r: EventRecord) => boolean) | undefined} | {ok: false; error: string} {
	if (query.trim() === '') return {ok: true, test: undefined};
	const compiled = compileFilter(query);
	return compiled.ok ? {ok: true, test: compiled.test} : {ok: false, error: `--filter: ${compiled.error}`};
}

export function compileFilter(
	query: string,
): {ok: true; test: (r: EventRecord) => boolean; filter: Filter} | {ok: false; error: string} {
	const parsed = parseFilter(query);
	if (!parsed.ok) return parsed;
	const test = build(parsed.filter);
	compiled.set(parsed.filter, test);
	return {ok: true, test, filter: parsed.filter};
}
