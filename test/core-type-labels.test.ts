/**
 * Type labels and the filter read them back (core/event-types.ts, core/filter.ts): what the Events
 * type column can show at any width, typed as `type:<label>`, selects the events that show it;
 * unknown values of a closed set are refused with the closest known ones, and a `type:` that no
 * hook has and no event carries is said. Widths are checked against string-width (Ink's measure),
 * not the code under test.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import stringWidth from 'string-width';
import {
	KNOWN_TYPES,
	SHORT_LABEL_MAX,
	SHORT_LABELS,
	typeForLabel,
	typeLabels,
} from '../source/core/event-types.js';
import {compileFilter, parseFilter, typeWarning} from '../source/core/filter.js';
import type {EventRecord} from '../source/core/record.js';
import {cellText, columnsFor} from '../source/tui/tabs/events/columns.js';
import {screenLine} from '../source/tui/text/screen-line.js';

const rec = (type: string): EventRecord => ({
	seq: 1,
	id: 'x',
	time: '2026-11-23T10:00:00.000Z',
	received: '2026-11-23T10:00:00.000Z',
	session: 's',
	type,
	tool: null,
	toolUseId: null,
	agentId: null,
	agentType: null,
	cwd: null,
	summary: '',
	source: 'hook',
	payload: {},
});

/** The names the hooks reference lists (docs of Claude Code 2.1.240, ../shared/docs/claude-code-hooks.md), written out here. */
const HOOK_NAMES = [
	'SessionStart',
	'SessionEnd',
	'UserPromptSubmit',
	'PreToolUse',
	'PermissionRequest',
	'PermissionDenied',
	'PostToolUse',
	'PostToolUseFailure',
	'PostToolBatch',
	'Notification',
	'SubagentStart',
	'SubagentStop',
	'Stop',
	'StopFailure',
	'PreCompact',
	'PostCompact',
	'TaskCreated',
	'TaskCompleted',
	'Setup',
	'InstructionsLoaded',
	'UserPromptExpansion',
	'MessageDisplay',
	'TeammateIdle',
	'ConfigChange',
	'CwdChanged',
	'DirectoryAdded',
	'FileChanged',
	'WorktreeCreate',
	'WorktreeRemove',
	'Elicitation',
	'ElicitationResult',
];

/** `type:` with the label as one value: quoted (with `\` before `"` and `\`) when it has a space, a comma or a quote. */
const typeTerm = (label: string) =>
	/[\s,"\\]/.test(label) ? `type:"${label.replace(/["\\]/g, (c) => `\\${c}`)}"` : `type:${label}`;

function selects(query: string, type: string): boolean {
	const compiled = compileFilter(query);
	assert.ok(compiled.ok, `${query} parses: ${JSON.stringify(compiled)}`);
	return compiled.test(rec(type));
}

test('the table: every hook name is known, every name too wide for the narrow column has a short label that fits, no label stands for two names', () => {
	for (const name of HOOK_NAMES) assert.equal(typeForLabel(name), name, name);
	const owners = new Map<string, string>();
	for (const name of KNOWN_TYPES) owners.set(name.toLowerCase(), name);
	for (const name of KNOWN_TYPES) {
		const short = SHORT_LABELS.get(name);
		if (stringWidth(name) > SHORT_LABEL_MAX) assert.ok(short !== undefined, `${name} has a short label`);
		else assert.equal(short, undefined, `${name} fits: no short label`);
	}
	for (const [name, label] of SHORT_LABELS) {
		assert.ok(KNOWN_TYPES.includes(name), `${name} is a known name`);
		assert.ok(stringWidth(label) <= SHORT_LABEL_MAX, `${label} fits ${SHORT_LABEL_MAX} cells`);
		assert.equal(
			owners.get(label.toLowerCase()),
			undefined,
			`${label} is no other name's and no other label`,
		);
		owners.set(label.toLowerCase(), name);
	}
	for (const key of ['constructor', '__proto__', 'toString', 'hasOwnProperty'])
		assert.equal(typeForLabel(key), null, key);
});

test('the type column shows full names where they fit (every known name at 18 cells but one), short labels where they do not', () => {
	const wide = columnsFor(140).find((c) => c.id === 'type')!;
	for (const name of [
		'SessionStart',
		'UserPromptSubmit',
		'PostToolUseFailure',
		'SubagentStart',
		'PermissionRequest',
	]) {
		assert.equal(cellText(rec(name), 'type', wide.width - 1), name, `${name} at 140 columns`);
	}
	assert.equal(cellText(rec('UserPromptExpansion'), 'type', 18), 'PromptExpand');
	assert.equal(cellText(rec('PostToolUseFailure'), 'type', 12), 'PostToolFail');
	assert.equal(cellText(rec('SessionStart'), 'type', 12), 'SessionStart');
	assert.equal(
		cellText(rec('PostToolUseFailure'), 'type', 8),
		'PostToo…',
		'narrower than any label: the name cut',
	);
	assert.equal(cellText(rec('mpm:constructor.something'), 'type', 12), 'mpm:constru…');
});

test('type: takes a short label as its name, any case; a trailing … or * matches names that start with it', () => {
	assert.ok(selects('type:PostToolFail', 'PostToolUseFailure'));
	assert.ok(!selects('type:PostToolFail', 'PostToolUse'));
	assert.ok(selects('type:promptsubmit', 'UserPromptSubmit'));
	assert.ok(selects('type:AgentStart,PermRequest', 'PermissionRequest'));
	assert.ok(!selects('-type:AgentStart', 'SubagentStart'));
	assert.ok(selects('type:PostToo…', 'PostToolUseFailure'));
	assert.ok(selects('type:mpm:constru…', 'mpm:constructor.something'));
	assert.ok(!selects('type:PostToo…', 'PreToolUse'));
	assert.ok(
		selects('type:mpm:constructor', 'mpm:constructor'),
		'a type outside the table is matched as it is',
	);
	assert.ok(!selects('type:constructor', 'Stop'));
});

test('every label the type column can show, at every width, parses as a filter that selects the events showing it (property)', () => {
	// Types as the column gets them: known names, claude-mpm's mpm:… and any text the screen shows as it is. (A type
	// screenLine changes, with controls or runs of blanks, shows its stand-ins: those are not typed back.)
	const printable = fc
		.string({
			unit: fc.oneof(fc.constantFrom(...'aZ:._-,"\\ *…✅界é'), fc.string({minLength: 1, maxLength: 1})),
			minLength: 1,
			maxLength: 30,
		})
		.filter((s) => screenLine(s) === s);
	const type = fc.oneof(
		fc.constantFrom(...KNOWN_TYPES),
		printable.map((s) => `mpm:${s}`),
		printable,
	);
	fc.assert(
		fc.property(type, fc.integer({min: 1, max: 30}), (name, width) => {
			const shown = cellText(rec(name), 'type', width);
			assert.ok(stringWidth(shown) <= width, `${JSON.stringify(shown)} is at most ${width} cells`);
			assert.ok(shown !== '', 'never blank');
			assert.ok(
				typeLabels(name).includes(shown) || shown.endsWith('…'),
				`${shown}: a label of ${name}, or its name cut`,
			);
			assert.ok(selects(typeTerm(shown), name), `${typeTerm(shown)} selects ${JSON.stringify(name)}`);
		}),
		{numRuns: 3000},
	);
	// And every label of every known name, exhaustively.
	for (const name of KNOWN_TYPES)
		for (const label of typeLabels(name)) assert.ok(selects(`type:${label}`, name), label);
});

test('closed sets: an unknown is: value or key is refused with the closest known ones', () => {
	const error = (q: string) => {
		const parsed = parseFilter(q);
		assert.equal(parsed.ok, false, q);
		return (parsed as {error: string}).error;
	};
	assert.equal(
		error('is:eror'),
		'unknown is: value "eror"; did you mean is:error? (known: error, prompt, subagent, tool)',
	);
	assert.equal(
		error('is:subagnet'),
		'unknown is: value "subagnet"; did you mean is:subagent? (known: error, prompt, subagent, tool)',
	);
	assert.equal(error('is:happy'), 'unknown is: value "happy" (known: error, prompt, subagent, tool)');
	assert.match(error('typ:Stop'), /^unknown filter key "typ"; did you mean type:\? \(known: /);
	assert.match(error('colour:red'), /^unknown filter key "colour" \(known: /);
});

test('a type: no hook has and no event carries is applied and said, with the closest names; one that arrived is not', () => {
	const warn = (q: string, seen: string[] = []) => {
		const parsed = parseFilter(q);
		assert.ok(parsed.ok, q);
		return typeWarning(parsed.filter, seen);
	};
	assert.equal(
		warn('type:PostToolFial'),
		'type:PostToolFial is no hook name and none has arrived; did you mean type:PostToolFail?',
	);
	assert.equal(
		warn('type:Prompt'),
		'type:Prompt is no hook name and none has arrived; did you mean type:PromptSubmit or type:PromptExpand?',
	);
	assert.equal(warn('type:Bogus'), 'type:Bogus is no hook name and none has arrived');
	assert.equal(
		warn('type:mpm:constructor', ['mpm:constructor']),
		null,
		'an unknown type that arrived is matched without a word',
	);
	assert.equal(
		warn('type:mpm:construtor', ['mpm:constructor']),
		'type:mpm:construtor is no hook name and none has arrived; did you mean type:mpm:constructor?',
	);
	for (const q of ['type:PostToolFail', 'type:stop', 'type:Post*', 'type:Foo…', '', 'tool:Bogus', 'is:error'])
		assert.equal(warn(q), null, q);
	assert.equal(
		warn(`type:${'x'.repeat(100_000)}`),
		`type:${'x'.repeat(100_000)} is no hook name and none has arrived`,
		'a huge value is compared with nothing',
	);
});
