/**
 * `mpm-tui hooks install|uninstall|status` on real files in temporary HOME and project dirs
 * (runHooks in-process with temp places; the spawned CLI is in installer-cli.test.ts).
 */
import {describe, test} from 'node:test';
import {execFileSync, spawnSync} from 'node:child_process';
import assert from 'node:assert/strict';
import {
	chmodSync,
	existsSync,
	lstatSync,
	mkdirSync,
	readFileSync,
	readlinkSync,
	statSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import path from 'node:path';
import {runHooks, type HooksContext} from '../source/commands/hooks.js';
import {resolveConfig} from '../source/config.js';
import {startServer} from '../source/server/server.js';
import {HOOK_EVENTS} from '../source/hook/settings-merge.js';
import {freePort} from './helpers/free-port.js';
import {forbiddenIn} from './fixtures/hostile-events.js';
import {tempDir} from './helpers/forwarder.js';

interface Run {
	code: number;
	out: string;
	err: string;
}

/** PATH without any directory that holds an mpm-tui forwarder (a developer may have one installed): this machine has none. */
const pathWithoutMpmTui = (process.env.PATH ?? '')
	.split(path.delimiter)
	.filter(
		(dir) =>
			dir !== '' &&
			!existsSync(path.join(dir, 'mpm-tui-hook')) &&
			!existsSync(path.join(dir, 'mpm-tui-hook-sh')),
	)
	.join(path.delimiter);

function setup(t: {after(fn: () => void): void}) {
	const temp = tempDir('installer');
	t.after(temp.cleanup);
	const home = path.join(temp.dir, 'home');
	const project = path.join(temp.dir, 'project');
	mkdirSync(home);
	mkdirSync(project);
	const env = {PATH: pathWithoutMpmTui, MPM_TUI_STATE_DIR: path.join(temp.dir, 'state')};
	const run = async (args: string[], extra: {port?: number} = {}): Promise<Run> => {
		const [sub, ...flags] = args;
		const opt = (name: string) => {
			const i = flags.indexOf(name);
			return i === -1 ? undefined : flags[i + 1];
		};
		let out = '';
		let err = '';
		const context: HooksContext = {home, cwd: project, env, out: (s) => (out += s), err: (s) => (err += s)};
		const config = resolveConfig({port: extra.port ?? (await freePort())}, env, home);
		const code = await runHooks(
			config,
			sub,
			{
				scope: opt('--scope'),
				forwarder: opt('--forwarder'),
				dryRun: flags.includes('--dry-run'),
				force: flags.includes('--force'),
			},
			context,
		);
		return {code, out, err};
	};
	return {
		home,
		project,
		run,
		user: path.join(home, '.claude', 'settings.json'),
		projectFile: path.join(project, '.claude', 'settings.json'),
		localFile: path.join(project, '.claude', 'settings.local.json'),
		spool: path.join(temp.dir, 'state', 'spool.ndjson'),
	};
}

const foreignText = `{
\t"model": "opus",
\t"hooks": {
\t\t"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "/home/u/bin/guard.sh"}]}]
\t},
\t"env": {"FOO": "bar"}
}
`;

function json(file: string): {
	hooks: Record<string, Array<{matcher?: string; hooks: Array<{command: string; timeout?: number}>}>>;
	[k: string]: unknown;
} {
	return JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
}

describe('hooks install / uninstall on files', () => {
	test('fresh: creates ~/.claude/settings.json with every event, no backup', async (t) => {
		const s = setup(t);
		const r = await s.run(['install', '--forwarder', 'node']);
		assert.equal(r.code, 0, r.err);
		const settings = json(s.user);
		assert.deepEqual(
			Object.keys(settings.hooks),
			HOOK_EVENTS.map((e) => e.event),
		);
		assert.match(settings.hooks.Stop[0].hooks[0].command, /^\S*node\S* \S+\/dist\/hook\/forward\.cjs$/);
		assert.equal(settings.hooks.Stop[0].hooks[0].timeout, 5);
		assert.equal(existsSync(`${s.user}.bak-mpm-tui`), false);
		assert.match(r.out, /installed in .*settings\.json \(user scope\)/);
	});

	test('existing foreign hooks and settings kept, indentation kept, backup holds the old bytes', async (t) => {
		const s = setup(t);
		mkdirSync(path.dirname(s.projectFile));
		writeFileSync(s.projectFile, foreignText);
		const r = await s.run(['install', '--scope', 'project']);
		assert.equal(r.code, 0, r.err);
		const settings = json(s.projectFile);
		assert.equal(settings.model, 'opus');
		assert.deepEqual(settings.env, {FOO: 'bar'});
		assert.deepEqual(settings.hooks.PreToolUse[0], {
			matcher: 'Bash',
			hooks: [{type: 'command', command: '/home/u/bin/guard.sh'}],
		});
		assert.equal(settings.hooks.PreToolUse[1].matcher, '*');
		assert.match(readFileSync(s.projectFile, 'utf8'), /^\{\n\t"model"/);
		assert.equal(readFileSync(`${s.projectFile}.bak-mpm-tui`, 'utf8'), foreignText);
		assert.equal(existsSync(s.user), false, 'other scopes untouched');
		assert.doesNotMatch(r.out, /note: also installed/);
		const second = await s.run(['install', '--scope', 'user']);
		assert.match(second.out, /note: also installed in .*project\/\.claude\/settings\.json \(project scope\)/);
	});

	test('re-install leaves the file byte-identical', async (t) => {
		const s = setup(t);
		mkdirSync(path.dirname(s.localFile), {recursive: true});
		writeFileSync(s.localFile, foreignText);
		assert.equal((await s.run(['install', '--scope', 'local'])).code, 0);
		const first = readFileSync(s.localFile);
		const again = await s.run(['install', '--scope', 'local']);
		assert.equal(again.code, 0);
		assert.match(again.out, /already installed .* nothing changed/);
		assert.deepEqual(readFileSync(s.localFile), first);
	});

	test('a stale mpm-tui path is repaired, with no duplicate entries', async (t) => {
		const s = setup(t);
		const stale = '/usr/bin/node /gone/old-install/dist/hook/forward.cjs';
		mkdirSync(path.dirname(s.user), {recursive: true});
		writeFileSync(
			s.user,
			JSON.stringify(
				{hooks: {PreToolUse: [{matcher: '*', hooks: [{type: 'command', command: stale, timeout: 5}]}]}},
				null,
				2,
			),
		);
		const status = await s.run(['status']);
		assert.match(status.out, /MISSING \/gone\/old-install\/dist\/hook\/forward\.cjs/);
		const r = await s.run(['install', '--forwarder', 'sh']);
		assert.equal(r.code, 0, r.err);
		assert.match(r.out, /updated: +PreToolUse/);
		const pre = json(s.user).hooks.PreToolUse;
		assert.equal(pre.length, 1);
		assert.equal(pre[0].hooks.length, 1);
		assert.match(pre[0].hooks[0].command, /\/dist\/hook\/mpm-tui-hook\.sh$/);
		assert.ok(!readFileSync(s.user, 'utf8').includes('/gone/'));
	});

	test('a settings file that is not JSON is refused untouched, with its path, line and column', async (t) => {
		const s = setup(t);
		mkdirSync(path.dirname(s.user), {recursive: true});
		const broken = '{\n  "model": "opus",\n  "hooks": {,}\n}\n';
		writeFileSync(s.user, broken);
		for (const sub of ['install', 'uninstall']) {
			const r = await s.run([sub]);
			assert.equal(r.code, 1);
			assert.equal(r.out, '');
			assert.ok(r.err.includes(s.user), r.err);
			assert.match(r.err, /not valid JSON at line 3, column 13/);
			assert.equal(readFileSync(s.user, 'utf8'), broken);
			assert.equal(existsSync(`${s.user}.bak-mpm-tui`), false);
		}
		const shape = '{"hooks": ["not", "an", "object"]}';
		writeFileSync(s.user, shape);
		const r = await s.run(['install']);
		assert.equal(r.code, 1);
		assert.match(r.err, /"hooks" is not an object; left untouched/);
		assert.equal(readFileSync(s.user, 'utf8'), shape);
	});

	test('a settings file nested too deep is refused with line and column, not a stack overflow', async (t) => {
		const s = setup(t);
		mkdirSync(path.dirname(s.user), {recursive: true});
		// The QA's file: valid JSON, 100,000 arrays deep, on the second line.
		const deep = `{"model": "opus",\n "a": ${'['.repeat(100_000)}${']'.repeat(100_000)}}\n`;
		writeFileSync(s.user, deep);
		for (const sub of ['install', 'uninstall']) {
			const r = await s.run([sub]);
			assert.equal(r.code, 1, r.out);
			assert.doesNotMatch(r.err, /call stack/);
			// Depth 513 is reached by the 512th '[' (the object is level 1), at column 7 + 511.
			assert.match(
				r.err,
				/settings\.json nests objects and arrays more than 512 deep at line 2, column 518; .*left untouched/,
			);
			assert.equal(readFileSync(s.user, 'utf8'), deep);
		}
		const status = await s.run(['status']);
		assert.match(status.out, /settings\.json: .*nests objects and arrays more than 512 deep at line 2/);
		// As deep as allowed (512 levels, strings with brackets not counted) is accepted.
		const ok = `{"model": "[[[\\"[[", "a": ${'['.repeat(511)}${']'.repeat(511)}}`;
		writeFileSync(s.user, ok);
		const r = await s.run(['install']);
		assert.equal(r.code, 0, r.err);
		assert.equal(json(s.user).model, '[[["[[');
	});

	test('uninstall removes only ours (and what that leaves empty); a second uninstall changes nothing', async (t) => {
		const s = setup(t);
		mkdirSync(path.dirname(s.projectFile));
		writeFileSync(s.projectFile, foreignText);
		await s.run(['install', '--scope', 'project']);
		const r = await s.run(['uninstall', '--scope', 'project']);
		assert.equal(r.code, 0, r.err);
		assert.deepEqual(JSON.parse(readFileSync(s.projectFile, 'utf8')), JSON.parse(foreignText));
		const again = await s.run(['uninstall', '--scope', 'project']);
		assert.match(again.out, /no mpm-tui hooks/);
		const none = await s.run(['uninstall', '--scope', 'local']);
		assert.equal(none.code, 0);
		assert.equal(existsSync(s.localFile), false);
	});

	test('--dry-run prints the diff and writes nothing', async (t) => {
		const s = setup(t);
		const fresh = await s.run(['install', '--dry-run']);
		assert.equal(fresh.code, 0);
		assert.match(fresh.out, /^--- .*settings\.json \(new file\)\n\+\+\+ /);
		assert.match(fresh.out, /^\+ +"command": ".*(forward\.cjs|mpm-tui-hook\.sh)",$/m);
		assert.match(fresh.out, /dry run: nothing written/);
		assert.equal(existsSync(path.dirname(s.user)), false);

		mkdirSync(path.dirname(s.projectFile));
		writeFileSync(s.projectFile, foreignText);
		await s.run(['install', '--scope', 'project']);
		const installed = readFileSync(s.projectFile);
		const un = await s.run(['uninstall', '--scope', 'project', '--dry-run']);
		assert.match(un.out, /^-\s+"command": "command -v mpm-tui-hook-sh .*",$/m);
		assert.deepEqual(readFileSync(s.projectFile), installed);
	});

	test('a FIFO or directory where the settings file should be: one clear line, no waiting, nothing written', async (t) => {
		const s = setup(t);
		mkdirSync(path.dirname(s.projectFile), {recursive: true});
		execFileSync('mkfifo', [s.projectFile]);
		mkdirSync(s.localFile);
		const started = Date.now();
		const status = await s.run(['status']);
		assert.equal(status.code, 0);
		assert.match(
			status.out,
			/^project .*settings\.json: .*settings\.json is not a regular file; left untouched$/m,
		);
		assert.match(
			status.out,
			/^local .*settings\.local\.json: .*settings\.local\.json is not a regular file; left untouched$/m,
		);
		for (const scope of ['project', 'local']) {
			const r = await s.run(['install', '--scope', scope]);
			assert.equal(r.code, 1);
			assert.match(r.err, /is not a regular file; left untouched/);
		}
		assert.ok(Date.now() - started < 5000, 'nothing waited on the FIFO');
		assert.ok(lstatSync(s.projectFile).isFIFO());
	});

	test('a symlinked settings file is written through the link', async (t) => {
		const s = setup(t);
		const real = path.join(s.home, 'dotfiles', 'claude-settings.json');
		mkdirSync(path.dirname(real), {recursive: true});
		mkdirSync(path.dirname(s.user), {recursive: true});
		writeFileSync(real, '{"model": "opus"}\n');
		symlinkSync(real, s.user);
		assert.equal((await s.run(['install'])).code, 0);
		assert.ok(lstatSync(s.user).isSymbolicLink());
		assert.equal(readlinkSync(s.user), real);
		assert.equal(json(real).model, 'opus');
		assert.ok('Stop' in json(real).hooks);
	});

	test('a dangling settings link creates its target and stays a link; a target in no directory is refused', async (t) => {
		const s = setup(t);
		const dotfiles = path.join(s.home, 'dotfiles');
		mkdirSync(dotfiles);
		mkdirSync(path.dirname(s.user), {recursive: true});
		// A relative link through a second link, both dangling: followed link by link.
		symlinkSync('../dotfiles/hop.json', s.user);
		symlinkSync('notyet.json', path.join(dotfiles, 'hop.json'));
		const r = await s.run(['install']);
		assert.equal(r.code, 0, r.err);
		assert.ok(lstatSync(s.user).isSymbolicLink(), 'the link is kept');
		assert.equal(readlinkSync(s.user), '../dotfiles/hop.json');
		assert.ok(lstatSync(path.join(dotfiles, 'hop.json')).isSymbolicLink());
		assert.ok('Stop' in json(path.join(dotfiles, 'notyet.json')).hooks, 'written to the target');
		assert.ok('Stop' in json(s.user).hooks);

		const t2 = setup(t);
		mkdirSync(path.dirname(t2.user), {recursive: true});
		const nowhere = path.join(t2.home, 'no-such-dir', 'settings.json');
		symlinkSync(nowhere, t2.user);
		const refused = await t2.run(['install']);
		assert.equal(refused.code, 1);
		assert.match(
			refused.err,
			/is a symbolic link to .*no-such-dir\/settings\.json, whose directory does not exist/,
		);
		assert.ok(lstatSync(t2.user).isSymbolicLink(), 'the link is left as it was');
		assert.equal(existsSync(path.dirname(nowhere)), false);
	});

	test('a read-only settings file is refused untouched, and replaced (still read-only) only with --force', async (t) => {
		const s = setup(t);
		mkdirSync(path.dirname(s.user), {recursive: true});
		const original = '{"model": "opus"}\n';
		writeFileSync(s.user, original);
		chmodSync(s.user, 0o444);
		const refused = await s.run(['install']);
		assert.equal(refused.code, 1);
		assert.match(
			refused.err,
			/settings\.json is read-only \(mode 0444\): left untouched\. Make it writable \(chmod u\+w\), or pass --force/,
		);
		assert.equal(readFileSync(s.user, 'utf8'), original);
		assert.equal(existsSync(`${s.user}.bak-mpm-tui`), false, 'no backup either');
		const forced = await s.run(['install', '--force']);
		assert.equal(forced.code, 0, forced.err);
		assert.match(
			forced.out,
			/wrote .*settings\.json although it is read-only \(--force\); it stays read-only/,
		);
		assert.ok('Stop' in json(s.user).hooks);
		assert.equal(statSync(s.user).mode & 0o777, 0o444);
		const un = await s.run(['uninstall']);
		assert.equal(un.code, 1);
		assert.match(un.err, /is read-only/);
		assert.ok('Stop' in json(s.user).hooks, 'untouched');
		const unForced = await s.run(['uninstall', '--force']);
		assert.equal(unForced.code, 0, unForced.err);
		assert.equal(readFileSync(s.user, 'utf8'), original);
		assert.equal(statSync(s.user).mode & 0o777, 0o444);
	});

	test('--scope local in a git repository: the created file is added to .git/info/exclude, once', async (t) => {
		const s = setup(t);
		// git as the test's own oracle, with no user or system config of this machine.
		const gitEnv = {PATH: process.env.PATH ?? '', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null'};
		const git = (args: string[], cwd = s.project) =>
			spawnSync('git', args, {cwd, env: gitEnv, encoding: 'utf8'});
		assert.equal(git(['init', '-q']).status, 0);
		const exclude = path.join(s.project, '.git', 'info', 'exclude');
		const r = await s.run(['install', '--scope', 'local']);
		assert.equal(r.code, 0, r.err);
		assert.match(
			r.out,
			/^git: {7}added \/\.claude\/settings\.local\.json to .*\.git\/info\/exclude, so git ignores/m,
		);
		assert.equal(git(['check-ignore', '-q', '.claude/settings.local.json']).status, 0, 'git ignores it');
		assert.equal(git(['status', '--porcelain']).stdout, '', 'nothing for git add -A');
		assert.equal(existsSync(path.join(s.project, '.gitignore')), false, 'no committed file touched');
		const lines = () =>
			readFileSync(exclude, 'utf8')
				.split('\n')
				.filter((l) => l === '/.claude/settings.local.json');
		assert.equal(lines().length, 1);
		// Again, and after an uninstall that removed the file: ignored already, nothing added.
		assert.doesNotMatch((await s.run(['install', '--scope', 'local'])).out, /^git:/m);
		await s.run(['uninstall', '--scope', 'local']);
		assert.equal(existsSync(s.localFile), false);
		assert.doesNotMatch((await s.run(['install', '--scope', 'local'])).out, /^git:/m);
		assert.equal(lines().length, 1);

		// A project in a subfolder of a repository: the pattern is anchored at the repository's top.
		const outer = setup(t);
		const top = path.dirname(outer.project);
		assert.equal(git(['init', '-q'], top).status, 0);
		const sub = await outer.run(['install', '--scope', 'local']);
		assert.equal(sub.code, 0, sub.err);
		assert.equal(git(['check-ignore', '-q', path.relative(top, outer.localFile)], top).status, 0);
		assert.match(sub.out, /added \/project\/\.claude\/settings\.local\.json to /);
	});

	test('--scope local outside a repository, or already ignored: no git line, nothing written for git', async (t) => {
		const s = setup(t);
		const none = await s.run(['install', '--scope', 'local']);
		assert.equal(none.code, 0, none.err);
		assert.doesNotMatch(none.out, /^git:|exclude/m);

		const ig = setup(t);
		const gitEnv = {PATH: process.env.PATH ?? '', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null'};
		assert.equal(spawnSync('git', ['init', '-q'], {cwd: ig.project, env: gitEnv}).status, 0);
		writeFileSync(path.join(ig.project, '.gitignore'), '*.local.json\n');
		const exclude = path.join(ig.project, '.git', 'info', 'exclude');
		const before = readFileSync(exclude, 'utf8');
		const r = await ig.run(['install', '--scope', 'local']);
		assert.equal(r.code, 0, r.err);
		assert.doesNotMatch(r.out, /^git:/m);
		assert.equal(readFileSync(exclude, 'utf8'), before);
	});

	test('bad scope, forwarder or subcommand: exit 2 with the reason', async (t) => {
		const s = setup(t);
		const scope = await s.run(['install', '--scope', 'global']);
		assert.equal(scope.code, 2);
		assert.match(scope.err, /--scope takes user, project or local, got "global"/);
		assert.match((await s.run(['install', '--forwarder', 'python'])).err, /--forwarder takes node or sh/);
		assert.equal((await s.run(['reinstall'])).code, 2);
		assert.equal((await s.run([])).code, 2);
	});
});

/** A settings file as people write them: BOM, CRLF, mixed indentation, an empty array, no newline at the end, other hooks. */
const oddText =
	'\uFEFF{\r\n    "model":"opus",   "hooks" : {\r\n\t"PreToolUse": [ {"matcher":"Bash","hooks":[{"type":"command","command":"/home/u/bin/guard.sh","timeout":10}]} ],\r\n      "Stop":[],\r\n  "PostCompact": [{"hooks": [{"type": "command", "command": "echo compacted \u00e9\u4e2d"}]}]\r\n  },\r\n"env":{"A":"1"}, "permissions": {"allow": ["Bash(npm test)"]}}';

describe('install then uninstall gives back the original', () => {
	for (const scope of ['user', 'project', 'local'] as const) {
		const fileOf = (s: ReturnType<typeof setup>) =>
			scope === 'user' ? s.user : scope === 'project' ? s.projectFile : s.localFile;

		test(`${scope} scope: byte for byte, twice, for a plain file and an oddly formatted one with other hooks`, async (t) => {
			for (const original of [foreignText, oddText]) {
				const s = setup(t);
				const file = fileOf(s);
				mkdirSync(path.dirname(file), {recursive: true});
				writeFileSync(file, original);
				for (const cycle of [1, 2]) {
					const install = await s.run(['install', '--scope', scope]);
					assert.equal(install.code, 0, install.err);
					assert.notDeepEqual(readFileSync(file), Buffer.from(original), 'installed');
					assert.equal(
						readFileSync(`${file}.bak-mpm-tui`, 'utf8'),
						original,
						`cycle ${cycle}: the backup holds the original`,
					);
					const un = await s.run(['uninstall', '--scope', scope]);
					assert.equal(un.code, 0, un.err);
					assert.deepEqual(readFileSync(file), Buffer.from(original), `cycle ${cycle}: the original bytes`);
					assert.match(un.out, /restored .* byte for byte from .*\.bak-mpm-tui/);
					assert.equal(existsSync(`${file}.bak-mpm-tui`), false, `cycle ${cycle}: no backup left behind`);
				}
			}
		});
	}

	test('a re-install or a repair in between still gives back the original; the backup is never the installed file', async (t) => {
		const s = setup(t);
		mkdirSync(path.dirname(s.projectFile), {recursive: true});
		writeFileSync(s.projectFile, oddText);
		assert.equal((await s.run(['install', '--scope', 'project', '--forwarder', 'sh'])).code, 0);
		assert.equal((await s.run(['install', '--scope', 'project', '--forwarder', 'sh'])).code, 0);
		const repair = await s.run(['install', '--scope', 'project', '--forwarder', 'node']);
		assert.match(repair.out, /backup of the file before mpm-tui's hooks kept: .*\.bak-mpm-tui/);
		assert.equal(readFileSync(`${s.projectFile}.bak-mpm-tui`, 'utf8'), oddText);
		assert.equal((await s.run(['uninstall', '--scope', 'project'])).code, 0);
		assert.equal(readFileSync(s.projectFile, 'utf8'), oddText);
	});

	test('an edit in between is kept: the file is rewritten without our hooks and the backup of the original stays', async (t) => {
		const s = setup(t);
		mkdirSync(path.dirname(s.localFile), {recursive: true});
		writeFileSync(s.localFile, oddText);
		await s.run(['install', '--scope', 'local']);
		const edited = json(s.localFile);
		edited.theme = 'dark';
		writeFileSync(s.localFile, JSON.stringify(edited, null, 2));
		const un = await s.run(['uninstall', '--scope', 'local']);
		assert.equal(un.code, 0, un.err);
		assert.match(un.out, /had changed since the install: rewritten/);
		const after = json(s.localFile);
		assert.equal(after.theme, 'dark', 'the edit is kept');
		assert.deepEqual(
			after.hooks.PreToolUse,
			[{matcher: 'Bash', hooks: [{type: 'command', command: '/home/u/bin/guard.sh', timeout: 10}]}],
			'only ours removed',
		);
		assert.equal(
			readFileSync(`${s.localFile}.bak-mpm-tui`, 'utf8'),
			oddText,
			'the backup still holds the original',
		);
		// The next cycle starts from the file as it is now.
		const now = readFileSync(s.localFile);
		await s.run(['install', '--scope', 'local']);
		assert.deepEqual(readFileSync(`${s.localFile}.bak-mpm-tui`), now);
		await s.run(['uninstall', '--scope', 'local']);
		assert.deepEqual(readFileSync(s.localFile), now);
	});

	test('no backup is ever labelled the file before mpm-tui when it holds mpm-tui hooks', async (t) => {
		const s = setup(t);
		const backup = `${s.user}.bak-mpm-tui`;
		// The QA's steps: the install creates the file (no backup), Claude Code adds a setting, uninstall.
		assert.equal((await s.run(['install'])).code, 0);
		const edited = json(s.user);
		edited.model = 'sonnet';
		writeFileSync(s.user, JSON.stringify(edited));
		const un = await s.run(['uninstall']);
		assert.equal(un.code, 0, un.err);
		assert.deepEqual(json(s.user), {model: 'sonnet'});
		assert.equal(existsSync(backup), false, 'no copy of the hooked file is left as a backup');
		assert.doesNotMatch(un.out, /backup/);
		// A file that already holds ours (from a moved checkout) and has no backup: install copies it, and says what the copy is.
		edited.hooks.Stop[0].hooks[0].command = '/usr/bin/sh /old/checkout/dist/hook/mpm-tui-hook.sh';
		writeFileSync(s.user, JSON.stringify(edited));
		const again = await s.run(['install']);
		assert.equal(again.code, 0, again.err);
		assert.ok(readFileSync(backup, 'utf8').includes('mpm-tui-hook'), 'the copy holds our hooks');
		assert.doesNotMatch(again.out, /the file before mpm-tui's hooks/);
		assert.match(
			again.out,
			/backup of the file as it was \(it already held mpm-tui's hooks or variables, so it is no original\)/,
		);
	});

	test('a file the install created is removed again; a symlinked one is restored through the link', async (t) => {
		const s = setup(t);
		await s.run(['install', '--scope', 'project']);
		assert.ok(existsSync(s.projectFile));
		const un = await s.run(['uninstall', '--scope', 'project']);
		assert.match(un.out, /removed .*settings\.json: it held nothing but mpm-tui's hooks/);
		assert.equal(existsSync(s.projectFile), false);

		const real = path.join(s.home, 'dotfiles', 'claude-settings.json');
		mkdirSync(path.dirname(real), {recursive: true});
		mkdirSync(path.dirname(s.user), {recursive: true});
		writeFileSync(real, oddText);
		symlinkSync(real, s.user);
		await s.run(['install']);
		await s.run(['uninstall']);
		assert.ok(lstatSync(s.user).isSymbolicLink());
		assert.equal(readFileSync(real, 'utf8'), oddText);
	});

	test('a link planted at the backup or temp file name (a cloned repo can hold one) is replaced, never written through', async (t) => {
		const s = setup(t);
		const victim = path.join(s.home, 'victim.txt');
		const other = path.join(s.home, 'other-victim.txt');
		writeFileSync(victim, 'do not touch\n');
		writeFileSync(other, 'do not touch either\n');
		mkdirSync(path.dirname(s.projectFile), {recursive: true});
		writeFileSync(s.projectFile, foreignText);
		symlinkSync(victim, `${s.projectFile}.bak-mpm-tui`);
		symlinkSync(other, path.join(path.dirname(s.projectFile), `.settings.json.tmp-mpm-tui-${process.pid}`));
		const r = await s.run(['install', '--scope', 'project']);
		assert.equal(r.code, 0, r.err);
		assert.equal(readFileSync(victim, 'utf8'), 'do not touch\n');
		assert.equal(readFileSync(other, 'utf8'), 'do not touch either\n');
		assert.ok(lstatSync(`${s.projectFile}.bak-mpm-tui`).isFile(), 'the backup is a file of its own');
		assert.equal(readFileSync(`${s.projectFile}.bak-mpm-tui`, 'utf8'), foreignText);
		assert.equal((await s.run(['uninstall', '--scope', 'project'])).code, 0);
		assert.equal(readFileSync(s.projectFile, 'utf8'), foreignText);
	});

	test('uninstall --dry-run shows the way back and writes nothing', async (t) => {
		const s = setup(t);
		mkdirSync(path.dirname(s.user), {recursive: true});
		writeFileSync(s.user, foreignText);
		await s.run(['install']);
		const installed = readFileSync(s.user);
		const dry = await s.run(['uninstall', '--dry-run']);
		assert.match(dry.out, /^\+\+\+ .*settings\.json \(from .*\.bak-mpm-tui\)$/m);
		assert.match(dry.out, /dry run: nothing written/);
		assert.deepEqual(readFileSync(s.user), installed);
		assert.ok(existsSync(`${s.user}.bak-mpm-tui`));
	});
});

describe('text from a settings file reaches the terminal shown, never acted on', () => {
	test('event names, commands, the diff and parse errors of a hostile project file', async (t) => {
		const s = setup(t);
		mkdirSync(path.dirname(s.projectFile), {recursive: true});
		// A cloned repository's file: ESC (escaped in JSON), and raw C1 and bidi characters, which JSON allows in strings.
		const evil =
			'{\n\t"hooks": {\n\t\t"Evil\\u001b]0;PWNED\\u0007\u202e\u009b2J": [{"hooks": [{"type": "command", "command": "/x\\u001b[2J\u2066/dist/hook/forward.cjs"}]}]\n\t}\n}\n';
		writeFileSync(s.projectFile, evil);
		const outputs: string[] = [];
		for (const args of [
			['status'],
			['install', '--scope', 'project', '--dry-run'],
			['install', '--scope', 'project'],
			['status'],
			['uninstall', '--scope', 'project', '--dry-run'],
			['uninstall', '--scope', 'project'],
		]) {
			const r = await s.run(args);
			assert.equal(r.code, 0, `${args.join(' ')}: ${r.err}`);
			outputs.push(r.out, r.err);
		}
		assert.match(outputs[0], /also on: Evil␛\]0;PWNED␇��2J/);
		assert.match(outputs[0], /command: \/x␛\[2J�\/dist\/hook\/forward\.cjs/);
		mkdirSync(path.dirname(s.user), {recursive: true});
		writeFileSync(s.user, '{"model": \u001b[31m"opus"}');
		const broken = await s.run(['install']);
		assert.equal(broken.code, 1);
		assert.match(broken.err, /not valid JSON at line 1, column 11/);
		outputs.push(broken.err);
		// Tabs are layout (the file's own indentation in the diff); every other control is shown.
		for (const text of outputs) assert.equal(forbiddenIn(text.replaceAll('\t', ' ')), null);
	});
});

describe('hooks status', () => {
	test('per scope: events hooked and paths; the server answering; the spool backlog and dropped count', async (t) => {
		const s = setup(t);
		await s.run(['install', '--scope', 'local']);
		mkdirSync(path.dirname(s.spool), {recursive: true});
		writeFileSync(
			s.spool,
			'{"mpm_spool":1,"id":"a","receivedAt":1,"event":{}}\n{"mpm_spool":1,"id":"b","receivedAt":2,"event":{}}\n',
		);
		writeFileSync(`${s.spool}.dropped`, '\n\n\n'); // one byte per dropped event
		const down = await s.run(['status']);
		assert.equal(down.code, 0);
		assert.match(down.out, /^user +\S+: not installed \(no settings file\)$/m);
		assert.match(
			down.out,
			new RegExp(`^local +\\S+: ${HOOK_EVENTS.length} of ${HOOK_EVENTS.length} events hooked$`, 'm'),
		);
		assert.match(down.out, /paths: +all exist/);
		assert.match(down.out, /^server .*: not answering \(nothing is listening\)/m);
		assert.match(
			down.out,
			/^spool .*: 2 event\(s\) waiting \(\d+ B\), 3 dropped because the spool was full$/m,
		);

		const config = resolveConfig(
			{port: await freePort(), journal: false},
			{MPM_TUI_STATE_DIR: path.join(s.home, 'other-state')},
			s.home,
		);
		const server = await startServer(config);
		t.after(() => server.close());
		const up = await s.run(['status'], {port: server.port});
		assert.match(up.out, /^server .*: answering \(mpm-tui /m);
	});

	test('an mpm-tui entry on MessageDisplay: status warns and says what to do; install removes it and says why', async (t) => {
		const s = setup(t);
		mkdirSync(path.dirname(s.localFile), {recursive: true});
		const mine = {type: 'command', command: '/usr/bin/sh /old/dist/hook/mpm-tui-hook.sh', timeout: 5};
		writeFileSync(
			s.localFile,
			JSON.stringify(
				{
					hooks: {
						Stop: [{hooks: [mine]}],
						MessageDisplay: [{hooks: [mine, {type: 'command', command: 'say-it'}]}],
					},
				},
				null,
				2,
			),
		);
		const before = await s.run(['status']);
		assert.match(
			before.out,
			/^ +WARNING: on MessageDisplay: it holds Claude Code's rendering until the hook returns, so every message waits for the forwarder; mpm-tui hooks install --scope local removes it \(or uninstall --scope local\)$/m,
		);
		assert.doesNotMatch(before.out, /also on: .*MessageDisplay/);
		const install = await s.run(['install', '--scope', 'local']);
		assert.equal(install.code, 0, install.err);
		assert.match(
			install.out,
			/^removed: +MessageDisplay: it holds Claude Code's rendering until the hook returns, so mpm-tui must not be on it$/m,
		);
		assert.deepEqual(json(s.localFile).hooks.MessageDisplay, [
			{hooks: [{type: 'command', command: 'say-it'}]},
		]);
		assert.doesNotMatch((await s.run(['status'])).out, /WARNING|MessageDisplay/);
	});

	test('project scope: machine paths in the shared file are pointed out and replaced by the command for any machine', async (t) => {
		const s = setup(t);
		mkdirSync(path.dirname(s.projectFile), {recursive: true});
		const old = {
			type: 'command',
			command: `/usr/bin/sh ${path.join(s.home, 'mpm-tui', 'dist', 'hook', 'mpm-tui-hook.sh')}`,
			timeout: 5,
		};
		writeFileSync(
			s.projectFile,
			JSON.stringify(
				{
					hooks: Object.fromEntries(
						HOOK_EVENTS.map((e) => [e.event, [{...(e.matcher ? {matcher: '*'} : {}), hooks: [old]}]]),
					),
				},
				null,
				2,
			),
		);
		const before = await s.run(['status']);
		assert.match(
			before.out,
			/^ +note: +paths of this machine in a file shared with the repository point nowhere on a teammate's machine: mpm-tui hooks install --scope project writes a command that works wherever mpm-tui is installed \(or move to --scope local\)$/m,
		);
		const r = await s.run(['install', '--scope', 'project']);
		assert.equal(r.code, 0, r.err);
		assert.match(r.out, new RegExp(`^updated: +${HOOK_EVENTS.map((e) => e.event).join(', ')}$`, 'm'));
		assert.ok(!readFileSync(s.projectFile, 'utf8').includes(s.home), 'no path of this machine is left');
		const after = await s.run(['status']);
		assert.doesNotMatch(after.out, /note: +paths of this machine/);
		assert.match(after.out, /^ +command: +command -v mpm-tui-hook-sh /m);
		assert.match(
			after.out,
			/^ +runs: +nothing on this machine: neither mpm-tui-hook-sh nor mpm-tui-hook is on PATH \(npm i -g mpm-tui, or npm link in a checkout of mpm-tui\)$/m,
		);
		// The user and local scopes keep absolute paths: they stay on this machine.
		await s.run(['install', '--scope', 'local']);
		assert.match(
			json(s.localFile).hooks.Stop[0].hooks[0].command,
			/^\/\S+ \/\S+\/dist\/hook\/(mpm-tui-hook\.sh|forward\.cjs)$/,
		);
	});

	test('a partial install lists the missing events', async (t) => {
		const s = setup(t);
		mkdirSync(path.dirname(s.user), {recursive: true});
		writeFileSync(
			s.user,
			JSON.stringify({hooks: {Stop: [{hooks: [{type: 'command', command: 'mpm-tui-hook'}]}]}}),
		);
		const r = await s.run(['status']);
		assert.match(r.out, new RegExp(`1 of ${HOOK_EVENTS.length} events hooked`));
		assert.match(r.out, /missing: SessionStart, SessionEnd/);
	});
});
