/**
 * Drives programs in real pseudo-terminals through tmux (a private server per test file:
 * `tmux -L mpmtest-<random>`): start panes, send keys, poll `capture-pane` with a deadline.
 */
import {execFileSync, spawnSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {rmSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cliPath = path.join(repoRoot, 'dist', 'cli.js');
export const forwarderPath = path.join(repoRoot, 'dist', 'hook', 'forward.cjs');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function quote(value: string): string {
	return `'${value.replaceAll("'", `'\\''`)}'`;
}

export class Tmux {
	readonly socket = `mpmtest-${randomBytes(4).toString('hex')}`;
	private started = false;

	run(...args: string[]): string {
		return execFileSync('tmux', ['-L', this.socket, ...args], {encoding: 'utf8', timeout: 10_000});
	}

	/**
	 * A new window running `command` under `sh`, which prints `[exit N]` when it ends (tmux does
	 * not always reap a dead pane's process here, so its exit status is read from the screen).
	 */
	open(name: string, command: string[], env: Record<string, string>, size = {columns: 80, rows: 24}): Pane {
		const envText = Object.entries(env)
			.map(([k, v]) => `${k}=${quote(v)}`)
			.join(' ');
		const shell = `cd ${quote(repoRoot)} && env ${envText} ${command.map(quote).join(' ')}; echo "[exit $?]"; sleep 600`;
		if (!this.started) {
			this.run(
				'-f',
				'/dev/null',
				'new-session',
				'-d',
				'-s',
				'test',
				'-n',
				name,
				'-x',
				String(size.columns),
				'-y',
				String(size.rows),
				shell,
			);
			this.started = true;
		} else {
			this.run('new-window', '-d', '-t', 'test', '-n', name, shell);
			this.run('resize-window', '-t', `test:${name}`, '-x', String(size.columns), '-y', String(size.rows));
		}
		return new Pane(this, `test:${name}`);
	}

	kill(): void {
		if (!this.started) return;
		spawnSync('tmux', ['-L', this.socket, 'kill-server'], {timeout: 10_000});
		this.started = false;
		// tmux does not always remove its socket file.
		const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
		rmSync(path.join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${uid}`, this.socket), {force: true});
	}
}

export class Pane {
	constructor(
		private readonly tmux: Tmux,
		readonly target: string,
	) {}

	capture(): string {
		return this.tmux.run('capture-pane', '-p', '-t', this.target);
	}

	/** The screen and its scrollback with wrapped lines joined. */
	captureJoined(): string {
		return this.tmux.run('capture-pane', '-p', '-J', '-S', '-', '-t', this.target);
	}

	lines(): string[] {
		return this.capture().replace(/\n$/, '').split('\n');
	}

	format(expression: string): string {
		return this.tmux.run('display-message', '-p', '-t', this.target, expression).trim();
	}

	/** The pid of the program the pane runs: the one child of the pane's shell (after it has started). */
	programPid(): number {
		const shell = this.format('#{pane_pid}');
		const children = execFileSync('ps', ['-o', 'pid=', '--ppid', shell], {encoding: 'utf8', timeout: 10_000})
			.split('\n')
			.map((line) => line.trim())
			.filter((line) => line !== '');
		if (children.length !== 1) throw new Error(`the pane's shell ${shell} has ${children.length} children`);
		return Number(children[0]);
	}

	/** Keys by tmux name (`Enter`, `Escape`, `PageDown`, `C-d`, `j`). */
	keys(...names: string[]): void {
		this.tmux.run('send-keys', '-t', this.target, ...names);
	}

	/** Text typed literally. */
	type(text: string): void {
		this.tmux.run('send-keys', '-t', this.target, '-l', text);
	}

	async waitFor(check: (screen: string) => boolean, what: string, timeoutMs = 8000): Promise<string> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const screen = this.capture();
			if (check(screen)) return screen;
			if (Date.now() > deadline)
				throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; the screen:\n${screen}`);
			await sleep(40);
		}
	}

	/** Waits for the program to end; its exit status. */
	async waitExit(timeoutMs = 8000): Promise<number> {
		const screen = await this.waitFor((s) => /\[exit \d+\]/.test(s), 'the program to exit', timeoutMs);
		return Number(/\[exit (\d+)\]/.exec(screen)?.[1]);
	}
}

/** Sends one hook payload with the real forwarder (`dist/hook/forward.cjs`). */
export function forward(payload: Record<string, unknown>, env: Record<string, string>): void {
	const result = spawnSync(process.execPath, [forwarderPath], {
		input: JSON.stringify(payload),
		env: {...process.env, ...env},
		timeout: 10_000,
		encoding: 'utf8',
	});
	if (result.status !== 0) throw new Error(`forwarder exited ${result.status}: ${result.stderr}`);
}

export function hookPayload(n: number, fields: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		session_id: '5b1e0c9a-2f7d-4c1e-9a0b-3d2f1e4c5a6b',
		transcript_path: '/tmp/t.jsonl',
		cwd: '/home/u/app',
		permission_mode: 'default',
		hook_event_name: 'PreToolUse',
		tool_name: 'Bash',
		tool_input: {command: `echo step-${n}`},
		tool_use_id: `toolu_e2e_${n}`,
		...fields,
	};
}
