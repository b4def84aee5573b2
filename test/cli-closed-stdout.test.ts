/**
 * A command whose reader has gone (`mpm-tui hooks install --dry-run | head -1`) finishes its work
 * and exits with its own code, with no stack trace: the built CLI, its stdout a pipe closed before
 * it writes a byte, so every write meets EPIPE.
 */
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {cliPath} from './helpers/tmux-kit.js';
import {tempDir, withTimeout} from './helpers/server-kit.js';

async function runWithClosedStdout(
	args: string[],
	home: string,
): Promise<{code: number | null; stderr: string}> {
	const child = spawn(process.execPath, [cliPath, ...args], {
		env: {
			PATH: process.env.PATH ?? '',
			HOME: home,
			XDG_STATE_HOME: path.join(home, 'state'),
			NODE_ENV: 'production',
		},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	child.stdout.destroy();
	let stderr = '';
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
	const code = await withTimeout(
		new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c))),
		15_000,
		args.join(' '),
	);
	return {code, stderr};
}

test('hooks install with its reader gone: no EPIPE crash, and the install is still done', async () => {
	const home = tempDir();
	const dry = await runWithClosedStdout(['hooks', 'install', '--dry-run'], home);
	assert.equal(dry.code, 0, dry.stderr);
	assert.doesNotMatch(dry.stderr, /EPIPE|Unhandled 'error' event|\n\s+at /);
	const settings = path.join(home, '.claude', 'settings.json');
	assert.equal(existsSync(settings), false, '--dry-run writes nothing');

	const real = await runWithClosedStdout(['hooks', 'install'], home);
	assert.equal(real.code, 0, real.stderr);
	assert.doesNotMatch(real.stderr, /EPIPE|Unhandled 'error' event|\n\s+at /);
	assert.match(readFileSync(settings, 'utf8'), /mpm-tui-hook/);

	const status = await runWithClosedStdout(['hooks', 'status'], home);
	assert.doesNotMatch(status.stderr, /EPIPE|Unhandled 'error' event|\n\s+at /);
});

test('server unit with its reader gone exits 0 without a stack trace', async () => {
	const r = await runWithClosedStdout(['server', 'unit'], tempDir());
	assert.equal(r.code, 0, r.stderr);
	assert.doesNotMatch(r.stderr, /EPIPE|Unhandled 'error' event|\n\s+at /);
});
