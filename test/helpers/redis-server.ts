/**
 * A real `redis-server` for the team tests and bench, on a free loopback port in a temp dir:
 * with `persist`, an append-only file written on every command (a stop and start keeps
 * everything, as a production Redis should); without, nothing kept (a restart loses all, as a
 * Redis without persistence does). Stopped gracefully (SIGTERM) or crashed (SIGKILL), started
 * again on the same port; commands (FLUSHALL, …) are sent in RESP over a plain socket. When
 * `redis-server` is not installed, `redisMissing()` says so and why (the tests skip with that
 * reason; .ci/run installs Debian's redis-server).
 */
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import net from 'node:net';
import {freePort} from './free-port.js';
import {tempDir, withTimeout} from './server-kit.js';

/** Why the team tests cannot run here, or null when `redis-server` is there. */
export function redisMissing(): string | null {
	const found = spawnSync('redis-server', ['--version'], {encoding: 'utf8'});
	if (found.error || found.status !== 0)
		return `redis-server is not installed (${found.error?.message ?? `exit ${found.status}`}); .ci/run installs Debian's redis-server`;
	return null;
}

/** One command in RESP. */
const encode = (parts: string[]) =>
	`*${parts.length}\r\n${parts.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;

/** Sends one command (after AUTH on the same connection when a password is given) and resolves with its answer's first line. */
export function redisCommand(port: number, args: string[], password?: string): Promise<string> {
	// With AUTH first, the command's answer is the second line.
	const index = password ? 1 : 0;
	return withTimeout(
		new Promise<string>((resolve, reject) => {
			const socket = net.connect(port, '127.0.0.1');
			let answer = '';
			socket.on('error', reject);
			socket.on('data', (chunk) => {
				answer += chunk.toString('utf8');
				const lines = answer.split('\r\n');
				if (lines.length > index + 1) {
					socket.destroy();
					resolve(lines[index]);
				}
			});
			socket.write((password ? encode(['AUTH', password]) : '') + encode(args));
		}),
		5000,
		`redis ${args[0]}`,
	);
}

const children = new Set<ChildProcess>();
process.on('exit', () => {
	for (const child of children) child.kill('SIGKILL');
});

export class RedisServer {
	readonly dir = tempDir('mpm-tui-redis-');
	private child: ChildProcess | null = null;

	private constructor(
		readonly port: number,
		readonly password: string | undefined,
		readonly persist: boolean,
	) {}

	/** A redis-server on a free port, accepting connections. */
	static async start(options: {password?: string; persist?: boolean} = {}): Promise<RedisServer> {
		const server = new RedisServer(await freePort(), options.password, options.persist ?? false);
		await server.restart();
		return server;
	}

	/** The running server's process id (for the bench's CPU accounting). */
	get pid(): number | undefined {
		return this.child?.pid;
	}

	get url(): string {
		return this.password
			? `redis://:${encodeURIComponent(this.password)}@127.0.0.1:${this.port}`
			: `redis://127.0.0.1:${this.port}`;
	}

	/** Starts it (again) on its port: with what it held before when `persist`, else empty. */
	async restart(): Promise<void> {
		if (this.child) await this.stop();
		const args = [
			'--port',
			String(this.port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			this.persist ? 'yes' : 'no',
			'--appendfsync',
			'always',
			'--dir',
			this.dir,
			...(this.password ? ['--requirepass', this.password] : []),
		];
		const child = spawn('redis-server', args, {stdio: ['ignore', 'pipe', 'pipe']});
		this.child = child;
		children.add(child);
		child.once('exit', () => children.delete(child));
		let output = '';
		child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
		child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
		await withTimeout(
			new Promise<void>((resolve, reject) => {
				const check = () => {
					if (output.includes('Ready to accept connections')) resolve();
				};
				child.stdout!.on('data', check);
				child.once('exit', (code) => reject(new Error(`redis-server exited ${code}: ${output}`)));
			}),
			10_000,
			'redis-server to accept connections',
		);
	}

	/** Stops it: SIGTERM (a clean shutdown), or SIGKILL (`crash`). */
	async stop(crash = false): Promise<void> {
		const child = this.child;
		this.child = null;
		if (!child || child.exitCode !== null || child.signalCode !== null) return;
		const exited = new Promise((resolve) => child.once('exit', resolve));
		child.kill(crash ? 'SIGKILL' : 'SIGTERM');
		await exited;
	}

	command(...args: string[]): Promise<string> {
		return redisCommand(this.port, args, this.password);
	}
}
