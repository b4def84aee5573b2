/**
 * Runs the built forwarders (`dist/hook/forward.cjs` with node, `dist/hook/mpm-tui-hook.sh` with
 * sh) the way Claude Code does: a payload on stdin, no terminal, exit code and stdio collected.
 * Build first: `npx tsc -p tsconfig.build.json && node scripts/post-build.mjs`.
 */
import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const nodeForwarder = path.join(root, 'dist', 'hook', 'forward.cjs');
export const shForwarder = path.join(root, 'dist', 'hook', 'mpm-tui-hook.sh');

export interface Variant {
	/** `bash` runs the sh forwarder under bash, to keep it portable beyond dash. */
	name: 'node' | 'sh' | 'bash';
	command: string;
	args: string[];
}

const hasBash = (process.env.PATH ?? '').split(':').some(dir => dir !== '' && existsSync(path.join(dir, 'bash')));

export const variants: Variant[] = [
	{name: 'node', command: process.execPath, args: [nodeForwarder]},
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
		const child = spawn(variant.command, variant.args, {env: options.env, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe']});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		const killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 8000);
		child.on('error', reject);
		child.on('exit', (code, signal) => {
			clearTimeout(killer);
			child.stdin.destroy();
			// Let the stdio pipes drain before resolving.
			setImmediate(() => resolve({code, signal, stdout, stderr}));
		});
		child.stdin.on('error', () => {});
		if (options.leaveOpen) child.stdin.write(options.input);
		else child.stdin.end(options.input);
	});
}

export function tempDir(prefix: string): {dir: string; cleanup(): void} {
	const dir = mkdtempSync(path.join(os.tmpdir(), `mpm-tui-${prefix}-`));
	return {dir, cleanup: () => rmSync(dir, {recursive: true, force: true})};
}

export function readLines(file: string): string[] {
	if (!existsSync(file)) return [];
	return readFileSync(file, 'utf8').split('\n').filter(line => line !== '');
}

/** Polls until `probe` returns a value other than undefined; rejects after `timeoutMs`. */
export async function eventually<T>(probe: () => T | undefined, timeoutMs = 5000, what = 'condition'): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise(resolve => setTimeout(resolve, 20));
	}
}

export const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));
