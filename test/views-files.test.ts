import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createViews, type FileEntry} from '../source/core/views/index.js';
import {CWD, envelope, sessionFlow, SESSION_ID} from './fixtures/hook-payloads.js';
import {
	failure,
	inAgent,
	inputs,
	OTHER_CWD,
	OTHER_SESSION,
	post,
	pre,
	seq,
	T0,
} from './fixtures/view-sequences.js';

function file(rows: FileEntry[], path: string): FileEntry {
	const found = rows.find((r) => r.path === path);
	assert.ok(found, `no file ${path} in ${rows.map((r) => r.path).join(', ')}`);
	return found;
}

test('per path: reads / writes / edits / searches, each call counted once (Pre and Post)', () => {
	const v = createViews();
	v.applyMany(
		seq(
			[0, pre('Read', 'r1', inputs.readApp)],
			[5, post('Read', 'r1', inputs.readApp, {type: 'text'})],
			[10, pre('Edit', 'e1', inputs.editApp)],
			[15, post('Edit', 'e1', inputs.editApp, {})],
			[
				20,
				pre('MultiEdit', 'm1', {
					file_path: inputs.editApp.file_path,
					edits: [{old_string: 'x', new_string: 'y'}],
				}),
			],
			[30, pre('Write', 'w1', inputs.writeNotes)],
			[40, pre('Grep', 'g1', inputs.grepTodo)],
			[50, pre('Glob', 'gl1', {pattern: '*.ts', path: `${CWD}/source`})],
			[60, pre('LS', 'ls1', {path: `${CWD}/source`})],
			[70, pre('Glob', 'gl2', {pattern: '**/*.md'})],
			[80, pre('Bash', 'b1', {command: 'cat source/app.tsx'})],
		),
	);
	const rows = v.files();
	assert.equal(rows.length, 3);
	const app = file(rows, `${CWD}/source/app.tsx`);
	assert.deepEqual([app.reads, app.writes, app.edits, app.searches], [1, 0, 2, 0]);
	assert.equal(app.display, 'source/app.tsx');
	assert.equal(app.lastOp, 'edit');
	assert.equal(app.lastTool, 'MultiEdit');
	assert.equal(app.lastTouched, T0 + 20);
	const notes = file(rows, `${CWD}/docs/notes.md`);
	assert.equal(notes.writes, 1);
	const dir = file(rows, `${CWD}/source`);
	assert.equal(dir.searches, 3, 'Grep, Glob and LS with a path; a Glob without a path is not counted');
	assert.equal(dir.display, 'source');
	assert.deepEqual(
		rows.map((r) => r.path),
		[`${CWD}/source`, `${CWD}/docs/notes.md`, `${CWD}/source/app.tsx`],
		'most recently touched first',
	);
});

test('by which agent, which sessions; paths relative to the session cwd only when under it', () => {
	const v = createViews();
	v.applyMany(
		seq(
			[0, pre('Read', 'r1', inputs.readApp)],
			[
				10,
				inAgent('ag1', 'Explore', 'PreToolUse', {
					tool_name: 'Read',
					tool_input: inputs.readApp,
					tool_use_id: 'r2',
				}),
			],
			[20, pre('Read', 'r3', inputs.readApp, {session_id: OTHER_SESSION, cwd: OTHER_CWD})],
			[30, pre('Read', 'r4', inputs.outside)],
			[40, pre('NotebookEdit', 'n1', {notebook_path: 'nb/analysis.ipynb', new_source: 'print(1)'})],
		),
	);
	const rows = v.files();
	const app = file(rows, `${CWD}/source/app.tsx`);
	assert.equal(app.reads, 3);
	assert.equal(app.lastAgent, 'main');
	assert.deepEqual(app.sessions.sort(), [SESSION_ID, OTHER_SESSION].sort());
	assert.equal(
		app.display,
		`${CWD}/source/app.tsx`,
		'last touched from a session whose cwd is elsewhere: absolute',
	);
	assert.equal(file(rows, '/etc/hosts').display, '/etc/hosts');
	const nb = file(rows, `${CWD}/nb/analysis.ipynb`);
	assert.equal(nb.edits, 1, 'a relative path is keyed absolute from the cwd');
	assert.equal(nb.display, 'nb/analysis.ipynb');
	const w = createViews();
	w.applyMany(
		seq(
			[0, pre('Read', 'r1', inputs.readApp)],
			[
				10,
				inAgent('ag1', 'Explore', 'PreToolUse', {
					tool_name: 'Read',
					tool_input: inputs.readApp,
					tool_use_id: 'r2',
				}),
			],
		),
	);
	assert.equal(w.files()[0].lastAgent, 'ag1');
});

test('a failed call counts as touched and as a failure; a Post whose Pre was lost counts once', () => {
	const v = createViews();
	v.applyMany(
		seq(
			[0, pre('Edit', 'e1', inputs.editApp)],
			[10, failure('Edit', 'e1', inputs.editApp, 'String to replace not found in file.', false)],
			[20, post('Read', 'r9', inputs.readApp, {})],
		),
	);
	const [app] = v.files();
	assert.equal(app.edits, 1);
	assert.equal(app.reads, 1);
	assert.equal(app.failures, 1);
	assert.equal(app.lastOp, 'read');
});

test('the recorded session: both reads of the flaky test, the edit, the searched dir', () => {
	const v = createViews();
	v.applyMany(seq(...sessionFlow.map((p, i): [number, typeof p] => [i * 1000, p])));
	const rows = v.files();
	assert.equal(file(rows, `${CWD}/test/flaky.test.ts`).reads, 2);
	assert.equal(file(rows, `${CWD}/test/flaky.test.ts`).lastAgent, 'a7f3c2e19b04d6a8');
	assert.equal(file(rows, `${CWD}/source/app.tsx`).edits, 1);
	assert.equal(file(rows, `${CWD}/test`).searches, 2);
});

test('claude-mpm pre_tool with tool_parameters counts', () => {
	const v = createViews();
	v.applyMany(
		seq([
			0,
			envelope('pre_tool', {
				tool_name: 'Edit',
				tool_parameters: {file_path: `${CWD}/source/app.tsx`},
				working_directory: CWD,
			}),
		]),
	);
	const [app] = v.files();
	assert.equal(app.edits, 1);
	assert.equal(app.display, 'source/app.tsx');
});

test('bounded: the least recently touched files are dropped first', () => {
	const v = createViews({maxFiles: 10});
	const entries: Array<[number, Record<string, unknown>]> = [];
	for (let i = 0; i < 30; i++) entries.push([i, pre('Read', `r${i}`, {file_path: `${CWD}/f${i}.ts`})]);
	entries.push([100, pre('Read', 'again', {file_path: `${CWD}/f25.ts`})]);
	entries.push([101, pre('Read', 'new', {file_path: `${CWD}/g.ts`})]);
	v.applyMany(seq(...entries));
	const rows = v.files();
	assert.ok(rows.length <= 10 && rows.length >= 9, `kept ${rows.length}`);
	assert.ok(
		rows.some((r) => r.path === `${CWD}/f25.ts` && r.reads === 2),
		'touched again: kept',
	);
	assert.ok(rows.some((r) => r.path === `${CWD}/g.ts`));
	assert.ok(rows.some((r) => r.path === `${CWD}/f29.ts`));
	for (let i = 0; i < 20; i++) assert.ok(!rows.some((r) => r.path === `${CWD}/f${i}.ts`), `f${i} dropped`);
});
