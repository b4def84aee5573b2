import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createViews} from '../source/core/views/index.js';
import {hookEvents, mpmEnvelopes, MPM_SESSION, sessionFlow, SESSION_ID} from './fixtures/hook-payloads.js';
import {hook, inAgent, OTHER_CWD, OTHER_SESSION, pre, seq, T0} from './fixtures/view-sequences.js';

const todo = (content: string, status: string) => ({content, status, activeForm: `${content}…`});

test('the latest TodoWrite list per session', () => {
	const v = createViews();
	v.applyMany(
		seq(
			[0, pre('TodoWrite', 't1', {todos: [todo('Read', 'in_progress'), todo('Fix', 'pending')]})],
			[
				10,
				pre(
					'TodoWrite',
					't2',
					{todos: [todo('Other', 'pending')]},
					{session_id: OTHER_SESSION, cwd: OTHER_CWD},
				),
			],
			[20, pre('TodoWrite', 't3', {todos: [todo('Read', 'completed'), todo('Fix', 'in_progress')]})],
		),
	);
	const [list] = v.todos(SESSION_ID);
	assert.deepEqual(
		list.todos.map((t) => [t.content, t.status]),
		[
			['Read', 'completed'],
			['Fix', 'in_progress'],
		],
	);
	assert.equal(list.todos[1].activeForm, 'Fix…');
	assert.equal(list.agent, 'main');
	assert.equal(list.updatedAt, T0 + 20);
	assert.equal(v.todos(OTHER_SESSION)[0].todos[0].content, 'Other');
	assert.deepEqual(
		v.todos().map((l) => l.session),
		[SESSION_ID, OTHER_SESSION],
		'most recently updated first',
	);
	assert.deepEqual(v.todos('nope'), []);
});

test('an older list arriving late does not replace a newer one; a subagent keeps its own list', () => {
	const v = createViews();
	v.applyMany(
		seq(
			[100, pre('TodoWrite', 'new', {todos: [todo('New', 'pending')]})],
			[50, pre('TodoWrite', 'old', {todos: [todo('Old', 'pending')]})],
			[
				120,
				inAgent('ag1', 'Plan', 'PreToolUse', {
					tool_name: 'TodoWrite',
					tool_input: {todos: [todo('Sub step', 'in_progress')]},
					tool_use_id: 'sub',
				}),
			],
		),
	);
	const lists = v.todos(SESSION_ID);
	assert.equal(lists.length, 2);
	assert.equal(lists.find((l) => l.agent === 'main')!.todos[0].content, 'New');
	assert.equal(lists.find((l) => l.agent === 'ag1')!.todos[0].content, 'Sub step');
});

test("the recorded session's TodoWrite", () => {
	const v = createViews();
	v.applyMany(seq(...sessionFlow.map((p, i): [number, typeof p] => [i * 1000, p])));
	const [list] = v.todos(SESSION_ID);
	assert.deepEqual(
		list.todos.map((t) => t.status),
		['completed', 'in_progress', 'pending'],
	);
});

test('claude-mpm TodoUpdated payloads', () => {
	const v = createViews();
	v.apply(seq([0, mpmEnvelopes.todo_updated])[0]);
	const [list] = v.todos(MPM_SESSION);
	assert.deepEqual(
		list.todos.map((t) => [t.id, t.content, t.status, t.priority]),
		[
			['1', 'Implement authentication', 'in_progress', 'high'],
			['2', 'Write tests', 'pending', 'medium'],
		],
	);
});

test('TaskCreated / TaskCompleted', () => {
	const v = createViews();
	v.applyMany(
		seq(
			[0, hookEvents.TaskCreated],
			[5, hook('TaskCreated', {task_id: 'task_02', task_subject: 'Ship it'})],
			[
				30,
				inAgent('ag1', 'general-purpose', 'TaskCompleted', {task_id: 'task_01', task_subject: 'Write docs'}),
			],
		),
	);
	const lists = v.todos(SESSION_ID);
	assert.equal(lists.length, 1, 'tasks belong to the session, whoever completes them');
	const tasks = lists[0].tasks;
	assert.deepEqual(
		tasks.map((t) => [t.id, t.subject, t.status]),
		[
			['task_01', 'Write docs', 'completed'],
			['task_02', 'Ship it', 'pending'],
		],
	);
	assert.equal(tasks[0].description, 'Document the fake clock.');
	assert.equal(tasks[0].created, T0);
	assert.equal(tasks[0].completed, T0 + 30);
});
