/**
 * `mpm-tui server start|stop|status|restart|logs|unit`: the server as a background daemon
 * (docs/usage.md, "The daemon"). Each subcommand is in source/daemon/.
 */
import type {Config} from '../config.js';
import {showControls} from '../core/terminal-safe.js';
import {followLog} from '../daemon/log-follow.js';
import {tailOf} from '../daemon/log-file.js';
import {daemonFiles} from '../daemon/pid-file.js';
import {startDaemon} from '../daemon/start.js';
import {daemonStatus} from '../daemon/status.js';
import {stopDaemon} from '../daemon/stop.js';
import {redisNote, serviceUnit} from '../daemon/unit.js';

export interface ServerDaemonOptions {
	ndjson?: string;
	/** `--timeout S`: seconds `start` waits for /health, and `stop` for a graceful stop (above 0: cli.tsx checks it, and `--lines`). */
	timeout?: number;
	/** `--lines N` for `logs` (default 50). */
	lines?: number;
	/** `--follow` for `logs`: then every new line, like `tail -F`, until Ctrl-C. */
	follow?: boolean;
	/** `--format systemd|launchd` for `unit` (default: launchd on macOS, else systemd). */
	format?: string;
}

const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`mpm-tui: ${line}\n`);

export async function runServerDaemon(
	config: Config,
	subcommand: string | undefined,
	options: ServerDaemonOptions,
): Promise<number> {
	const timeoutMs = options.timeout === undefined ? undefined : options.timeout * 1000;
	switch (subcommand) {
		case 'start':
			return startDaemon(config, {ndjson: options.ndjson, timeoutMs, out, err});
		case 'stop':
			return stopDaemon(config, {timeoutMs, out, err});
		case 'restart': {
			const stopped = await stopDaemon(config, {timeoutMs, out, err});
			if (stopped !== 0) return stopped;
			return startDaemon(config, {ndjson: options.ndjson, timeoutMs, out, err});
		}
		case 'status':
			return daemonStatus(config, out);
		case 'logs': {
			const {log} = daemonFiles(config.stateDir);
			const lines = options.lines ?? 50;
			if (options.follow) return followUntilStopped(log, lines);
			let text: string | null;
			try {
				text = tailOf(log, lines);
			} catch (error) {
				err(`cannot read the log ${log}: ${(error as Error).message}`);
				return 1;
			}
			if (text === null) {
				err(`no log yet (${log}): the daemon has not been started with this state dir`);
				return 1;
			}
			if (text !== '') out(text.split('\n').map(showControls).join('\n'));
			return 0;
		}
		case 'unit': {
			const format = options.format ?? (process.platform === 'darwin' ? 'launchd' : 'systemd');
			if (format !== 'systemd' && format !== 'launchd') {
				err(`--format must be systemd or launchd, got ${JSON.stringify(format)}`);
				return 2;
			}
			out(serviceUnit(format, config, process.execPath, process.argv[1]));
			const note = redisNote(format, config);
			if (note) err(note);
			return 0;
		}
		default:
			err(
				`${subcommand === undefined ? 'server needs a subcommand' : `unknown server subcommand "${subcommand}"`}: start, stop, status, restart, logs or unit`,
			);
			return 2;
	}
}

/** `logs --follow` until Ctrl-C or SIGTERM (exit 0), or until the reader of stdout goes away. */
async function followUntilStopped(log: string, lines: number): Promise<number> {
	const stop = new AbortController();
	const onSignal = () => stop.abort();
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	try {
		return await followLog(log, {lines, out: process.stdout, say: err, signal: stop.signal});
	} finally {
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
	}
}
