import {test} from 'node:test';
import assert from 'node:assert/strict';
import {summarize} from '../source/core/summary.js';
import {CWD, common, hookEvents, interruptedBash, sessionFlow} from './fixtures/hook-payloads.js';

const tool = (
	hook: string,
	toolName: string,
	input: Record<string, unknown>,
	extra: Record<string, unknown> = {},
) =>
	summarize(hook, common(hook, {tool_name: toolName, tool_input: input, tool_use_id: 'toolu_x', ...extra}));

test('tool calls: the command, file (relative to cwd), pattern, URL or agent', () => {
	assert.equal(tool('PreToolUse', 'Bash', {command: 'npm test'}), 'Bash  npm test');
	assert.equal(tool('PreToolUse', 'Read', {file_path: `${CWD}/source/app.tsx`}), 'Read  source/app.tsx');
	assert.equal(
		tool('PostToolUse', 'Edit', {file_path: `${CWD}/source/app.tsx`, old_string: 'a', new_string: 'b'}),
		'Edit  source/app.tsx',
	);
	assert.equal(
		tool('PreToolUse', 'Write', {file_path: '/etc/hosts', content: 'x'}),
		'Write  /etc/hosts',
		'outside cwd stays absolute',
	);
	assert.equal(
		tool('PreToolUse', 'Write', {file_path: '/home/u/application/x.ts'}),
		'Write  /home/u/application/x.ts',
		'a sibling with the same prefix is not under cwd',
	);
	assert.equal(
		tool('PreToolUse', 'NotebookEdit', {notebook_path: `${CWD}/nb/a.ipynb`}),
		'NotebookEdit  nb/a.ipynb',
	);
	assert.equal(
		tool('PreToolUse', 'Grep', {pattern: 'TODO', path: `${CWD}/source`}),
		'Grep  "TODO" in source',
	);
	assert.equal(tool('PreToolUse', 'Grep', {pattern: 'TODO'}), 'Grep  "TODO"');
	assert.equal(tool('PreToolUse', 'Glob', {pattern: '**/*.ts'}), 'Glob  **/*.ts');
	assert.equal(
		tool('PreToolUse', 'WebFetch', {url: 'https://nodejs.org/api/test.html', prompt: 'x'}),
		'WebFetch  https://nodejs.org/api/test.html',
	);
	assert.equal(tool('PreToolUse', 'WebSearch', {query: 'ink 6 release'}), 'WebSearch  "ink 6 release"');
	assert.equal(
		tool('PreToolUse', 'Agent', {
			description: 'Find the flaky test',
			subagent_type: 'general-purpose',
			prompt: '…',
		}),
		'Agent  general-purpose: Find the flaky test',
	);
	assert.equal(
		tool('PreToolUse', 'Task', {description: 'Find the flaky test', subagent_type: 'general-purpose'}),
		'Task  general-purpose: Find the flaky test',
	);
	assert.equal(
		tool('PreToolUse', 'TodoWrite', {
			todos: [
				{content: 'a', status: 'in_progress'},
				{content: 'b', status: 'pending'},
				{content: 'c', status: 'pending'},
			],
		}),
		'TodoWrite  3 todos (1 in progress)',
	);
	assert.equal(
		tool('PreToolUse', 'TodoWrite', {todos: [{content: 'a', status: 'pending'}]}),
		'TodoWrite  1 todo',
	);
	assert.equal(
		tool('PreToolUse', 'mcp__github__create_issue', {title: 'Flaky test'}),
		'mcp github/create_issue  Flaky test',
	);
	assert.equal(tool('PreToolUse', 'SomeNewTool', {}), 'SomeNewTool');
	assert.equal(tool('PreToolUse', 'SomeNewTool', {target: 'thing'}), 'SomeNewTool  thing');
});

test('session, prompt, stop, subagent, permission, notification, compact and task events', () => {
	assert.equal(summarize('UserPromptSubmit', sessionFlow[1]), 'prompt  "fix the failing test"');
	assert.equal(summarize('SessionStart', hookEvents.SessionStart), 'session start  (startup)');
	assert.equal(summarize('SessionEnd', hookEvents.SessionEnd), 'session end  (logout)');
	assert.equal(
		summarize('Stop', common('Stop', {last_assistant_message: 'All tests pass now.'})),
		'stop  "All tests pass now."',
	);
	assert.equal(summarize('Stop', common('Stop', {stop_hook_active: false})), 'stop');
	assert.equal(summarize('StopFailure', hookEvents.StopFailure), 'stop failed  rate_limit');
	assert.equal(summarize('SubagentStart', hookEvents.SubagentStart), 'subagent start  Explore');
	assert.equal(
		summarize(
			'SubagentStop',
			common('SubagentStop', {
				agent_id: 'a1',
				agent_type: 'Explore',
				last_assistant_message: 'Found it in x',
			}),
		),
		'subagent stop  Explore: "Found it in x"',
	);
	assert.equal(
		summarize('SubagentStop', common('SubagentStop', {agent_id: 'a1', agent_type: ''})),
		'subagent stop  a1',
		'empty agent_type falls back to the id',
	);
	assert.equal(
		summarize('PermissionRequest', hookEvents.PermissionRequest),
		'permission?  Bash  rm -rf dist',
	);
	assert.equal(
		summarize('Notification', hookEvents.Notification),
		'notify  Claude needs your permission to use Bash',
	);
	assert.equal(
		summarize(
			'PostToolUseFailure',
			common('PostToolUseFailure', {
				tool_name: 'Bash',
				tool_input: {command: 'npm test'},
				error: 'Command failed: exit 1',
			}),
		),
		'failed  Bash  npm test: Command failed: exit 1',
	);
	assert.equal(summarize('PostToolUseFailure', interruptedBash), 'interrupted  Bash  npm run watch');
	assert.equal(summarize('PreCompact', hookEvents.PreCompact), 'compact  auto');
	assert.equal(summarize('TaskCreated', hookEvents.TaskCreated), 'task created  Write docs');
	assert.equal(summarize('TaskCompleted', hookEvents.TaskCompleted), 'task done  Write docs');
	assert.equal(summarize('PostToolBatch', hookEvents.PostToolBatch), 'batch  3 tools: Read, Grep, Bash');
	assert.equal(
		summarize('PermissionDenied', hookEvents.PermissionDenied),
		'denied  Bash  git push --force: Denied by rule Bash(git push --force)',
	);
});

test('unknown events: name and the first useful string field', () => {
	assert.equal(summarize('TeammateIdle', hookEvents.TeammateIdle), 'TeammateIdle  reviewer');
	assert.equal(summarize('FileChanged', hookEvents.FileChanged), 'FileChanged  package.json');
	assert.equal(summarize('Whatever', common('Whatever')), 'Whatever');
});

test('always one line, no control characters, at most 200 characters', () => {
	const long = summarize(
		'UserPromptSubmit',
		common('UserPromptSubmit', {prompt: 'line one\nline two\t\u0007bell ' + 'word '.repeat(100)}),
	);
	assert.ok(long.length <= 200, `${long.length}`);
	assert.doesNotMatch(long, /[\u0000-\u001f\u007f]/);
	assert.ok(long.startsWith('prompt  "line one line two bell word'));
	const bash = summarize(
		'PreToolUse',
		common('PreToolUse', {tool_name: 'Bash', tool_input: {command: 'echo ' + 'y'.repeat(500)}}),
	);
	assert.equal(bash.length, 200);
	assert.ok(bash.endsWith('…'));
	const emoji = summarize(
		'PreToolUse',
		common('PreToolUse', {tool_name: 'Bash', tool_input: {command: 'x'.repeat(191) + '😀'.repeat(20)}}),
	);
	assert.ok(emoji.length <= 200);
	assert.doesNotMatch(emoji, /[\ud800-\udbff](?![\udc00-\udfff])/, 'no lone high surrogate');
	assert.equal(summarize('Line\nBreak', {}), 'Line Break');
	assert.equal(summarize('', {}), 'event');
});

test('every fixture summary is one line of at most 200 characters', () => {
	for (const payload of [...sessionFlow, ...Object.values(hookEvents)]) {
		const s = summarize(payload.hook_event_name as string, payload);
		assert.ok(s.length > 0 && s.length <= 200);
		assert.doesNotMatch(s, /[\u0000-\u001f]/);
	}
});
