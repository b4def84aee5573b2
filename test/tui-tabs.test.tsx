/**
 * The presentational Tools / Agents / Files / Sessions tabs with ink-testing-library, fed with
 * snapshots of the real derived views over recorded-shape hook payloads.
 */
import {afterEach, test} from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import {createViews, type ToolCall} from '../source/core/views/index.js';
import {sessionFlow} from './fixtures/hook-payloads.js';
import {
	failure,
	hook,
	inAgent,
	inputs,
	OTHER_CWD,
	OTHER_SESSION,
	post,
	pre,
	seq,
	T0,
} from './fixtures/view-sequences.js';
import {strip} from './helpers/tui-kit.js';
import stringWidth from 'string-width';

// Colours on: chalk reads this when Ink is first loaded.
process.env.FORCE_COLOR = '1';
const {cleanup, render} = await import('ink-testing-library');
const {ToolsTable} = await import('../source/tui/tabs/tools/ToolsTable.js');
const {AgentsTable, AgentDetail} = await import('../source/tui/tabs/agents/AgentsTable.js');
const {FilesTable} = await import('../source/tui/tabs/files/FilesTable.js');
const {SessionsTable} = await import('../source/tui/tabs/sessions/SessionsTable.js');

afterEach(() => cleanup());

const RED = '\u001B[31m';
const YELLOW = '\u001B[33m';
const BOLD = '\u001B[1m';

function lines(frame: string | undefined): string[] {
	return (frame ?? '').split('\n');
}

function assertFits(frame: string | undefined, width: number, height: number): string[] {
	const raw = lines(frame);
	assert.ok(raw.length <= height, `${raw.length} lines for a height of ${height}:\n${strip(frame)}`);
	for (const line of raw)
		assert.ok(stringWidth(strip(line)) <= width, `line wider than ${width}: ${JSON.stringify(strip(line))}`);
	return raw;
}

function flowViews() {
	const v = createViews();
	v.applyMany(seq(...sessionFlow.map((p, i): [number, typeof p] => [i * 1000, p])));
	return v;
}

test('Tools tab: marks, targets, durations; failed calls red; never taller or wider than given', () => {
	const v = flowViews();
	v.apply(seq([40_000, pre('Bash', 'toolu_live', inputs.bashWatch)])[0]);
	const rows = v.tools(T0 + 44_000);
	const {lastFrame} = render(<ToolsTable rows={rows} cursor={0} width={120} height={12} />);
	const raw = assertFits(lastFrame(), 120, 12);
	assert.equal(raw.length, 11, 'a title and ten calls');
	const text = raw.map(strip);
	assert.match(text[0], /tool\s+target/);
	assert.match(text[0], /target\s+1\/10\s+took\s+status/);
	assert.match(
		text[1],
		/◐.*Bash\s+npm run watch\s+4\.0s\s+running\s+main/,
		'a running call shows its elapsed time',
	);
	const failed = raw.findIndex((l) => strip(l).includes('npm test'));
	assert.ok(failed > 0, 'the failed Bash call is in the window');
	assert.match(text[failed], /✗.*Bash\s+npm test\s+—\s+Command failed.*2\.1s\s+failed/);
	assert.ok(raw[failed].includes(RED), 'failed calls are red');
	assert.equal(
		text.filter((l) => /\d(ms|s)\s+ok\s+Explore\s/.test(l)).length,
		2,
		'subagent calls name their agent type',
	);
	const rerendered = render(<ToolsTable rows={v.tools(T0 + 65_000)} cursor={0} width={120} height={8} />);
	assert.match(strip(lines(rerendered.lastFrame())[1]), /25\.0s/, 'a fresh snapshot ticks the running call');
});

test('Tools tab narrows: columns drop at 60 columns, the target stays', () => {
	const rows = flowViews().tools(T0 + 30_000);
	const {lastFrame} = render(<ToolsTable rows={rows} cursor={0} width={60} height={6} />);
	const text = assertFits(lastFrame(), 60, 6).map(strip);
	assert.ok(!/agent|session|time/.test(text[0]), `narrow title: ${text[0]}`);
	assert.match(text[1], /rm -rf dist/);
	assert.match(text[1], /31ms/);
});

test('only the visible window renders, following the cursor', () => {
	const v = createViews();
	const entries: Array<[number, Record<string, unknown>]> = [];
	for (let i = 0; i < 100; i++)
		entries.push([
			i * 10,
			pre('Read', `r${i}`, {file_path: `/home/u/app/f${String(i).padStart(3, '0')}.ts`}),
		]);
	v.applyMany(seq(...entries));
	const rows = v.tools(T0 + 2000);
	const {lastFrame} = render(<ToolsTable rows={rows} cursor={50} width={80} height={6} note="by time" />);
	const text = assertFits(lastFrame(), 80, 6).map(strip);
	assert.equal(text.length, 6);
	assert.match(text[0], /by time\s+51\/100\s+took\s+status\s*$/);
	assert.ok(
		text.some((l) => l.includes('f049.ts')),
		'the cursor row (newest first: index 50 is f049) is shown',
	);
	assert.ok(!text.some((l) => l.includes('f099.ts') || l.includes('f000.ts')));
	const selected = lines(lastFrame()).find((l) => strip(l).includes('f049.ts'))!;
	assert.ok(selected.includes('\u001B[7m'), 'the cursor row is drawn inverse');
	const top = render(<ToolsTable rows={rows} cursor={0} width={80} height={1} />);
	assert.equal(lines(top.lastFrame()).length, 1, 'a height of 1 shows one row and no title');
});

test('empty states say what will appear', () => {
	const {lastFrame} = render(<ToolsTable rows={[] as ToolCall[]} cursor={0} width={70} height={5} />);
	const text = assertFits(lastFrame(), 70, 5).map(strip);
	assert.match(text[1], /No tool calls yet/);
	assert.match(text[0], /0\/0\s+took$/);
	const files = render(<FilesTable rows={[]} cursor={0} width={70} height={5} now={T0} />);
	assert.match(strip(files.lastFrame()), /No files touched yet/);
});

test('Agents tab and the agent detail: type, task, status, duration, tool count, last message, its calls', () => {
	const v = flowViews();
	v.applyMany(
		seq(
			[
				40_000,
				pre('Agent', 'toolu_k', {
					description: 'Refactor the clock',
					prompt: 'Do it',
					subagent_type: 'general-purpose',
				}),
			],
			[40_010, hook('SubagentStart', {agent_id: 'k1', agent_type: 'general-purpose'})],
			[41_000, failure('Agent', 'toolu_k', {description: 'Refactor the clock'}, 'Interrupted by user', true)],
		),
	);
	const agents = v.agents(T0 + 50_000);
	const {lastFrame} = render(<AgentsTable rows={agents} cursor={0} width={100} height={5} />);
	const raw = assertFits(lastFrame(), 100, 5);
	const text = raw.map(strip);
	assert.match(text[1], /⊘ 5b1e general-purpose\s+Refactor the clock\s+interrupted\s+1\.0s\s+0/);
	assert.ok(
		raw[1].includes(YELLOW) && !raw[1].includes(RED),
		'an agent the user stopped is yellow, as an interrupted call: not an error',
	);
	assert.match(text[2], /✓ 5b1e Explore\s+Find the flaky test\s+done\s+18\.4s\s+2/);
	const explore = agents[1];
	const calls = v.tools(T0 + 50_000).filter((c) => explore.toolCallIds.includes(c.id));
	const detail = render(<AgentDetail agent={explore} calls={calls} cursor={0} width={90} height={7} />);
	const d = assertFits(detail.lastFrame(), 90, 7).map(strip);
	assert.match(d[0], /^Explore\s+done\s+18\.4s\s+2 tools/);
	assert.match(d.join('\n'), /last: Found it in test\/flaky\.test\.ts:17/);
	assert.match(d.join('\n'), /Grep\s+Date\.now\s+in test/);
	assert.match(d.join('\n'), /Read\s+test\/flaky\.test\.ts/);
});

test('Files tab: path relative to cwd, counts, last touched, by which agent', () => {
	const v = flowViews();
	const now = T0 + 3 * 60_000;
	const {lastFrame} = render(<FilesTable rows={v.files()} cursor={0} width={100} height={5} now={now} />);
	const text = assertFits(lastFrame(), 100, 5).map(strip);
	assert.match(text[0], /path\s+1\/3\s+R\s+W\s+E\s+S\s+last\s+touched\s+by/);
	assert.match(text[1], /source\/app\.tsx\s+·\s+·\s+1\s+·\s+Edit\s+2m ago\s+main/);
	assert.match(text[2], /test\/flaky\.test\.ts\s+2\s+·\s+·\s+·\s+Read\s+2m ago\s+Explore/);
	const narrow = render(<FilesTable rows={v.files()} cursor={0} width={60} height={5} now={now} />);
	assertFits(narrow.lastFrame(), 60, 5);
});

test('Sessions tab: a session waiting for you comes first and stands out', () => {
	const rm = {command: 'rm -rf dist'};
	const v = createViews();
	v.applyMany(
		seq(
			[0, hook('UserPromptSubmit', {prompt: 'clean up the build'})],
			[10, pre('Bash', 'toolu_rm', rm)],
			[20, hook('PermissionRequest', {tool_name: 'Bash', tool_input: rm})],
			[30, hook('UserPromptSubmit', {session_id: OTHER_SESSION, cwd: OTHER_CWD, prompt: 'bump the version'})],
			[40, pre('Read', 'o1', inputs.readApp, {session_id: OTHER_SESSION, cwd: OTHER_CWD})],
			[50, post('Read', 'o1', inputs.readApp, {}, {session_id: OTHER_SESSION, cwd: OTHER_CWD})],
			[
				60,
				inAgent('x', 'Explore', 'Notification', {
					session_id: 'ended-session',
					message: 'bye',
					notification_type: 'other',
				}),
			],
			[70, hook('SessionEnd', {session_id: 'ended-session', reason: 'logout'})],
		),
	);
	const now = T0 + 90_000;
	const {lastFrame} = render(
		<SessionsTable rows={v.sessions(now)} cursor={1} width={110} height={6} now={now} />,
	);
	const raw = assertFits(lastFrame(), 110, 6);
	const text = raw.map(strip);
	assert.match(text[1], /▲ WAITING\s+5b1e0c9a\s+~\/app\s+permission \(1m30s\): Bash {2}rm -rf dist/);
	assert.ok(raw[1].includes(YELLOW) && raw[1].includes(BOLD), 'waiting sessions are bold yellow');
	assert.match(text[2], /● working\s+c0ffee00\s+~\/lib\s+bump the version\s+1\s+1\s+·\s+1m ago/);
	assert.match(text[3], /· ended\s+ended-se/, 'ended sessions go last');
	const narrow = render(<SessionsTable rows={v.sessions(now)} cursor={0} width={60} height={4} now={now} />);
	const n = assertFits(narrow.lastFrame(), 60, 4).map(strip);
	assert.match(n[1], /WAITING/);
});
