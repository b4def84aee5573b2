#!/usr/bin/env node
/**
 * mpm-tui-hook: the forwarder Claude Code runs for every hook event.
 *
 * Reads the hook JSON from stdin (with a watchdog: stdin is sometimes left open), stamps it with
 * a unique id and the receive time, and POSTs the exact bytes to the mpm-tui server as a
 * hand-written HTTP/1.1 request over `node:net` (or, opted in with `MPM_TUI_HOOK_FAST=1`, on a raw
 * TCP handle: see `sendRawTcp`). When the server is down, refuses, is slow or answers an error, the event is
 * appended to the spool file, which the server drains when it runs. Contract: docs/ARCHITECTURE.md "Forwarder ↔ server contract".
 *
 * Rules: CommonJS, Node built-ins only, imports nothing of ours. Always exits 0, never writes to
 * stdout (hook stdout can end up in Claude's context), diagnostics only under the debug variables.
 */
import type * as NetModule from 'node:net';
import type * as FsModule from 'node:fs';

const env = process.env;
const startedAt = Date.now();
const STDIN_SETTLE_MS = 5;
const STDIN_HARD_CAP_MS = 2000;
const STDIN_READ_BYTES = 1024 * 1024;
const DEFAULT_SPOOL_MAX = 64 * 1024 * 1024;

let finished = false;

function isOn(value: string | undefined): boolean {
	return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

function positiveInt(raw: string | undefined, fallback: number): number {
	const n = raw === undefined || raw === '' ? NaN : Number(raw);
	return Number.isInteger(n) && n > 0 ? n : fallback;
}

const debug = isOn(env.MPM_TUI_HOOK_DEBUG) || isOn(env.CLAUDE_MPM_HOOK_DEBUG);

function log(message: string): void {
	if (!debug && !env.MPM_TUI_HOOK_LOG) return;
	try {
		const line = `mpm-tui-hook[${process.pid}] ${new Date().toISOString()} ${message}\n`;
		const fs = require('node:fs') as typeof FsModule;
		if (debug) fs.writeSync(2, line);
		if (env.MPM_TUI_HOOK_LOG) fs.appendFileSync(env.MPM_TUI_HOOK_LOG, line, {mode: 0o600});
	} catch {
		// Diagnostics must never disturb Claude Code.
	}
}

function done(): void {
	if (finished) return;
	finished = true;
	process.exit(0);
}

function spoolPath(): string {
	if (env.MPM_TUI_SPOOL) return env.MPM_TUI_SPOOL;
	const home = env.HOME || require('node:os').homedir();
	const stateDir = env.MPM_TUI_STATE_DIR || `${env.XDG_STATE_HOME || `${home}/.local/state`}/mpm-tui`;
	return `${stateDir}/spool.ndjson`;
}

/**
 * Flags for every file the forwarder appends to next to the spool: never through a link, and
 * without blocking on a FIFO (the file is then refused, as is anything but a regular file).
 */
function appendFlags(fs: typeof FsModule): number {
	const c = fs.constants;
	return c.O_WRONLY | c.O_APPEND | c.O_CREAT | (c.O_NOFOLLOW ?? 0) | (c.O_NONBLOCK ?? 0);
}

/**
 * Why the spool's directory must not be used, or undefined when it may: it must belong to this
 * user and be closed to group and others, since whoever else can write to it could plant a link
 * or a FIFO where the spool is opened. (The server applies the same rule: server/spool.ts.)
 */
function spoolDirectoryProblem(fs: typeof FsModule, dir: string): string | undefined {
	const stat = fs.statSync(dir);
	if (!stat.isDirectory()) return `${dir} is not a directory`;
	const uid = process.getuid?.();
	if (uid === undefined) return undefined;
	if (stat.uid !== uid) return `${dir} belongs to uid ${stat.uid}, not to this user (uid ${uid})`;
	if ((stat.mode & 0o022) !== 0)
		return `${dir} is writable by its group or by others (mode ${(stat.mode & 0o7777).toString(8)})`;
	return undefined;
}

/** Opens `file` for appending; undefined (and said under debug) when it is not a regular file. */
function openForAppend(fs: typeof FsModule, file: string): number | undefined {
	let fd: number;
	try {
		fd = fs.openSync(file, appendFlags(fs), 0o600);
	} catch (error) {
		// ELOOP: a link (O_NOFOLLOW); ENXIO: a FIFO nobody reads (O_NONBLOCK).
		const code = (error as NodeJS.ErrnoException).code;
		if (code !== 'ELOOP' && code !== 'ENXIO') throw error;
		log(`${file} is ${code === 'ELOOP' ? 'a symbolic link' : 'a FIFO'}, not a regular file: not written`);
		return undefined;
	}
	if (fs.fstatSync(fd).isFile()) return fd;
	fs.closeSync(fd);
	log(`${file} is not a regular file: not written`);
	return undefined;
}

/**
 * Counts an event that did not fit: one byte appended to `<spool>.dropped`, so the count is the
 * file's size. An O_APPEND write of one byte cannot lose a count to a parallel forwarder, with no
 * lock (the sh forwarder counts the same way).
 */
function countDropped(fs: typeof FsModule, file: string): void {
	const fd = openForAppend(fs, `${file}.dropped`);
	if (fd === undefined) return;
	try {
		fs.writeSync(fd, '\n');
	} finally {
		fs.closeSync(fd);
	}
}

/**
 * Appends one contract line to the bounded spool; over the bound, counts in `<spool>.dropped`.
 * The server drains by renaming the spool and reading it; if that happened while this line was
 * being written (the file under our descriptor is no longer the spool), the line is written
 * again to the new spool. The server drops the second copy if it got the first (same id).
 * Nothing is written in a directory another user could write to, nor through a link or a FIFO.
 */
function spool(body: Buffer, id: string, receivedAt: number, why: string): void {
	try {
		const fs = require('node:fs') as typeof FsModule;
		const file = spoolPath();
		const slash = file.lastIndexOf('/');
		const dir = slash > 0 ? file.slice(0, slash) : slash === 0 ? '/' : '.';
		fs.mkdirSync(dir, {recursive: true, mode: 0o700});
		const problem = spoolDirectoryProblem(fs, dir);
		if (problem !== undefined) {
			log(`${problem}: event ${id} not spooled (${why})`);
			return;
		}
		// Raw CR/LF can only be whitespace in valid JSON (inside strings they must be escaped), so
		// folding them to spaces keeps the event identical and the line single. Done on the bytes,
		// so the event is kept exactly (even bytes that are not valid UTF-8).
		const event = Buffer.from(body);
		for (let i = 0; i < event.length; i++) if (event[i] === 0x0a || event[i] === 0x0d) event[i] = 0x20;
		const line = Buffer.concat([
			Buffer.from(`{"mpm_spool":1,"id":"${id}","receivedAt":${receivedAt},"event":`),
			event,
			Buffer.from('}\n'),
		]);
		const max = positiveInt(env.MPM_TUI_SPOOL_MAX_BYTES, DEFAULT_SPOOL_MAX);
		for (let attempt = 1; attempt <= 3; attempt++) {
			const fd = openForAppend(fs, file);
			if (fd === undefined) return;
			try {
				const size = fs.fstatSync(fd).size;
				if (size + line.length > max) {
					countDropped(fs, file);
					log(`spool full (${size} bytes, limit ${max}): event ${id} dropped (${why})`);
					return;
				}
				// One write call per line (O_APPEND): lines from parallel writers never interleave.
				for (let done = 0; done < line.length;) done += fs.writeSync(fd, line, done);
				const mine = fs.fstatSync(fd);
				let current: FsModule.Stats | undefined;
				try {
					current = fs.lstatSync(file);
				} catch {
					// Taken by a drain and not recreated yet.
				}
				if (current && current.ino === mine.ino && current.dev === mine.dev) {
					log(`spooled ${id} to ${file} (${why})`);
					return;
				}
				log(`the server took the spool while ${id} was written: writing it again`);
			} finally {
				fs.closeSync(fd);
			}
		}
	} catch (error) {
		log(`could not spool ${id}: ${(error as Error).message}`);
	}
}

interface Target {
	host: string;
	port: number;
	path: string;
	hostHeader: string;
	tls: boolean;
}

function target(): Target {
	if (env.MPM_TUI_URL) {
		const url = new URL(env.MPM_TUI_URL);
		const tls = url.protocol === 'https:';
		return {
			host: url.hostname.replace(/^\[|\]$/g, ''),
			port: url.port ? Number(url.port) : tls ? 443 : 80,
			path: `${url.pathname === '/' ? '/api/events' : url.pathname}${url.search}`,
			hostHeader: url.host,
			tls,
		};
	}
	const port = Number(env.MPM_TUI_PORT || env.CLAUDE_MPM_SOCKETIO_PORT || 8765);
	return {host: '127.0.0.1', port, path: '/api/events', hostHeader: `127.0.0.1:${port}`, tls: false};
}

/** Status codes that mean "this body itself is bad": sending it again later would fail again. */
function isPayloadRejection(status: number): boolean {
	return status === 400 || status === 415 || status === 422;
}

/** What a transport reports to `post`: bytes of the answer, or why there will be none. */
interface Answer {
	data(chunk: Buffer): void;
	fail(why: string): void;
}

function errorName(code: number): string {
	try {
		return (require('node:util') as typeof import('node:util')).getSystemErrorName(code);
	} catch {
		return `error ${code}`;
	}
}

/** libuv's end-of-stream code (`UV_EOF`), the same on every platform. */
const UV_EOF = -4095;
/** Keeps the raw handle reachable until the process exits. */
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- only held, never read
let rawHandle: unknown;

/**
 * True when this Node reports or throws on deprecations (`--pending-deprecation`,
 * `--throw-deprecation`, `--trace-deprecation`, also through NODE_OPTIONS): the opt-in fast
 * transport then stays off rather than silence warnings for the whole process.
 */
function deprecationsWatched(): boolean {
	const p = process as NodeJS.Process & {throwDeprecation?: boolean; traceDeprecation?: boolean};
	if (p.throwDeprecation || p.traceDeprecation) return true;
	const flags = `${process.execArgv.join(' ')} ${env.NODE_OPTIONS ?? ''}`;
	return flags.includes('-deprecation');
}

/**
 * The opt-in fast transport (`MPM_TUI_HOOK_FAST=1`): a TCP handle from Node's own `tcp_wrap`
 * binding, without `node:net`, whose loading builds Node's whole stream stack on every hook.
 * `process.binding` is deprecated (DEP0111) and these bindings are Node internals: they may change
 * in any release. Any difference of shape throws here and `post` falls back to `node:net`; a change
 * of behaviour would make every hook wait out its timeout and spool, which is why this is off by
 * default. Only for an IPv4 address (the default 127.0.0.1); host names and TLS go through
 * `node:net` / `node:tls`.
 */
function sendRawTcp(t: Target, request: Buffer, answer: Answer): void {
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Node's internal bindings have no types
	const binding = (process as unknown as {binding(name: string): any}).binding;
	const tcp = binding('tcp_wrap');
	const stream = binding('stream_wrap');
	const state: Int32Array | undefined = stream.streamBaseState;
	const nreadIndex: unknown = stream.kReadBytesOrError;
	const offsetIndex: unknown = stream.kArrayBufferOffset;
	if (
		typeof tcp.TCP !== 'function' ||
		typeof tcp.TCPConnectWrap !== 'function' ||
		typeof tcp.constants?.SOCKET !== 'number' ||
		typeof stream.WriteWrap !== 'function' ||
		!(state instanceof Int32Array) ||
		typeof nreadIndex !== 'number' ||
		typeof offsetIndex !== 'number'
	) {
		throw new Error('tcp_wrap or stream_wrap has an unexpected shape');
	}
	const handle = new tcp.TCP(tcp.constants.SOCKET);
	rawHandle = handle;
	const connecting = new tcp.TCPConnectWrap();
	connecting.address = t.host;
	connecting.port = t.port;
	connecting.oncomplete = (status: number): void => {
		if (status < 0) return answer.fail(errorName(status));
		handle.onread = (buffer: ArrayBuffer | undefined): void => {
			const n = state[nreadIndex];
			if (n > 0 && buffer) answer.data(Buffer.from(buffer, state[offsetIndex], n));
			else if (n < 0) answer.fail(n === UV_EOF ? 'connection closed before an answer' : errorName(n));
		};
		const readError: number = handle.readStart();
		if (readError < 0) return answer.fail(errorName(readError));
		handle.setNoDelay(true);
		const writing = new stream.WriteWrap();
		writing.handle = handle;
		writing.async = false;
		writing.oncomplete = (writeStatus: number): void => {
			if (writeStatus < 0) answer.fail(errorName(writeStatus));
		};
		const writeError: number = handle.writeBuffer(writing, request);
		if (writeError < 0) answer.fail(errorName(writeError));
	};
	const connectError: number = handle.connect(connecting, t.host, t.port);
	if (connectError < 0) answer.fail(errorName(connectError));
}

/** The default transport: `node:net` (or `node:tls` for an https URL). */
function sendNet(t: Target, request: Buffer, answer: Answer): void {
	const socket: NetModule.Socket = t.tls
		? (require('node:tls') as typeof import('node:tls')).connect({
				host: t.host,
				port: t.port,
				servername: t.host,
			})
		: (require('node:net') as typeof NetModule).connect(t.port, t.host);
	socket.setNoDelay(true);
	socket.write(request);
	socket.on('data', (chunk: Buffer) => answer.data(chunk));
	socket.on('error', (error: Error) => answer.fail(error.message));
	socket.on('close', () => answer.fail('connection closed before an answer'));
}

function post(body: Buffer, id: string, receivedAt: number): void {
	let settled = false;
	const timeoutMs = positiveInt(env.MPM_TUI_HOOK_TIMEOUT_MS, 300);
	let via = 'node:net';
	const settle = (status: number, why: string): void => {
		if (settled) return;
		settled = true;
		clearTimeout(timer);
		// The connection is not closed here: `done()` exits, which closes it (with node:net,
		// `destroy()` would build `process.stderr`, costing a stdio stream on every run).
		if (status >= 200 && status < 300)
			log(`sent ${id} via ${via}: ${status} in ${Date.now() - startedAt} ms`);
		else if (isPayloadRejection(status))
			log(`server rejected ${id} (${why}); not spooled: it would be rejected again`);
		else spool(body, id, receivedAt, why);
		done();
	};
	const timer = setTimeout(() => settle(0, `no answer within ${timeoutMs} ms`), timeoutMs);
	let text = '';
	const answer: Answer = {
		data(chunk) {
			text += chunk.toString('latin1');
			const eol = text.indexOf('\r\n');
			if (eol === -1) return;
			const match = /^HTTP\/\d(?:\.\d)? (\d{3})/.exec(text.slice(0, eol));
			settle(
				match ? Number(match[1]) : 0,
				match ? `HTTP ${match[1]}` : `not an HTTP answer: ${JSON.stringify(text.slice(0, 40))}`,
			);
		},
		fail: (why) => settle(0, why),
	};
	try {
		const t = target();
		const token = (env.MPM_TUI_TOKEN || env.CLAUDE_MPM_SOCKETIO_TOKEN || '').replace(/[\r\n]/g, '');
		const head =
			`POST ${t.path} HTTP/1.1\r\nHost: ${t.hostHeader}\r\nContent-Type: application/json\r\n` +
			`Content-Length: ${body.length}\r\nX-Mpm-Id: ${id}\r\nX-Mpm-Received: ${receivedAt}\r\n` +
			(token ? `Authorization: Bearer ${token}\r\n` : '') +
			'Connection: close\r\n\r\n';
		const request = Buffer.concat([Buffer.from(head, 'latin1'), body]);
		if (
			isOn(env.MPM_TUI_HOOK_FAST) &&
			!t.tls &&
			/^\d{1,3}(?:\.\d{1,3}){3}$/.test(t.host) &&
			!deprecationsWatched()
		) {
			try {
				via = 'tcp_wrap';
				sendRawTcp(t, request, answer);
				return;
			} catch (error) {
				via = 'node:net';
				log(`fast transport unavailable (${(error as Error).message}): using node:net`);
			}
		}
		sendNet(t, request, answer);
	} catch (error) {
		settle(0, (error as Error).message);
	}
}

function forward(chunks: Buffer[]): void {
	const body = Buffer.concat(chunks);
	if (body.length === 0 || body.toString('latin1').trim() === '') {
		log('empty stdin: nothing to send');
		done();
		return;
	}
	const id = `${startedAt.toString(36)}-${process.pid.toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
	post(body, id, startedAt);
}

/** True when `chunk` ends in `}` (ignoring trailing JSON whitespace). */
function endsWithBrace(chunk: Buffer): boolean {
	let i = chunk.length - 1;
	while (i >= 0 && (chunk[i] === 0x20 || chunk[i] === 0x0a || chunk[i] === 0x0d || chunk[i] === 0x09)) i--;
	return i >= 0 && chunk[i] === 0x7d;
}

function isWholeObject(chunks: Buffer[]): boolean {
	try {
		const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
		return typeof value === 'object' && value !== null;
	} catch {
		return false;
	}
}

/**
 * The fast path: reads stdin with blocking `read` calls, without building `process.stdin` (for a
 * pipe that is a `net.Socket`). Only for a pipe, socket or file, and only as long as it cannot hang:
 * it stops at end of input or once the bytes are a whole JSON object (stdin may be left open). A
 * pipe that gave part of an object may stall, so the rest is left to the stream path, which keeps
 * the watchdog; so is a terminal, and a non-blocking stdin (EAGAIN). Returns whether it read all.
 */
function readStdinSync(chunks: Buffer[]): boolean {
	const fs = require('node:fs') as typeof FsModule;
	let isFile: boolean;
	try {
		const stat = fs.fstatSync(0);
		isFile = stat.isFile();
		if (!isFile && !stat.isFIFO() && !stat.isSocket()) return false;
	} catch {
		return false;
	}
	for (;;) {
		const buffer = Buffer.allocUnsafeSlow(STDIN_READ_BYTES);
		let n: number;
		try {
			n = fs.readSync(0, buffer, 0, buffer.length, null);
		} catch {
			return false;
		}
		if (n === 0) return true;
		const chunk = buffer.subarray(0, n);
		chunks.push(chunk);
		if (endsWithBrace(chunk) && isWholeObject(chunks)) return true;
		if (!isFile) return false;
	}
}

/** The stream path, with the watchdog: `chunks` holds what the fast path read already. */
function readStdinStream(chunks: Buffer[]): void {
	let read = false;
	let settleTimer: NodeJS.Timeout | undefined;
	const finishReading = (why: string): void => {
		if (read) return;
		read = true;
		clearTimeout(settleTimer);
		clearTimeout(hardCap);
		if (why !== 'end') log(`stdin ${why}`);
		try {
			process.stdin.pause();
		} catch {
			// Nothing to pause.
		}
		forward(chunks);
	};
	const hardCap = setTimeout(
		() => finishReading(`still open after ${STDIN_HARD_CAP_MS} ms: sending what arrived`),
		Math.max(0, STDIN_HARD_CAP_MS - (Date.now() - startedAt)),
	);
	const stdin = process.stdin;
	stdin.on('data', (chunk: Buffer) => {
		chunks.push(chunk);
		clearTimeout(settleTimer);
		if (endsWithBrace(chunk)) {
			settleTimer = setTimeout(() => {
				if (isWholeObject(chunks)) finishReading('left open after a whole JSON object');
			}, STDIN_SETTLE_MS);
		}
	});
	stdin.on('end', () => finishReading('end'));
	stdin.on('error', (error: Error) => finishReading(`error: ${error.message}`));
}

function main(): void {
	const chunks: Buffer[] = [];
	if (readStdinSync(chunks)) forward(chunks);
	else readStdinStream(chunks);
}

process.on('uncaughtException', (error) => {
	log(`unexpected: ${error.message}`);
	done();
});

try {
	main();
} catch (error) {
	log(`unexpected: ${(error as Error).message}`);
	done();
}
