/**
 * The derived views and the rows the tabs build from them, fed any records (property-based,
 * fast-check): prototype keys as types, tools, ids, sessions, paths, statuses; controls and lone
 * surrogates in every string; huge and odd numbers; any JSON in the payload. Nothing throws, and
 * every table cell is exactly its width with nothing a terminal would act on.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {createViews, toolTarget} from '../source/core/views/index.js';
import {toolColumns} from '../source/tui/tabs/tools/ToolsTable.js';
import {agentColumns} from '../source/tui/tabs/agents/AgentsTable.js';
import {fileColumns} from '../source/tui/tabs/files/FilesTable.js';
import {sessionColumns} from '../source/tui/tabs/sessions/SessionsTable.js';
import {layout, tableCell, type TableColumn} from '../source/tui/list/RowTable.js';
import stringWidth from 'string-width';
import {hostileRecord} from './fixtures/hostile-arbitraries.js';
import {forbiddenIn, nested, PROTO_KEYS} from './fixtures/hostile-events.js';
import {hook, pre, rec} from './fixtures/view-sequences.js';

const NOW = Date.parse('2026-01-01T00:30:00Z');

/** Every cell of every row at `width`, as the table draws it: safe, and exactly its column wide. */
function assertCells<R>(
	rows: readonly R[],
	columns: ReadonlyArray<TableColumn<R>>,
	width: number,
	what: string,
): void {
	const laid = layout(columns, width);
	for (const row of rows) {
		laid.forEach((c, j) => {
			const text = tableCell(c.cell(row), c.cells, j === laid.length - 1, c.align);
			const bad = forbiddenIn(text) ?? (text.includes('\n') ? 'a line feed' : null);
			assert.equal(bad, null, `${what} ${c.id}: ${JSON.stringify(text)}`);
			assert.equal(
				stringWidth(text),
				c.cells,
				`${what} ${c.id} is ${c.cells} cells wide: ${JSON.stringify(text)}`,
			);
		});
	}
}

test('any records: the views never throw, and every cell of every tab is safe and fits (property)', () => {
	fc.assert(
		fc.property(
			fc.array(hostileRecord, {minLength: 1, maxLength: 30}),
			fc.integer({min: 0, max: 3_600_000}),
			(records, later) => {
				const views = createViews({
					toolTimeoutMs: 60_000,
					maxToolCalls: 20,
					maxAgents: 10,
					maxFiles: 10,
					maxSessions: 5,
				});
				views.applyMany(records);
				const now = NOW + later;
				const tools = views.tools(now);
				const agents = views.agents(now);
				const files = views.files();
				const sessions = views.sessions(now);
				views.todos();
				views.toolsRunning(now);
				for (const width of [60, 130]) {
					assertCells(tools, toolColumns(width), width, 'tools');
					assertCells(agents, agentColumns(width), width, 'agents');
					assertCells(files, fileColumns(width, now), width, 'files');
					assertCells(sessions, sessionColumns(width, now, sessions), width, 'sessions');
				}
			},
		),
		{numRuns: 300},
	);
});

test('prototype keys as tools, ids, agents, sessions, paths and todo statuses are ordinary values', () => {
	const views = createViews();
	const records = PROTO_KEYS.flatMap((key, i) => [
		rec(
			pre(
				key,
				key,
				{file_path: key, todos: [{content: 'x', status: key}]},
				{session_id: key, agent_id: key, agent_type: key, cwd: key},
			),
			i * 10,
		),
		rec(pre('Read', `${key}-read`, {file_path: key}, {session_id: key}), i * 10 + 1),
		rec(
			pre('TodoWrite', `${key}-todo`, {todos: [{content: key, status: key}]}, {session_id: key}),
			i * 10 + 2,
		),
		rec(hook('TaskCreated', {session_id: key, task_id: key, task_subject: key}), i * 10 + 3),
		rec(hook('Notification', {session_id: key, notification_type: key, message: key}), i * 10 + 4),
	]);
	views.applyMany(records);
	const now = Date.parse('2026-11-23T10:10:00Z');
	const files = views.files();
	assert.equal(files.length, PROTO_KEYS.length, 'one file per key (relative to its cwd)');
	assert.deepEqual(
		views
			.sessions(now)
			.map((s) => s.id)
			.sort(),
		[...PROTO_KEYS].sort(),
	);
	assert.equal(
		views.tools(now).filter((c) => (PROTO_KEYS as readonly string[]).includes(c.id)).length,
		PROTO_KEYS.length,
		'each key is a tool_use_id of its own',
	);
	assert.deepEqual(
		views.todos('toString').flatMap((l) => l.todos.map((t) => t.status)),
		['toString'],
	);
	assert.deepEqual(
		views.todos('__proto__').flatMap((l) => l.tasks.map((t) => t.id)),
		['__proto__'],
	);
});

test('a tool input nested deeper than JSON.stringify can go is shown as … instead of thrown', () => {
	const deep = nested(200_000);
	assert.throws(() => JSON.stringify(deep), RangeError, 'the oracle: this value really is too deep to write');
	assert.equal(toolTarget('mcp__srv__tool', {a: deep}, null), 'a=…');
	const views = createViews();
	// Built by hand: the normalizer would cut the nesting (as a server does), a broken server need not.
	const record = rec(
		hook('PostToolUse', {
			tool_name: 'Bash',
			tool_use_id: 'toolu_deep',
			tool_input: {command: 'x'},
			success: false,
		}),
		0,
	);
	views.apply({...record, payload: {...record.payload, error: {a: deep}}});
	assert.equal(views.tools(Date.parse('2026-11-23T10:00:01Z'))[0].error, '…');
});
