import {test} from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {jsonDepthOffset, jsonErrorOffset} from '../source/core/json-error.js';

/**
 * What V8's JSON.parse says about `text`, as a check on an offset: valid text has none; a message
 * with a position names it; "end of JSON input" means the text ended early; "Unexpected token 'x'"
 * names the character found there.
 */
function agreesWithV8(text: string, offset: number): string | undefined {
	let message: string;
	try {
		JSON.parse(text);
		return offset === -1 ? undefined : `V8 parses it, the offset is ${offset}`;
	} catch (error) {
		message = (error as Error).message;
	}
	const position = /at position (\d+)/.exec(message);
	if (position) return offset === Number(position[1]) ? undefined : `V8: ${message}; offset ${offset}`;
	if (message === 'Unexpected end of JSON input')
		return offset === text.length ? undefined : `V8: ${message}; offset ${offset} of ${text.length}`;
	const token = /^Unexpected token '([^]+?)', /.exec(message);
	if (token) return text.startsWith(token[1], offset) ? undefined : `V8: ${message}; offset ${offset}`;
	return `a message this check does not know: ${message}`;
}

/** Characters that matter to JSON's grammar, and a few that never do. */
const piece = fc.constantFrom(
	...'{}[]",:.-+eE0123456789tfnrul \t\n\r\\/bu'.split(''),
	'\u0001',
	'\u001f',
	'x',
	'é',
	'😀',
	'\uD800',
	'true',
	'null',
	'"a"',
	'\\u00e9',
	'\\u12',
	'1e5',
	'-0.5',
);

/** Valid JSON with one character inserted, deleted or replaced somewhere. */
const mutated = fc
	.tuple(
		fc.oneof(
			fc.json({maxDepth: 4}),
			fc.jsonValue({maxDepth: 3}).map((v) => JSON.stringify(v, null, 1)),
		),
		fc.nat(),
		fc.constantFrom('insert', 'delete', 'replace'),
		piece,
	)
	.map(([text, n, op, p]) => {
		const at = text.length === 0 ? 0 : n % (text.length + 1);
		if (op === 'insert') return text.slice(0, at) + p + text.slice(at);
		if (op === 'delete') return text.slice(0, at) + text.slice(at + 1);
		return text.slice(0, at) + p + text.slice(at + 1);
	});

test('jsonErrorOffset agrees with what V8 says about the same text (property)', () => {
	fc.assert(
		fc.property(
			fc.oneof(
				mutated,
				fc.json({maxDepth: 4}),
				fc.array(piece, {maxLength: 12}).map((pieces) => pieces.join('')),
			),
			(text) => {
				const disagreement = agreesWithV8(text, jsonErrorOffset(text));
				assert.equal(disagreement, undefined, JSON.stringify(text));
			},
		),
		{numRuns: 20_000},
	);
});

test('jsonDepthOffset: the bracket that opens level max+1, brackets in strings not counted, any depth without recursion', () => {
	assert.equal(jsonDepthOffset('{"a": [1, {"b": []}]}', 4), -1);
	assert.equal(jsonDepthOffset('{"a": [1, {"b": []}]}', 3), 16);
	assert.equal(jsonDepthOffset('{"a": [1, {"b": []}]}', 2), 10);
	assert.equal(jsonDepthOffset('["[[[\\"[[[", {}]', 1), 13);
	assert.equal(jsonDepthOffset('["[[[\\"[[["]', 1), -1);
	assert.equal(jsonDepthOffset(`${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`), 512);
	// Oracle: the depth of a value built as JSON.stringify writes it.
	fc.assert(
		fc.property(
			fc.integer({min: 0, max: 40}),
			fc.integer({min: 1, max: 40}),
			fc.string(),
			(levels, max, s) => {
				let value: unknown = s;
				for (let i = 0; i < levels; i++) value = i % 2 ? [value, s] : {[s]: value};
				const text = JSON.stringify(value);
				const at = jsonDepthOffset(text, max);
				if (levels <= max) return at === -1;
				return (text[at] === '{' || text[at] === '[') && jsonDepthOffset(text.slice(0, at), max) === -1;
			},
		),
	);
});
