/**
 * `mpm-tui --server-only`: the headless server. Every accepted event (matching `--filter`) goes
 * to stdout as one NDJSON line; logs go to stderr. Stops cleanly on SIGINT/SIGTERM and when the
 * reader of stdout goes away (`| head -n 3`): stop accepting, flush the journal, close sockets.
 * `--ndjson FILE` appends the stream to a file instead. A write that fails for another reason than
 * a reader gone (ENOSPC, EIO, a path that cannot be opened) is told with its reason and ends the
 * server with exit code 1 (client/output-fault.ts). `--daemon` (what `mpm-tui server start`
 * runs): no stream unless `--ndjson`, logs to `<stateDir>/server.log` (rotated), and a PID file
 * `<stateDir>/server.pid` while it listens.
 */
import fs from 'node:fs';
import type {Writable} from 'node:stream';
import {UnsafeBindError, type Config} from '../config.js';
import {compileFilterFlag} from '../core/filter.js';
import {NdjsonWriter} from '../client/ndjson-writer.js';
import {outputFault} from '../client/output-fault.js';
import {describePortInUse} from '../client/probe.js';
import {PortInUseError, startServer, type MpmServer} from '../server/server.js';
import {RotatingLog} from '../daemon/log-file.js';
import {daemonFiles, removePidFile, writePidFile} from '../daemon/pid-file.js';
import {processStart} from '../server/state-dir.js';

export interface ServerOnlyOptions {
	daemon?: boolean;
	/** Append the NDJSON stream to this file instead of stdout. */
	ndjson?: string;
}

let log = (line: string): void => {
	process.stderr.write(`mpm-tui: ${line}\n`);
};

export async function runServerOnly(config: Config, options: ServerOnlyOptions = {}): Promise<number> {
	const files = daemonFiles(config.stateDir);
	if (options.daemon) {
		const file = new RotatingLog(files.log);
		log = (line) => file.write(line);
		log(`starting (mpm-tui --server-only --daemon)`);
	}
	const filter = compileFilterFlag(config.filter);
	if (!filter.ok) {
		log(filter.error);
		return 2;
	}
	const test = filter.test;

	let stop: (reason: string) => void = () => {};
	const stopped = new Promise<string>((resolve) => {
		stop = resolve;
	});
	// Before the server starts: a signal that comes while it starts (or the moment it says it
	// listens) stops it cleanly once it has started.
	const onSignal = (signal: NodeJS.Signals) => {
		stop(signal);
		// A second signal while shutting down ends at once.
		process.once(signal, () => process.exit(130));
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	const release = () => {
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
	};

	// The --ndjson file is opened before the server starts: a path that cannot be written is told
	// at once, with its reason, and no server starts (nor, for `server start`, seems to start).
	let file: fs.WriteStream | undefined;
	if (options.ndjson) {
		try {
			file = fs.createWriteStream(options.ndjson, {fd: await openForAppend(options.ndjson)});
		} catch (error) {
			release();
			log(outputFault(options.ndjson, error as Error));
			return 1;
		}
	}
	const sink: Writable | null = file ?? (options.daemon ? null : process.stdout);
	const target = options.ndjson ?? 'stdout';
	// A fault of the output (not its reader going away) ends the server with its reason and exit 1.
	let fault: string | undefined;
	const out = sink
		? new NdjsonWriter(sink, {
				onClosed: (error) => {
					if (error) {
						fault = outputFault(target, error);
						log(fault);
						stop(`the NDJSON output failed`);
					} else stop(`${target} was closed`);
				},
			})
		: null;

	let server: MpmServer;
	try {
		server = await startServer(config, {
			log,
			stdoutDropped: () => out?.dropped ?? 0,
			onAccepted: out
				? (batch) => {
						// Without a filter, the very bytes the journal wrote.
						if (!test) return out.writeNdjson(batch.ndjson());
						out.writeLines(batch.lines().filter((_, i) => test(batch.records[i])));
					}
				: undefined,
		});
	} catch (error) {
		release();
		file?.destroy();
		if (error instanceof PortInUseError) {
			log(await describePortInUse(error.host, error.port, config.token));
			return 1;
		}
		if (error instanceof UnsafeBindError) {
			log(error.message);
			return 2;
		}
		log(error instanceof Error ? error.message : String(error));
		return 1;
	}
	log(`listening on ${server.url}`);
	if (options.daemon) {
		try {
			writePidFile(files.pid, {
				pid: process.pid,
				procStart: processStart(process.pid),
				url: server.url,
				host: config.host,
				port: Number(new URL(server.url).port),
				startedAt: Date.now(),
				version: server.stats().version,
			});
		} catch (error) {
			log(`cannot write the PID file ${files.pid}: ${(error as Error).message}; stopping`);
			await server.close();
			return 1;
		}
	}
	const stats = server.stats();
	if (config.journal)
		log(
			`journal ${config.journal} (${stats.journal.replayed} events replayed, last seq ${stats.events.lastSeq})`,
		);
	else log('journal off: history is kept in memory only');

	const reason = await stopped;
	log(`stopping (${reason})`);
	await server.close();
	await out?.end();
	if (options.daemon) removePidFile(files.pid, process.pid);
	release();
	if (out && out.dropped > 0)
		log(
			`${out.dropped} event line(s) were left out of ${target} because it was not read fast enough (each gap is marked in the stream by a {"mpm_tui":"dropped","count":N} line)`,
		);
	log('stopped');
	return fault === undefined ? 0 : 1;
}

/** The file opened to append (created 0600), off the event loop: a FIFO waits there for its reader. */
function openForAppend(file: string): Promise<number> {
	return new Promise((resolve, reject) => {
		fs.open(file, 'a', 0o600, (error, fd) => (error ? reject(error) : resolve(fd)));
	});
}
