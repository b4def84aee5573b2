import {test} from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {jsonErrorOffset} from '../source/core/json-error.js';

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
