/**
 * `mpm-tui --server-only`: the headless server. Every accepted event (matching `--filter`) goes
 * to stdout as one NDJSON line; logs go to stderr. Stops cleanly on SIGINT/SIGTERM and when the
 * reader of stdout goes away (`| head -n 3`): stop accepting, flush the journal, close sockets.
 */
import {UnsafeBindError, type Config} from '../config.js';
import {compileFilterFlag} from '../core/filter.js';
import {NdjsonWriter} from '../client/ndjson-writer.js';
import {describePortInUse} from '../client/probe.js';
import {PortInUseError, startServer, type MpmServer} from '../server/server.js';

function log(line: string): void {
	process.stderr.write(`mpm-tui: ${line}\n`);
}

export async function runServerOnly(config: Config): Promise<number> {
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

	const out = new NdjsonWriter(process.stdout, {onClosed: () => stop('stdout was closed')});

	let server: MpmServer;
	try {
		server = await startServer(config, {
			log,
			stdoutDropped: () => out.dropped,
			onAccepted: (batch) => {
				// Without a filter, the very bytes the journal wrote.
				if (!test) return out.writeNdjson(batch.ndjson());
				out.writeLines(batch.lines().filter((_, i) => test(batch.records[i])));
			},
		});
	} catch (error) {
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
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
	const stats = server.stats();
	if (config.journal)
		log(
			`journal ${config.journal} (${stats.journal.replayed} events replayed, last seq ${stats.events.lastSeq})`,
		);
	else log('journal off: history is kept in memory only');

	const reason = await stopped;
	log(`stopping (${reason})`);
	await server.close();
	await out.end();
	process.off('SIGINT', onSignal);
	process.off('SIGTERM', onSignal);
	if (out.dropped > 0)
		log(
			`${out.dropped} event line(s) were left out of stdout because it was not read fast enough (each gap is marked in the stream by a {"mpm_tui":"dropped","count":N} line)`,
		);
	log('stopped');
	return 0;
}
