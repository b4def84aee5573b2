/**
 * What leaves the model for the screen: showControls / showControlsInLine (core/terminal-safe),
 * screenLine, the events list's cells and the detail view's JSON lines, for any string in any
 * field (property-based, fast-check): they never throw, and nothing a terminal would act on comes
 * out; controls become visible stand-ins, and the detail view still shows the same JSON value.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {escapeJsonForTerminal, showControls, showControlsInLine} from '../source/core/terminal-safe.js';
import {SCREEN_LINE_MAX, screenLine} from '../source/tui/text/screen-line.js';
import stringWidth from 'string-width';
import {cellText, columnsFor, type ColumnId} from '../source/tui/tabs/events/columns.js';
import {jsonLines} from '../source/tui/detail/json-lines.js';
import {hostileJson, hostileRecord, hostileString} from './fixtures/hostile-arbitraries.js';
import {CONTROLS, forbiddenIn, nested} from './fixtures/hostile-events.js';

/** Forbidden, with the line feed too (one-line text has none). */
const unsafeOnOneLine = (text: string) =>
	forbiddenIn(text) ?? (text.includes('\n') ? `a line feed in ${JSON.stringify(text)}` : null);

/**
 * The default-ignorable characters terminals draw, with their width there: glibc 2.36's wcwidth
 * over every Default_Ignorable_Code_Point (the others are 0 or unprintable there).
 */
const DRAWN_IGNORABLES = new Map([
	[0x00ad, 1],
	[0x115f, 2],
	[0x3164, 2],
	[0xffa0, 1],
]);

test('default-ignorable characters that terminals draw get a one-cell stand-in; the others are measured as drawn', () => {
	for (let cp = 0; cp <= 0x10ffff; cp++) {
		if (cp >= 0xd800 && cp <= 0xdfff) continue;
		const c = String.fromCodePoint(cp);
		if (!/\p{Default_Ignorable_Code_Point}/u.test(c)) continue;
		const shown = showControlsInLine(c);
		if (DRAWN_IGNORABLES.has(cp)) {
			assert.equal(stringWidth(c), 0, `U+${cp.toString(16)}: string-width measures it as nothing`);
			assert.equal(
				stringWidth(shown),
				1,
				`U+${cp.toString(16)}: its stand-in is one cell, measured and drawn`,
			);
		} else if (shown === c) assert.equal(stringWidth(shown), 0, `U+${cp.toString(16)}`);
	}
	assert.equal(showControlsInLine('co\u00adop\u3164x'), 'co-op\ufffdx');
});

test('showControls: each unsafe UTF-16 unit becomes one visible stand-in, everything else stays (property)', () => {
	fc.assert(
		fc.property(hostileString, (text) => {
			const shown = showControls(text);
			assert.equal(unsafeOnOneLine(shown), null);
			assert.equal(shown.length, text.length);
			for (let i = 0; i < text.length; i++) {
				const c = text.charCodeAt(i);
				const unsafe = forbiddenIn(text[i]) !== null || c === 0x0a || DRAWN_IGNORABLES.has(c);
				if (!unsafe) assert.equal(shown[i], text[i]);
				else if (c < 0x20) assert.equal(shown.charCodeAt(i), 0x2400 + c, 'C0 → its control picture');
				else if (c === 0x7f) assert.equal(shown[i], '␡');
				else if (c === 0xad) assert.equal(shown[i], '-', 'SOFT HYPHEN → the hyphen terminals draw');
				else assert.equal(shown[i], '\ufffd');
			}
		}),
		{numRuns: 2000},
	);
	assert.equal(showControls('a\u001b[2Jb\u0007\u009b6n\u202eZ\n'), 'a␛[2Jb␇\ufffd6n\ufffdZ␊');
});

test('showControlsInLine: line breaks and tabs become spaces, other controls stand-ins (property)', () => {
	fc.assert(
		fc.property(hostileString, (text) => {
			const shown = showControlsInLine(text);
			assert.equal(unsafeOnOneLine(shown), null);
			assert.equal(shown.length, text.length);
		}),
		{numRuns: 2000},
	);
	assert.equal(showControlsInLine('a\tb\r\nc\u0085d\u2028e\u2029f\u000bg\u000ch'), 'a b  c d e f g h');
	assert.equal(showControlsInLine('safe text'), 'safe text');
});

test('screenLine: one safe line, bounded, stable when applied again (property)', () => {
	fc.assert(
		fc.property(hostileString, (text) => {
			const line = screenLine(text);
			assert.equal(unsafeOnOneLine(line), null);
			assert.ok(line.length <= SCREEN_LINE_MAX, `${line.length} characters`);
			assert.equal(screenLine(line), line);
		}),
		{numRuns: 2000},
	);
	assert.equal(screenLine(`  ${CONTROLS.del} \u001b]0;PWNED\u0007 `), 'I␡J ␛]0;PWNED␇');
	assert.equal(screenLine('x'.repeat(5000)).length, SCREEN_LINE_MAX);
});

test('screenLine: a lone surrogate is drawn as U+FFFD, one cell by string-width as on the terminal (property)', () => {
	fc.assert(
		fc.property(fc.string({unit: 'binary', maxLength: 30}), (text) => {
			const line = screenLine(text);
			assert.ok(!/\p{Surrogate}/u.test(line), `a lone surrogate left in ${JSON.stringify(line)}`);
		}),
		{numRuns: 1000},
	);
	const line = screenLine('\ud800 lone \udfff surrogates \udbff');
	assert.equal(line, '\ufffd lone \ufffd surrogates \ufffd');
	assert.equal(
		stringWidth(line),
		21,
		'each stand-in is one cell (a lone surrogate is none to string-width, one on the terminal)',
	);
	assert.equal(screenLine('ok 👍🏽 \u{1F600}'), 'ok 👍🏽 😀', 'surrogate pairs stay');
});

test('escapeJsonForTerminal keeps the JSON value and leaves nothing raw (property)', () => {
	fc.assert(
		fc.property(hostileJson, (value) => {
			const text = escapeJsonForTerminal(JSON.stringify(value) ?? 'null');
			assert.equal(forbiddenIn(text), null);
			assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(value) ?? 'null'));
		}),
		{numRuns: 1000},
	);
});

test('the events list cells of any record are one safe line (property)', () => {
	const ids: ColumnId[] = ['seq', 'time', 'session', 'type', 'tool', 'agent', 'summary'];
	fc.assert(
		fc.property(hostileRecord, fc.integer({min: 20, max: 300}), (record, width) => {
			for (const column of columnsFor(width))
				assert.equal(unsafeOnOneLine(cellText(record, column.id, column.width - 1)), null);
			for (const id of ids)
				for (const w of [12, 18, 19])
					assert.equal(unsafeOnOneLine(cellText(record, id, w)), null, `${id} at ${w}`);
		}),
		{numRuns: 1000},
	);
	const proto = {
		seq: 1,
		id: 'x',
		time: 'bad',
		received: 'bad',
		session: 'constructor',
		type: 'toString',
		tool: '__proto__',
		toolUseId: null,
		agentId: null,
		agentType: 'valueOf',
		cwd: null,
		summary: 'hasOwnProperty',
		source: 'hook',
		payload: {},
	};
	assert.deepEqual(
		['session', 'type', 'tool', 'agent', 'summary', 'time'].map((id) => cellText(proto, id as ColumnId, 12)),
		['construc', 'toString', '__proto__', 'valueOf', 'hasOwnProperty', '--:--:--'],
		'prototype keys are shown as they are, in the narrow type column too',
	);
	assert.equal(
		cellText({...proto, type: 'UserPromptSubmit'}, 'type', 12),
		'PromptSubmit',
		'known long names still have their short form',
	);
});

test('the detail view of any value: safe lines no wider than the screen, the same JSON value (property)', () => {
	fc.assert(
		fc.property(fc.oneof(hostileRecord, hostileJson), fc.integer({min: 8, max: 200}), (value, width) => {
			for (const line of jsonLines(value, width)) {
				const text = line.map((piece) => piece.text).join('');
				assert.equal(unsafeOnOneLine(text), null);
				assert.ok(stringWidth(text) <= width, `a line wider than ${width} cells: ${JSON.stringify(text)}`);
			}
			const whole = jsonLines(value, Number.MAX_SAFE_INTEGER)
				.map((line) => line.map((piece) => piece.text).join(''))
				.join('\n');
			assert.deepEqual(
				JSON.parse(whole),
				JSON.parse(JSON.stringify(value)),
				'unwrapped, the lines are the JSON of the value',
			);
		}),
		{numRuns: 500},
	);
});

test('the detail view escapes C1 and bidi controls as JSON escapes, and says so when a value is too deep to write', () => {
	const text = jsonLines({prompt: `a\u009b6n${CONTROLS.bidi}`}, 500)
		.map((line) => line.map((piece) => piece.text).join(''))
		.join('\n');
	assert.match(text, /"prompt": "a\\u009b6nt\\u202eu\\u202av/);
	assert.equal(forbiddenIn(text), null);
	const deep = jsonLines(nested(200_000), 80);
	assert.equal(deep.length, 1);
	assert.match(
		deep[0].map((piece) => piece.text).join(''),
		/^\(this value cannot be shown as JSON: Maximum call stack size exceeded\)$/,
	);
});
