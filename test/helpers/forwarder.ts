/**
 * Runs the built forwarders (`dist/hook/forward.cjs` with node, `dist/hook/mpm-tui-hook.sh` with
 * sh) the way Claude Code does: a payload on stdin, no terminal, exit code and stdio collected.
 * Build first: `npm run build`.
 */
import {spawn} from 'node:child_process';
import {closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const nodeForwarder = path.join(root, 'dist', 'hook', 'forward.cjs');
export const shForwarder = path.join(root, 'dist', 'hook', 'mpm-tui-hook.sh');

export interface Variant {
	/**
	 * `bash` runs the sh forwarder under bash, to keep it portable beyond dash; `node-fast`
	 * runs the Node forwarder on its opt-in raw TCP handle instead of `node:net`.
	 */
	name: 'node' | 'node-fast' | 'sh' | 'bash';
	command: string;
	args: string[];
	/** Added to the environment of every run. */
	env?: Record<string, string>;
}

const hasBash = (process.env.PATH ?? '')
	.split(':')
	.some((dir) => dir !== '' && existsSync(path.join(dir, 'bash')));

export const variants: Variant[] = [
	{name: 'node', command: process.execPath, args: [nodeForwarder]},
	{name: 'node-fast', command: process.execPath, args: [nodeForwarder], env: {MPM_TUI_HOOK_FAST: '1'}},
	{name: 'sh', command: 'sh', args: [shForwarder]},
	...(hasBash ? [{name: 'bash' as const, command: 'bash', args: [shForwarder]}] : []),
];

export interface RunResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
}

export interface RunOptions {
	env: Record<string, string>;
	/** Bytes written to stdin. */
	input: string | Buffer;
	/** Keep stdin open after writing (Claude Code sometimes does). It is closed once the process exits. */
	leaveOpen?: boolean;
	/** More bytes written after a pause (before stdin is closed, unless `leaveOpen`). */
	later?: {afterMs: number; input: string | Buffer};
	/** Stdin is this file (opened for reading) instead of a pipe; `input` is then ignored. */
	stdinFile?: string;
	/** Kill the process if it runs longer than this (the test then fails on the signal). */
	killAfterMs?: number;
	cwd?: string;
}

/** A minimal environment: PATH plus what the test passes, so the developer's MPM_TUI_* never leak in. */
export function baseEnv(extra: Record<string, string>): Record<string, string> {
	return {PATH: process.env.PATH ?? '/usr/bin:/bin', ...extra};
}

export function runForwarder(variant: Variant, options: RunOptions): Promise<RunResult> {
	return new Promise((resolve, reject) => {
		const stdinFd = options.stdinFile === undefined ? undefined : openSync(options.stdinFile, 'r');
		const child = spawn(variant.command, variant.args, {
			env: {...options.env, ...variant.env},
			cwd: options.cwd,
			stdio: [stdinFd ?? 'pipe', 'pipe', 'pipe'],
		});
		if (stdinFd !== undefined) closeSync(stdinFd);
		let stdout = '';
		let stderr = '';
		child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		const killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 8000);
		child.on('error', reject);
		let laterTimer: NodeJS.Timeout | undefined;
		child.on('exit', (code, signal) => {
			clearTimeout(killer);
			clearTimeout(laterTimer);
			child.stdin?.destroy();
			// Let the stdio pipes drain before resolving.
			setImmediate(() => resolve({code, signal, stdout, stderr}));
		});
		const stdin = child.stdin;
		if (stdin === null) return;
		stdin.on('error', () => {});
		const last = options.later;
		if (last === undefined) {
			if (options.leaveOpen) stdin.write(options.input);
			else stdin.end(options.input);
			return;
		}
		stdin.write(options.input);
		laterTimer = setTimeout(() => {
			if (options.leaveOpen) stdin.write(last.input);
			else stdin.end(last.input);
		}, last.afterMs);
	});
}

export function tempDir(prefix: string): {dir: string; cleanup(): void} {
	const dir = mkdtempSync(path.join(os.tmpdir(), `mpm-tui-${prefix}-`));
	return {dir, cleanup: () => rmSync(dir, {recursive: true, force: true})};
}

export function readLines(file: string): string[] {
	if (!existsSync(file)) return [];
	return readFileSync(file, 'utf8')
		.split('\n')
		.filter((line) => line !== '');
}

/** Polls until `probe` returns a value other than undefined; rejects after `timeoutMs`. */
export async function eventually<T>(
	probe: () => T | undefined,
	timeoutMs = 5000,
	what = 'condition',
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs a command to completion (killed after 15 s) with `input` on stdin. */
export function runCommand(
	command: string,
	args: string[],
	options: {cwd: string; env: Record<string, string>; input?: string},
): Promise<{code: number | null; stdout: string; stderr: string}> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, {cwd: options.cwd, env: options.env});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
		child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
		const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
		child.on('error', reject);
		child.on('close', (code) => {
			clearTimeout(killer);
			resolve({code, stdout, stderr});
		});
		child.stdin.end(options.input ?? '');
	});
}
