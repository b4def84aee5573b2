/**
 * The pure parts of `mpm-tui hooks`: settings merge, diff, command quoting, scopes.
 */
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, chmodSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
	chooseForwarder,
	commandPaths,
	findOnPath,
	ForwarderError,
	forwarderFiles,
	shellQuote,
	shellWords,
} from '../source/hook/forwarder-command.js';
import {
	isPortableCommand,
	parseForwarderOption,
	portableCommand,
	portableTarget,
} from '../source/hook/portable-command.js';
import {parseScope, ScopeError, settingsPath} from '../source/hook/scopes.js';
import {lineColumn} from '../source/hook/settings-file.js';
import {
	findOurHooks,
	HOOK_EVENTS,
	installHooks,
	isMpmTuiCommand,
	NEVER_HOOKED,
	SettingsShapeError,
	uninstallHooks,
	type JsonObject,
} from '../source/hook/settings-merge.js';
import {diffLines} from '../source/hook/text-diff.js';

const CMD = '/usr/bin/sh /opt/mpm-tui/dist/hook/mpm-tui-hook.sh';
const OLD = '/usr/local/bin/node /old/place/mpm-tui/dist/hook/forward.cjs';

const foreign = {
	model: 'opus',
	permissions: {allow: ['Bash(npm test)'], deny: []},
	hooks: {
		PreToolUse: [{matcher: 'Bash', hooks: [{type: 'command', command: '/home/u/bin/guard.sh', timeout: 10}]}],
		Stop: [{hooks: [{type: 'command', command: 'notify-send done'}]}],
		PostCompact: [{hooks: [{type: 'command', command: 'echo compacted'}]}],
	},
};

describe('installHooks', () => {
	test('fresh settings: one entry per event, matcher * where the event takes one, timeout in seconds', () => {
		const {settings, changes, changed} = installHooks({}, CMD);
		assert.equal(changed, true);
		const hooks = settings.hooks as Record<string, unknown>;
		assert.deepEqual(
			Object.keys(hooks),
			HOOK_EVENTS.map((e) => e.event),
		);
		for (const spec of HOOK_EVENTS) {
			const expected = spec.matcher
				? [{matcher: '*', hooks: [{type: 'command', command: CMD, timeout: 5}]}]
				: [{hooks: [{type: 'command', command: CMD, timeout: 5}]}];
			assert.deepEqual(hooks[spec.event], expected, spec.event);
		}
		assert.ok(changes.every((c) => c.change === 'added'));
		for (const event of [
			'SessionStart',
			'UserPromptSubmit',
			'PreToolUse',
			'PostToolUse',
			'PostToolUseFailure',
			'PermissionRequest',
			'Notification',
			'SubagentStart',
			'SubagentStop',
			'Stop',
			'StopFailure',
			'PreCompact',
			'SessionEnd',
		]) {
			assert.ok(event in hooks, event);
		}
	});

	test('every other hook and setting is kept, in its place', () => {
		const {settings} = installHooks(foreign, CMD);
		assert.equal(settings.model, 'opus');
		assert.deepEqual(settings.permissions, foreign.permissions);
		const hooks = settings.hooks as Record<string, Array<{matcher?: string; hooks: unknown[]}>>;
		assert.deepEqual(hooks.PreToolUse[0], foreign.hooks.PreToolUse[0]);
		assert.deepEqual(hooks.PreToolUse[1], {
			matcher: '*',
			hooks: [{type: 'command', command: CMD, timeout: 5}],
		});
		assert.deepEqual(hooks.Stop[0], foreign.hooks.Stop[0]);
		assert.deepEqual(hooks.PostCompact, foreign.hooks.PostCompact);
		assert.deepEqual(uninstallHooks(settings).settings, foreign);
		assert.deepEqual(foreign.hooks.PreToolUse.length, 1, 'the input is not modified');
	});

	test('re-install changes nothing', () => {
		const once = installHooks(foreign, CMD).settings;
		const twice = installHooks(once, CMD);
		assert.equal(twice.changed, false);
		assert.deepEqual(twice.settings, once);
		assert.ok(twice.changes.every((c) => c.change === 'unchanged'));
	});

	test('a stale entry (moved install path) is repaired in place, not duplicated', () => {
		const stale = {
			hooks: {
				PreToolUse: [
					{matcher: '*', hooks: [{type: 'command', command: OLD, timeout: 3}]},
					{matcher: 'Bash', hooks: [{type: 'command', command: 'guard'}]},
				],
			},
		};
		const {settings, changes} = installHooks(stale, CMD);
		const pre = (settings.hooks as Record<string, unknown[]>).PreToolUse;
		assert.deepEqual(pre, [
			{matcher: '*', hooks: [{type: 'command', command: CMD, timeout: 5}]},
			{matcher: 'Bash', hooks: [{type: 'command', command: 'guard'}]},
		]);
		assert.equal(changes.find((c) => c.event === 'PreToolUse')?.change, 'updated');
		assert.equal(changes.find((c) => c.event === 'Stop')?.change, 'added');
	});

	test('duplicates of ours collapse to one; ours under a narrower matcher moves to a * group, the foreign hook stays', () => {
		const messy = {
			hooks: {
				PostToolUse: [
					{
						matcher: 'Bash',
						hooks: [
							{type: 'command', command: 'lint'},
							{type: 'command', command: OLD},
						],
					},
					{matcher: '*', hooks: [{type: 'command', command: CMD, timeout: 5}]},
					{matcher: '*', hooks: [{type: 'command', command: OLD, timeout: 5}]},
				],
			},
		};
		const post = (installHooks(messy, CMD).settings.hooks as Record<string, unknown[]>).PostToolUse;
		assert.deepEqual(post, [
			{matcher: 'Bash', hooks: [{type: 'command', command: 'lint'}]},
			{matcher: '*', hooks: [{type: 'command', command: CMD, timeout: 5}]},
		]);
	});

	test('our entry on an event outside the list (added by hand) is kept and pointed at the new path', () => {
		const extra = {hooks: {PostCompact: [{hooks: [{type: 'command', command: OLD, timeout: 9}]}]}};
		const {settings, changes} = installHooks(extra, CMD);
		assert.deepEqual((settings.hooks as Record<string, unknown>).PostCompact, [
			{hooks: [{type: 'command', command: CMD, timeout: 9}]},
		]);
		assert.deepEqual(
			changes.find((c) => c.event === 'PostCompact'),
			{event: 'PostCompact', change: 'updated'},
		);
	});

	test('never on MessageDisplay: not in the list, and a stale entry of ours there is removed (a foreign one stays)', () => {
		assert.ok(!HOOK_EVENTS.some((e) => e.event === 'MessageDisplay'));
		assert.ok(NEVER_HOOKED.has('MessageDisplay'));
		assert.ok(!('MessageDisplay' in (installHooks({}, CMD).settings.hooks as Record<string, unknown>)));
		const stale = {
			hooks: {
				MessageDisplay: [
					{matcher: '*', hooks: [{type: 'command', command: OLD, timeout: 5}]},
					{
						hooks: [
							{type: 'command', command: 'say-it'},
							{type: 'command', command: CMD},
						],
					},
				],
			},
		};
		const {settings, changes} = installHooks(stale, CMD);
		assert.deepEqual((settings.hooks as Record<string, unknown>).MessageDisplay, [
			{hooks: [{type: 'command', command: 'say-it'}]},
		]);
		assert.deepEqual(
			changes.find((c) => c.event === 'MessageDisplay'),
			{event: 'MessageDisplay', change: 'removed'},
		);
		const only = installHooks({hooks: {MessageDisplay: [{hooks: [{type: 'command', command: CMD}]}]}}, CMD)
			.settings.hooks as Record<string, unknown>;
		assert.ok(!Object.hasOwn(only, 'MessageDisplay'), 'an event array left empty goes');
	});

	test('shapes we cannot merge into are refused with where they are wrong', () => {
		assert.throws(() => installHooks([], CMD), {
			name: 'Error',
			message: 'the settings are not a JSON object',
		});
		assert.throws(() => installHooks({hooks: []}, CMD), SettingsShapeError);
		assert.throws(() => installHooks({hooks: {Stop: {}}}, CMD), {message: '"hooks.Stop" is not an array'});
		assert.throws(() => installHooks({hooks: {Stop: ['x']}}, CMD), {
			message: '"hooks.Stop[0]" is not an object',
		});
		assert.throws(() => uninstallHooks({hooks: {Stop: [{hooks: 'x'}]}}), {
			message: '"hooks.Stop[0].hooks" is not an array',
		});
	});
});

describe('uninstallHooks', () => {
	test('removes only ours, and the arrays and objects that leaves empty', () => {
		const installed = installHooks(foreign, CMD).settings;
		const {settings, changed, changes} = uninstallHooks(installed);
		assert.equal(changed, true);
		assert.deepEqual(settings, foreign);
		assert.equal(changes.length, HOOK_EVENTS.length);
		assert.deepEqual(uninstallHooks(installHooks({}, CMD).settings).settings, {});
	});

	test('keeps empty structures it did not empty itself, and reports no change when nothing is ours', () => {
		const own = {hooks: {Stop: [], PreToolUse: [{matcher: 'x', hooks: []}]}};
		const result = uninstallHooks(own);
		assert.equal(result.changed, false);
		assert.deepEqual(result.settings, own);
		assert.equal(uninstallHooks({}).changed, false);
	});
});

test('isMpmTuiCommand and findOurHooks recognise our entries wherever they are installed', () => {
	for (const command of [
		CMD,
		OLD,
		'mpm-tui-hook',
		"'/path with space/node' '/path with space/dist/hook/forward.cjs'",
	])
		assert.ok(isMpmTuiCommand(command), command);
	for (const command of [
		'echo hi',
		'/usr/bin/claude-hook-fast.sh',
		'node forward.js',
		// A user's own commands whose paths look like a forwarder's: theirs, not ours.
		'node /home/u/slack-webhook/forward.js --channel dev',
		'node ~/tools/git-hook/forward.cjs',
		'node /home/u/webhook/forward.js',
		'/usr/bin/sh /opt/mpm-tui/dist/hook/mpm-tui-hook.sh --verbose',
		'echo mpm-tui-hook',
		'cat /opt/mpm-tui/dist/hook/forward.cjs',
		42,
		undefined,
	])
		assert.ok(!isMpmTuiCommand(command), String(command));
	const found = findOurHooks(installHooks(foreign, CMD).settings);
	assert.equal(found.length, HOOK_EVENTS.length);
	assert.deepEqual(
		found.find((h) => h.event === 'PreToolUse'),
		{event: 'PreToolUse', matcher: '*', type: 'command', command: CMD, timeout: 5},
	);
	assert.deepEqual(findOurHooks({hooks: 'odd'}), []);
});

test("install and uninstall leave a user's own hooks whose paths look like a forwarder's", () => {
	const mine: JsonObject = {
		hooks: {
			Stop: [{hooks: [{type: 'command', command: 'node /home/u/slack-webhook/forward.js --channel dev'}]}],
			PreToolUse: [
				{matcher: 'Bash', hooks: [{type: 'command', command: 'node ~/tools/git-hook/forward.cjs'}]},
			],
			ConfigChange: [{hooks: [{type: 'command', command: 'node /home/u/webhook/forward.js'}]}],
		},
	};
	const installed = installHooks(structuredClone(mine), CMD).settings;
	const hooks = installed.hooks as JsonObject;
	assert.deepEqual(hooks.ConfigChange, (mine.hooks as JsonObject).ConfigChange);
	assert.deepEqual((hooks.Stop as JsonObject[])[0], ((mine.hooks as JsonObject).Stop as JsonObject[])[0]);
	assert.deepEqual(
		(hooks.PreToolUse as JsonObject[])[0],
		((mine.hooks as JsonObject).PreToolUse as JsonObject[])[0],
	);
	assert.equal(findOurHooks(mine).length, 0);
	assert.equal(findOurHooks(installed).length, HOOK_EVENTS.length);
	assert.deepEqual(uninstallHooks(installed).settings, mine);
	assert.equal(uninstallHooks(structuredClone(mine)).changed, false);
});

test('diffLines: empty for equal texts, unified-style hunks otherwise', () => {
	assert.equal(diffLines('a\nb\n', 'a\nb\n', {before: 'x', after: 'y'}), '');
	const diff = diffLines(
		'1\n2\n3\n4\n5\n6\n7\n8\n9\n',
		'1\n2\n3\n4\nfive\n6\n7\n8\n9\n',
		{before: 'old', after: 'new'},
		1,
	);
	assert.equal(diff, '--- old\n+++ new\n@@ line 4 @@\n 4\n-5\n+five\n 6\n');
	assert.equal(diffLines('', '{}\n', {before: 'a', after: 'b'}), '--- a\n+++ b\n@@ line 1 @@\n+{}\n');
});

test('shellQuote / shellWords round-trip paths with spaces and quotes; commandPaths checks each path', () => {
	const words = ['/usr/bin/node', "/home/o'brien/my apps/dist/hook/forward.cjs", '/plain/path.sh'];
	const command = words.map(shellQuote).join(' ');
	assert.equal(shellQuote('/plain/path.sh'), '/plain/path.sh');
	assert.deepEqual(shellWords(command), words);
	const paths = commandPaths(`${shellQuote(process.execPath)} /no/such/dir/forward.cjs`);
	assert.deepEqual(paths, [
		{path: process.execPath, exists: true},
		{path: '/no/such/dir/forward.cjs', exists: false},
	]);
});

test('chooseForwarder: sh when sh and curl are on PATH, node otherwise; --forwarder overrides; bad values refused', () => {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'mpm-tui-path-'));
	try {
		const withSh = path.join(dir, 'only-sh');
		const withBoth = path.join(dir, 'both');
		mkdirSync(withSh);
		mkdirSync(withBoth);
		for (const [d, names] of [
			[withSh, ['sh']],
			[withBoth, ['sh', 'curl']],
		] as const) {
			for (const name of names) {
				writeFileSync(path.join(d, name), '#!/bin/sh\n');
				chmodSync(path.join(d, name), 0o755);
			}
		}
		const both = chooseForwarder(undefined, withBoth);
		assert.equal(both.kind, 'sh');
		assert.equal(both.command, `${path.join(withBoth, 'sh')} ${shellQuote(forwarderFiles.sh)}`);
		const onlySh = chooseForwarder(undefined, withSh);
		assert.equal(onlySh.kind, 'node');
		assert.equal(onlySh.command, `${shellQuote(process.execPath)} ${shellQuote(forwarderFiles.node)}`);
		assert.match(onlySh.reason, /curl is not on PATH/);
		assert.equal(chooseForwarder('node', withBoth).kind, 'node');
		assert.throws(() => chooseForwarder('sh', withSh), {message: /needs curl on PATH/});
		assert.throws(() => chooseForwarder('python', withBoth), ForwarderError);
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
});

test('portableCommand: the forwarder on PATH as the shell finds it, which portableTarget predicts; nothing and exit 0 without one', () => {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'mpm-tui-portable-'));
	try {
		// Stand-ins named as npm links the bins; each says which one the shell ran.
		const bin = (d: string, name: string, body: string) => {
			mkdirSync(d, {recursive: true});
			writeFileSync(path.join(d, name), `#!/bin/sh\n${body}\n`);
			chmodSync(path.join(d, name), 0o755);
		};
		const shDir = path.join(dir, 'sh');
		const nodeDir = path.join(dir, 'node');
		const curlDir = path.join(dir, 'curl');
		const catDir = path.join(dir, 'cat');
		bin(shDir, 'mpm-tui-hook-sh', 'echo ran-sh');
		bin(nodeDir, 'mpm-tui-hook', 'echo ran-node');
		bin(curlDir, 'curl', 'exit 0');
		mkdirSync(catDir);
		symlinkSync(findOnPath('cat')!, path.join(catDir, 'cat'));
		const machines: Record<string, string[]> = {
			none: [],
			'node only': [nodeDir],
			'sh, no curl': [shDir],
			'sh and curl': [shDir, curlDir],
			'both, no curl': [shDir, nodeDir],
			all: [shDir, nodeDir, curlDir],
		};
		for (const kind of [undefined, 'sh', 'node'] as const) {
			const command = portableCommand(kind);
			assert.ok(isPortableCommand(command) && isMpmTuiCommand(command), command);
			assert.ok(!command.includes(dir) && !command.includes(process.execPath), 'no path of this machine');
			for (const [machine, dirs] of Object.entries(machines)) {
				const envPath = [...dirs, catDir].join(path.delimiter);
				const ran = spawnSync('/bin/sh', ['-c', command], {
					env: {PATH: envPath},
					input: '{}',
					encoding: 'utf8',
				});
				assert.equal(ran.status, 0, `${kind} on ${machine}`);
				assert.equal(ran.stderr, '', `${kind} on ${machine}`);
				const target = portableTarget(command, envPath);
				assert.equal(
					ran.stdout.trim() || 'nothing',
					target ? `ran-${target.kind}` : 'nothing',
					`${kind ?? 'default'} on ${machine}`,
				);
				if (target)
					assert.equal(
						target.path,
						path.join(
							target.kind === 'sh' ? shDir : nodeDir,
							target.kind === 'sh' ? 'mpm-tui-hook-sh' : 'mpm-tui-hook',
						),
					);
			}
		}
		// The default prefers sh + curl, then Node; --forwarder pins one.
		assert.equal(portableTarget(portableCommand(), [shDir, nodeDir, curlDir].join(':'))?.kind, 'sh');
		assert.equal(portableTarget(portableCommand(), [shDir, nodeDir].join(':'))?.kind, 'node');
		assert.equal(
			portableTarget(portableCommand('sh'), shDir)?.kind,
			'sh',
			'sh pinned: runs without curl too (it spools)',
		);
		assert.equal(portableTarget(portableCommand('node'), shDir), null);
		assert.equal(isPortableCommand(CMD), false);
		assert.throws(() => parseForwarderOption('python'), ForwarderError);
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
});

test('scopes: file per scope, CLAUDE_PROJECT_DIR for project and local, bad scope refused', () => {
	const places = {home: '/home/u', cwd: '/work/app', env: {}};
	assert.equal(settingsPath('user', places), '/home/u/.claude/settings.json');
	assert.equal(settingsPath('project', places), '/work/app/.claude/settings.json');
	assert.equal(settingsPath('local', places), '/work/app/.claude/settings.local.json');
	assert.equal(
		settingsPath('local', {...places, env: {CLAUDE_PROJECT_DIR: '/repo'}}),
		'/repo/.claude/settings.local.json',
	);
	// Claude Code keeps its settings in CLAUDE_CONFIG_DIR when it is set (the first path of a list).
	const moved = {...places, env: {CLAUDE_CONFIG_DIR: '/cfg/claude'}};
	assert.equal(settingsPath('user', moved), '/cfg/claude/settings.json');
	assert.equal(settingsPath('local', moved), '/work/app/.claude/settings.local.json');
	assert.equal(
		settingsPath('user', {...places, env: {CLAUDE_CONFIG_DIR: ' relative, /a/claude ,/b'}}),
		'/a/claude/settings.json',
	);
	assert.equal(
		settingsPath('user', {...places, env: {CLAUDE_CONFIG_DIR: ''}}),
		'/home/u/.claude/settings.json',
	);
	assert.equal(parseScope(undefined), 'user');
	assert.throws(() => parseScope('global'), ScopeError);
});

test('lineColumn counts from 1', () => {
	assert.deepEqual(lineColumn('{\n  "a": 1,\n}', 12), {line: 3, column: 1});
	assert.deepEqual(lineColumn('abc', 1), {line: 1, column: 2});
});
