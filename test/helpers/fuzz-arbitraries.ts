/**
 * fast-check generators for hostile input to every ingest path (docs/protocol.md): prototype keys,
 * claude-mpm envelopes, normalized records, deep nesting, odd numbers and times, invalid UTF-8,
 * lone surrogates, C0/C1/bidi characters, very long strings and arrays, mixed good/bad batches.
 *
 * Events are generated as JSON *text*, not as values, so that keys such as `__proto__` stay own
 * keys on every path (JSON.parse makes them own properties; an object literal would not) and so
 * that the exact bytes can be chosen (escaped or raw characters, whitespace, nesting). A "good"
 * event is a placeholder that the runner fills with a fresh marker when the case is executed; the
 * invariants then look for that marker.
 */
import fc from 'fast-check';

/** Names that live on Object.prototype (or are special to it), used as every kind of key and name. */
export const PROTOTYPE_KEYS = [
	'constructor',
	'__proto__',
	'toString',
	'hasOwnProperty',
	'valueOf',
	'isPrototypeOf',
	'propertyIsEnumerable',
	'toLocaleString',
	'__defineGetter__',
	'__defineSetter__',
	'__lookupGetter__',
	'__lookupSetter__',
	'prototype',
	'then',
	'length',
] as const;

/** Names the server and the TUI look up: hook names, claude-mpm subtypes and namespaces, tools. */
const KNOWN_NAMES = [
	'PreToolUse',
	'PostToolUse',
	'PostToolUseFailure',
	'UserPromptSubmit',
	'SubagentStart',
	'SubagentStop',
	'SessionStart',
	'SessionEnd',
	'Stop',
	'Notification',
	'PermissionRequest',
	'TaskCreated',
	'TaskCompleted',
	'pre_tool',
	'post_tool',
	'user_prompt',
	'subagent_stop',
	'session_start',
	'todo_updated',
	'hook',
	'/hook',
	'/session',
	'/system',
	'Bash',
	'Read',
	'Edit',
	'Agent',
	'Task',
	'TodoWrite',
	'hook.user_prompt',
] as const;

/** Field names the normalizer and the derived views read. */
const FIELD_NAMES = [
	'hook_event_name',
	'type',
	'subtype',
	'namespace',
	'event',
	'data',
	'session_id',
	'tool_name',
	'tool_use_id',
	'tool_input',
	'tool_response',
	'agent_id',
	'agent_type',
	'cwd',
	'prompt',
	'message',
	'file_path',
	'todos',
	'seq',
	'id',
	'time',
	'summary',
	'payload',
	'source',
	'timestamp',
	'_mpm',
] as const;

/** Characters a terminal or a parser may act on; the C1 and bidi ones must never reach stdout raw. */
export const HOSTILE_CHARS = [
	'\u0000',
	'\u0007',
	'\u0008',
	'\t',
	'\n',
	'\r',
	'\u001b',
	'\u001b[2J',
	'\u001b]0;title\u0007',
	'\u007f',
	'\u0080',
	'\u0085',
	'\u008d',
	'\u009b',
	'\u009b31m',
	'\u009d',
	'\u009f',
	'\u00a0',
	'\u00ad',
	'\u200b',
	'\u200e',
	'\u2028',
	'\u2029',
	'\u202a',
	'\u202b',
	'\u202c',
	'\u202d',
	'\u202e',
	'\u2066',
	'\u2067',
	'\u2068',
	'\u2069',
	'\ud800',
	'\udbff',
	'\udc00',
	'\udfff',
	'\ufeff',
	'\ufffd',
	'\uffff',
	'\u{1f600}',
	'\u{10ffff}',
	'"',
	'\\',
	'{',
	'[',
	'}',
	']',
	'%s',
	'é',
	'漢',
] as const;

/** Strings mixing hostile characters, any code point, prototype names and plain text. */
export const hostileString: fc.Arbitrary<string> = fc
	.array(
		fc.oneof(
			{weight: 4, arbitrary: fc.constantFrom(...HOSTILE_CHARS)},
			{weight: 3, arbitrary: fc.string({unit: 'binary', maxLength: 4})},
			{weight: 2, arbitrary: fc.string({unit: 'binary-ascii', maxLength: 4})},
			{weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS)},
			{weight: 2, arbitrary: fc.string({maxLength: 8})},
		),
		{maxLength: 12},
	)
	.map((parts) => parts.join(''));

/** A string that is very long: a hostile piece repeated up to ~200k characters. */
export const longString: fc.Arbitrary<string> = fc
	.tuple(hostileString, fc.constantFrom(1000, 16_385, 70_000, 200_000))
	.map(([piece, length]) =>
		(piece === '' ? 'x' : piece).repeat(Math.ceil(length / Math.max(1, piece.length))).slice(0, length),
	);

/** Names: prototype keys, names the code knows, hostile strings. */
export const nameString: fc.Arbitrary<string> = fc.oneof(
	{weight: 4, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS)},
	{weight: 3, arbitrary: fc.constantFrom(...KNOWN_NAMES)},
	{weight: 3, arbitrary: hostileString},
	{weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS).map((key) => ` ${key} `)},
);

/** Object keys: prototype keys, the field names the code reads, hostile strings. */
export const keyString: fc.Arbitrary<string> = fc.oneof(
	{weight: 4, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS)},
	{weight: 4, arbitrary: fc.constantFrom(...FIELD_NAMES)},
	{weight: 2, arbitrary: hostileString},
);

/** Escapes every non-ASCII and control character as \uXXXX (a lone surrogate stays a lone escape). */
export function escapeAll(text: string): string {
	let out = '"';
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c === 0x22) out += '\\"';
		else if (c === 0x5c) out += '\\\\';
		else if (c < 0x20 || c > 0x7e) out += `\\u${c.toString(16).padStart(4, '0')}`;
		else out += text[i];
	}
	return `${out}"`;
}

/**
 * A JSON string literal for `text`: JSON.stringify's form (C1, bidi and other non-ASCII stay raw,
 * lone surrogates become escapes) or everything escaped.
 */
export const stringLiteral = (text: fc.Arbitrary<string>): fc.Arbitrary<string> =>
	fc.tuple(text, fc.boolean()).map(([s, escaped]) => (escaped ? escapeAll(s) : JSON.stringify(s)));

/** Numbers as JSON text: huge, negative zero, out of Date's range, exponent forms, long digits. */
export const numberText: fc.Arbitrary<string> = fc.oneof(
	fc.constantFrom(
		'0',
		'-0',
		'1',
		'-1',
		'1.5',
		'1e3',
		'1E+3',
		'1e300',
		'-1e300',
		'1e-300',
		'5e-324',
		'1.7976931348623157e308',
		'8640000000000000',
		'8640000000000001',
		'-8640000000000001',
		'9007199254740993',
		'123456789012345678901234567890',
		'0.000000000000000000001',
		'1700000000000',
	),
	fc.integer().map(String),
	fc.double({noNaN: true, noDefaultInfinity: true}).map((n) => JSON.stringify(n)),
);

/** Times and time-like values as JSON text (strings that look like times, numbers out of range). */
export const timeText: fc.Arbitrary<string> = fc.oneof(
	numberText,
	fc.constantFrom(
		'"2026-11-23T10:00:00.123Z"',
		'"+275760-09-13T00:00:00.001Z"',
		'"-271821-04-20T00:00:00.000Z"',
		'"not a date"',
		'""',
		'"0"',
		'"1e300"',
		'"2026-02-30T25:61:00Z"',
		'null',
		'{}',
		'[]',
	),
	stringLiteral(hostileString),
);

const scalarText: fc.Arbitrary<string> = fc.oneof(
	{weight: 3, arbitrary: stringLiteral(hostileString)},
	{weight: 2, arbitrary: numberText},
	{weight: 1, arbitrary: fc.constantFrom('true', 'false', 'null')},
	{weight: 1, arbitrary: stringLiteral(fc.constantFrom(...PROTOTYPE_KEYS))},
);

function objectText(entries: ReadonlyArray<readonly [string, string]>): string {
	return `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`;
}

/** Any JSON value as text, a few levels deep, with hostile keys and strings. */
export const valueText: fc.Arbitrary<string> = fc.letrec<{value: string; object: string; array: string}>(
	(tie) => ({
		value: fc.oneof({depthSize: 'small', maxDepth: 4}, scalarText, tie('object'), tie('array'), scalarText),
		object: fc.array(fc.tuple(keyString, tie('value')), {maxLength: 5}).map(objectText),
		array: fc.array(tie('value'), {maxLength: 5}).map((items) => `[${items.join(',')}]`),
	}),
).value;

/** JSON nested `depth` levels deep: arrays, objects, or both in turn; the innermost holds `inner`. */
export function nestedText(depth: number, shape: 'array' | 'object' | 'mixed', inner = '1'): string {
	const open: string[] = [];
	const close: string[] = [];
	for (let i = 0; i < depth; i++) {
		const asArray = shape === 'array' || (shape === 'mixed' && i % 2 === 0);
		open.push(asArray ? '[' : '{"a":');
		close.push(asArray ? ']' : '}');
	}
	return open.join('') + inner + close.reverse().join('');
}

/** Deeply nested JSON, from just past the 64-level limit up to 10,000 levels. */
export const deepText: fc.Arbitrary<string> = fc
	.tuple(
		fc.constantFrom(65, 100, 1000, 3000, 5000, 10_000),
		fc.constantFrom('array' as const, 'object' as const, 'mixed' as const),
	)
	.map(([depth, shape]) => nestedText(depth, shape));

/** A field value: mostly a string of the right kind, sometimes anything (type confusion). */
const fieldValue = (kind: fc.Arbitrary<string>): fc.Arbitrary<string> =>
	fc.oneof(
		{weight: 5, arbitrary: stringLiteral(kind)},
		{weight: 1, arbitrary: valueText},
		{weight: 1, arbitrary: stringLiteral(longString)},
	);

/** Optional fields: each present or not. */
const fields = (spec: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<Array<readonly [string, string]>> =>
	fc
		.tuple(
			...Object.entries(spec).map(([key, value]) =>
				fc.option(
					value.map((text) => [key, text] as const),
					{nil: undefined, freq: 3},
				),
			),
		)
		.map((list) => list.filter((entry) => entry !== undefined));

/** Extra keys: prototype names, field names, hostile names. */
const extraFields = fc.array(fc.tuple(keyString, valueText), {maxLength: 4});

/** A Claude Code hook payload whose names and fields are hostile. */
export const hookPayloadText: fc.Arbitrary<string> = fc
	.tuple(
		fieldValue(nameString),
		fields({
			session_id: fieldValue(hostileString),
			tool_name: fieldValue(nameString),
			tool_use_id: fieldValue(hostileString),
			tool_input: fc.oneof(
				valueText,
				fc.array(fc.tuple(keyString, valueText), {maxLength: 4}).map(objectText),
			),
			agent_id: fieldValue(hostileString),
			agent_type: fieldValue(nameString),
			cwd: fieldValue(hostileString),
			prompt: fieldValue(hostileString),
			notification_type: fieldValue(nameString),
		}),
		extraFields,
	)
	.map(([name, known, extra]) => objectText([['hook_event_name', name], ...known, ...extra]));

/** claude-mpm's envelope `{namespace, event, data:{type, subtype, data}}`, with hostile names everywhere. */
export const envelopeText: fc.Arbitrary<string> = fc
	.tuple(
		fields({namespace: fieldValue(nameString), event: fieldValue(nameString)}),
		fields({
			type: fieldValue(nameString),
			subtype: fieldValue(nameString),
			data: fc.oneof(valueText, fc.array(fc.tuple(keyString, valueText), {maxLength: 4}).map(objectText)),
			timestamp: timeText,
			session_id: fieldValue(hostileString),
			tool_name: fieldValue(nameString),
			source: fieldValue(nameString),
		}),
		extraFields,
	)
	.map(([outer, inner, extra]) => objectText([...outer, ['data', objectText(inner)], ...extra]));

/** The bare claude-mpm form `{type, subtype, data}`. */
export const bareMpmText: fc.Arbitrary<string> = fc
	.tuple(
		fields({
			type: fieldValue(nameString),
			subtype: fieldValue(nameString),
			data: valueText,
			tool_name: fieldValue(nameString),
			correlation_id: fieldValue(hostileString),
		}),
		extraFields,
	)
	.map(([known, extra]) => objectText([...known, ...extra]));

/** An already-normalized record (replay files, another mpm-tui) with odd seqs, ids and times. */
export const recordText: fc.Arbitrary<string> = fc
	.tuple(
		fields({
			seq: fc.oneof(numberText, stringLiteral(hostileString)),
			id: fc.oneof(
				stringLiteral(hostileString),
				stringLiteral(fc.constantFrom(...PROTOTYPE_KEYS)),
				numberText,
			),
			time: timeText,
			session: fieldValue(hostileString),
			tool: fieldValue(nameString),
			toolUseId: fieldValue(hostileString),
			agentId: fieldValue(hostileString),
			cwd: fieldValue(hostileString),
			source: fieldValue(nameString),
		}),
		fieldValue(nameString),
		fieldValue(hostileString),
		fc.oneof(
			{weight: 4, arbitrary: fc.array(fc.tuple(keyString, valueText), {maxLength: 4}).map(objectText)},
			{weight: 1, arbitrary: valueText},
		),
		extraFields,
	)
	.map(([known, type, summary, payload, extra]) =>
		objectText([...known, ['type', type], ['summary', summary], ['payload', payload], ...extra]),
	);

/** An event nested thousands of levels deep in a field, or the event itself buried in arrays. */
export const deepEventText: fc.Arbitrary<string> = fc.oneof(
	fc
		.tuple(fc.constantFrom('tool_input', 'data', 'payload', '__proto__', 'constructor'), deepText)
		.map(([key, deep]) =>
			objectText([
				['hook_event_name', '"PreToolUse"'],
				[key, deep],
			]),
		),
	fc.tuple(deepText, nameString).map(([deep, name]) =>
		objectText([
			['type', JSON.stringify(name)],
			['subtype', '"pre_tool"'],
			['data', objectText([['tool_input', deep]])],
		]),
	),
	fc.tuple(deepText).map(([deep]) =>
		objectText([
			['seq', '1'],
			['id', '"deep"'],
			['time', '"2026-01-01T00:00:00.000Z"'],
			['type', '"Stop"'],
			['summary', '""'],
			['payload', objectText([['x', deep]])],
		]),
	),
	deepText,
);

/** An object whose keys are all prototype names, at the top and one level down. */
export const prototypeObjectText: fc.Arbitrary<string> = fc
	.tuple(
		fc.uniqueArray(fc.constantFrom(...PROTOTYPE_KEYS), {minLength: 1, maxLength: 6}),
		fc.constantFrom(...PROTOTYPE_KEYS),
		valueText,
	)
	.map(([keys, name, value]) =>
		objectText([
			['hook_event_name', JSON.stringify(name)],
			['tool_name', JSON.stringify(name)],
			...keys.map((key) => [key, value] as const),
			['tool_input', objectText(keys.map((key) => [key, JSON.stringify(name)] as const))],
		]),
	);

/** Any hostile event (JSON text). */
export const hostileEventText: fc.Arbitrary<string> = fc.oneof(
	{weight: 4, arbitrary: hookPayloadText},
	{weight: 3, arbitrary: envelopeText},
	{weight: 2, arbitrary: bareMpmText},
	{weight: 2, arbitrary: recordText},
	{weight: 2, arbitrary: prototypeObjectText},
	{weight: 1, arbitrary: deepEventText},
	{weight: 1, arbitrary: valueText},
);

/** Bytes that are not valid UTF-8: stray continuation, overlong, raw surrogate (CESU), truncated, out of range. */
export const INVALID_UTF8: readonly number[][] = [
	[0xff],
	[0x80],
	[0xc0, 0x80],
	[0xc1, 0xbf],
	[0xed, 0xa0, 0x80],
	[0xed, 0xbf, 0xbf],
	[0xe2, 0x82],
	[0xf0, 0x9f, 0x98],
	[0xf4, 0x90, 0x80, 0x80],
	[0xf8, 0x88, 0x80, 0x80, 0x80],
	[0xfe],
];

/** A JSON text with invalid UTF-8 bytes put inside one of its strings (or anywhere). */
export const invalidUtf8Text: fc.Arbitrary<Buffer> = fc
	.tuple(hostileEventText, fc.constantFrom(...INVALID_UTF8), fc.nat(), fc.boolean())
	.map(([text, bad, at, inString]) => {
		const bytes = Buffer.from(text, 'utf8');
		let pos = at % (bytes.length + 1);
		if (inString) {
			const quote = bytes.indexOf(0x22, pos);
			if (quote !== -1) pos = quote + 1;
		}
		return Buffer.concat([bytes.subarray(0, pos), Buffer.from(bad), bytes.subarray(pos)]);
	});

/**
 * One item of a batch: a hostile event (as text or as raw bytes), a placeholder for a good event,
 * or something that is not an event at all.
 */
export type Item = {kind: 'text'; text: string} | {kind: 'bytes'; bytes: Buffer} | {kind: 'good'};

export const goodItem: fc.Arbitrary<Item> = fc.constant({kind: 'good'} as const);
export const hostileItem: fc.Arbitrary<Item> = hostileEventText.map(
	(text) => ({kind: 'text', text}) as const,
);

/** Items that are bad in content but framed well: valid UTF-8, one JSON value per item, not too deep for an array element. */
const contentBadItem: fc.Arbitrary<Item> = fc
	.oneof(
		{
			weight: 6,
			arbitrary: fc.oneof(hookPayloadText, envelopeText, bareMpmText, recordText, prototypeObjectText),
		},
		{weight: 1, arbitrary: valueText},
	)
	.map((text) => ({kind: 'text', text}) as const);

/** Non-events for an NDJSON line: broken JSON, deep nesting, scalars. */
const badLineItem: fc.Arbitrary<Item> = fc.oneof(
	fc
		.constantFrom(
			'{',
			'}',
			'garbage',
			'{"a":',
			'[1,2',
			'"unterminated',
			'nul',
			'1',
			'"x"',
			'null',
			'[]',
			'[{}]',
			'{"hook_event_name":}',
		)
		.map((text) => ({kind: 'text', text}) as const),
	deepEventText.map((text) => ({kind: 'text', text}) as const),
);

/** Any item for a free-form batch. */
export const anyItem: fc.Arbitrary<Item> = fc.oneof(
	{weight: 6, arbitrary: hostileItem},
	{weight: 2, arbitrary: goodItem},
	{weight: 1, arbitrary: badLineItem},
	{weight: 1, arbitrary: invalidUtf8Text.map((bytes) => ({kind: 'bytes', bytes}) as const)},
);

/** A batch that mixes good events with events that are bad in content only: every good one must be taken. */
export const mixedItems = (bad: fc.Arbitrary<Item>): fc.Arbitrary<Item[]> =>
	fc
		.tuple(
			fc.array(goodItem, {minLength: 1, maxLength: 4}),
			fc.array(bad, {minLength: 1, maxLength: 8}),
			fc.array(fc.nat(), {maxLength: 12}),
		)
		.map(([good, hostile, order]) => interleave(good, hostile, order));

/** Merges two lists in an order driven by `order` (so that the mix shrinks too). */
function interleave<T>(a: T[], b: T[], order: number[]): T[] {
	const out: T[] = [];
	let i = 0;
	let j = 0;
	let k = 0;
	while (i < a.length || j < b.length) {
		const pickA = j >= b.length || (i < a.length && (order[k++] ?? 0) % 2 === 0);
		out.push(pickA ? a[i++] : b[j++]);
	}
	return out;
}

export const mixedArrayItems = mixedItems(contentBadItem);
export const mixedNdjsonItems = mixedItems(fc.oneof(contentBadItem, badLineItem));

/** `X-Mpm-Id` values: valid, prototype names, too long, bad characters. */
export const idHeader: fc.Arbitrary<string> = fc.oneof(
	fc.stringMatching(/^[A-Za-z0-9._:-]{1,40}$/),
	fc.constantFrom(...PROTOTYPE_KEYS),
	fc.constantFrom(
		'',
		' ',
		'a b',
		'a,b',
		'x'.repeat(129),
		'x'.repeat(128),
		'ü',
		'\u00ff',
		'\t',
		'id/1',
		'%00',
	),
	fc.string({
		unit: fc
			.integer({min: 0x20, max: 0xff})
			.filter((c) => c !== 0x7f)
			.map((c) => String.fromCharCode(c)),
		maxLength: 20,
	}),
);

/** `X-Mpm-Received` values: odd numbers, text, out of range. */
export const receivedHeader: fc.Arbitrary<string> = fc.oneof(
	fc.constantFrom(
		'1e300',
		'-0',
		'0',
		'8640000000000001',
		'8640000000000000',
		'0x10',
		'+5',
		'1e3',
		'1.5',
		'-1',
		' 1700000000000',
		'1700000000000 ',
		'NaN',
		'Infinity',
		'',
		'00001700000000000',
		'9007199254740993',
		'12345678901234567890',
		'1700000000000',
	),
	fc.nat().map(String),
	fc.string({
		unit: fc
			.integer({min: 0x20, max: 0xff})
			.filter((c) => c !== 0x7f)
			.map((c) => String.fromCharCode(c)),
		maxLength: 20,
	}),
);

/** Content types: the accepted ones, odd spellings, refused ones. */
export const contentTypeHeader: fc.Arbitrary<string | undefined> = fc.oneof(
	fc.constant(undefined),
	fc.constantFrom(
		'application/json',
		'application/x-ndjson',
		'application/ndjson',
		'application/jsonl',
		'text/plain',
		'application/x-www-form-urlencoded',
		'application/vnd.x+json',
		'APPLICATION/JSON',
		'application/json; charset=latin1',
		'application/xml',
		'multipart/form-data',
		'',
		';',
		'constructor',
		'__proto__/x',
	),
);

/** How a batch of items is framed in an HTTP body. */
export type Framing = 'single' | 'array' | 'ndjson' | 'ndjson-crlf' | 'lines-untyped';

/** One HTTP request: path, headers (raw, may repeat) and the items of its body, or raw bytes. */
export interface HttpCase {
	path: '/api/events' | '/emit';
	/** Checked by the good-item invariant: valid framing, valid headers, every good item must be accepted. */
	mixed: boolean;
	framing: Framing;
	items: Item[];
	/** Bytes sent instead of the items (random bodies). */
	raw?: Buffer;
	/** Prefix a byte order mark. */
	bom: boolean;
	contentType?: string;
	id?: string;
	/** A second X-Mpm-Id header. */
	id2?: string;
	received?: string;
	/** Pad the body past the 1 MB limit. */
	oversize: boolean;
}

const httpPath = fc.constantFrom('/api/events' as const, '/api/events' as const, '/emit' as const);

/** Free-form requests: any framing, any headers, any items. */
const freeHttpCase: fc.Arbitrary<HttpCase> = fc.record({
	path: httpPath,
	mixed: fc.constant(false),
	framing: fc.constantFrom<Framing>('single', 'array', 'ndjson', 'ndjson-crlf', 'lines-untyped'),
	items: fc.array(anyItem, {minLength: 1, maxLength: 6}),
	raw: fc.option(
		fc.oneof(
			fc.uint8Array({maxLength: 64}).map((b) => Buffer.from(b)),
			fc.constantFrom(
				Buffer.from(''),
				Buffer.from('   '),
				Buffer.from('\ufeff'),
				Buffer.from('[]'),
				Buffer.from('{}'),
				Buffer.from('[1]'),
				Buffer.from('null'),
			),
		),
		{nil: undefined, freq: 8},
	),
	bom: fc.boolean(),
	contentType: contentTypeHeader,
	id: fc.option(idHeader, {nil: undefined}),
	id2: fc.option(idHeader, {nil: undefined, freq: 10}),
	received: fc.option(receivedHeader, {nil: undefined}),
	oversize: fc.constant(false),
});

/** A very long array of small items (tests batch sizes and seq ranges). */
const longArrayCase: fc.Arbitrary<HttpCase> = fc
	.tuple(httpPath, fc.integer({min: 100, max: 2000}), hostileItem)
	.map(([path, n, item]) => ({
		path,
		mixed: true,
		framing: 'array',
		items: Array.from({length: n}, (_, i) => (i % 7 === 3 ? item : ({kind: 'good'} as const))),
		bom: false,
		oversize: false,
	}));

/** Mixed good/bad batches that are framed well: an array (no deep items) or NDJSON. */
const mixedHttpCase: fc.Arbitrary<HttpCase> = fc.oneof(
	fc
		.tuple(httpPath, mixedArrayItems, fc.constantFrom(undefined, 'application/json', 'text/plain'))
		.map(([path, items, contentType]) => ({
			path,
			mixed: true,
			framing: 'array' as const,
			items,
			bom: false,
			contentType,
			oversize: false,
		})),
	fc
		.tuple(httpPath, mixedNdjsonItems, fc.constantFrom<Framing>('ndjson', 'ndjson-crlf'))
		.map(([path, items, framing]) => ({
			path,
			mixed: true,
			framing,
			items,
			bom: false,
			contentType: 'application/x-ndjson',
			oversize: false,
		})),
);

/** A body just past the size limit. */
const oversizeCase: fc.Arbitrary<HttpCase> = fc.tuple(httpPath, hostileItem).map(([path, item]) => ({
	path,
	mixed: false,
	framing: 'single' as const,
	items: [item],
	bom: false,
	oversize: true,
}));

export const httpCase: fc.Arbitrary<HttpCase> = fc.oneof(
	{weight: 10, arbitrary: freeHttpCase},
	{weight: 5, arbitrary: mixedHttpCase},
	{weight: 1, arbitrary: longArrayCase},
	{weight: 1, arbitrary: oversizeCase},
);

/** One Socket.IO ingest: `claude_event` or `emit`, through the client's encoder or as a raw packet. */
export interface SocketCase {
	event: 'claude_event' | 'emit';
	item: Item;
	/** Send the JSON text as a raw socket.io packet instead of through socket.io-client's encoder. */
	raw: boolean;
	/** Also put a Buffer in the value (a binary attachment). */
	binary: boolean;
}

export const socketCase: fc.Arbitrary<SocketCase> = fc.record({
	event: fc.constantFrom('claude_event' as const, 'emit' as const),
	item: fc.oneof(
		{weight: 8, arbitrary: hostileItem},
		{weight: 2, arbitrary: goodItem},
		{weight: 1, arbitrary: badLineItem},
	),
	raw: fc.boolean(),
	binary: fc.integer({min: 0, max: 6}).map((n) => n === 0),
});

/** One spool line: the contract form with hostile parts, a good line, or not a spool line at all. */
export type SpoolLine =
	| {kind: 'good'}
	/** A good event with invalid UTF-8 in a string: HTTP refuses such a body, so the drain must too. */
	| {kind: 'bad-utf8'; bytes: readonly number[]}
	| {kind: 'entry'; mpmSpool: string; id?: string; receivedAt?: string; event: Item}
	| {kind: 'text'; text: string}
	| {kind: 'bytes'; bytes: Buffer};

const spoolIdText: fc.Arbitrary<string> = fc.oneof(
	fc.stringMatching(/^[A-Za-z0-9._:-]{1,40}$/).map((id) => JSON.stringify(id)),
	stringLiteral(fc.constantFrom(...PROTOTYPE_KEYS)),
	stringLiteral(hostileString),
	fc.constantFrom('""', '"x"', JSON.stringify('x'.repeat(129)), '1', 'null', '{}', '[]'),
);

export const spoolLine: fc.Arbitrary<SpoolLine> = fc.oneof(
	{weight: 3, arbitrary: fc.constant({kind: 'good'} as const)},
	{
		weight: 1,
		arbitrary: fc.constantFrom(...INVALID_UTF8).map((bytes) => ({kind: 'bad-utf8', bytes}) as const),
	},
	{
		weight: 8,
		arbitrary: fc.record(
			{
				kind: fc.constant('entry' as const),
				mpmSpool: fc.oneof(
					{weight: 6, arbitrary: fc.constant('1')},
					{weight: 1, arbitrary: fc.constantFrom('2', '"1"', 'true', '1.0', '1e0', 'null')},
				),
				id: spoolIdText,
				receivedAt: fc.oneof(
					{weight: 1, arbitrary: fc.constant('1700000000000')},
					{weight: 3, arbitrary: timeText},
				),
				event: fc.oneof(
					{weight: 6, arbitrary: hostileItem},
					{weight: 1, arbitrary: badLineItem},
					{weight: 1, arbitrary: goodItem},
				),
			},
			{requiredKeys: ['kind', 'mpmSpool', 'event']},
		),
	},
	{
		weight: 1,
		arbitrary: fc
			.constantFrom('garbage', '{', '{"mpm_spool":1}', '[]', 'null', '{"mpm_spool":1,"event":null}')
			.map((text) => ({kind: 'text', text}) as const),
	},
	{weight: 1, arbitrary: invalidUtf8Text.map((bytes) => ({kind: 'bytes', bytes}) as const)},
);

/** One line of a replay file. */
export const replayLine: fc.Arbitrary<Item> = fc.oneof(
	{weight: 6, arbitrary: hostileItem},
	{weight: 2, arbitrary: goodItem},
	{weight: 1, arbitrary: badLineItem},
	{weight: 1, arbitrary: invalidUtf8Text.map((bytes) => ({kind: 'bytes', bytes}) as const)},
);
