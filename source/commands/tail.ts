/**
 * `mpm-tui tail [--since SEQ]`: prints a running server's events as NDJSON — the history after
 * SEQ first when given, then live — honouring `--filter`. Stops on SIGINT/SIGTERM or when the
 * reader of stdout goes away (exit 0); a write to stdout that fails otherwise (ENOSPC, EIO) is
 * told and ends it with exit 1.
 */
import type {Config} from '../config.js';
import {compileFilterFlag} from '../core/filter.js';
import {openConnection} from '../client/connection.js';
import {NdjsonWriter} from '../client/ndjson-writer.js';
import {outputFault} from '../client/output-fault.js';
import {probe} from '../client/probe.js';

function log(line: string): void {
	process.stderr.write(`mpm-tui: ${line}\n`);
}

export async function runTail(config: Config, options: {since?: number} = {}): Promise<number> {
	const since = options.since;
	const filter = compileFilterFlag(config.filter);
	if (!filter.ok) {
		log(filter.error);
		return 2;
	}
	const test = filter.test;

	const found = await probe(config.url, config.token, 3000);
	if (found.kind === 'none') {
		log(`no server answers at ${config.url} (start one with: mpm-tui --server-only)`);
		return 1;
	}
	if (found.kind === 'claude-mpm') {
		log(`${config.url} is a claude-mpm monitor; tail needs an mpm-tui server`);
		return 1;
	}
	if (found.kind === 'other') {
		log(`${config.url} is not an mpm-tui server: ${found.detail}`);
		return 1;
	}

	let finish: (code: number) => void = () => {};
	const finished = new Promise<number>((resolve) => {
		finish = resolve;
	});
	// The reader going away is a normal end; any other write error is told and ends with 1.
	const out = new NdjsonWriter(process.stdout, {
		onClosed: (fault) => {
			if (fault) log(outputFault('stdout', fault));
			finish(fault ? 1 : 0);
		},
	});
	let lastStatus = '';
	const connection = openConnection(
		{url: config.url, token: config.token, since},
		{
			onEvents: (events) => out.write(test ? events.filter(test) : events),
			onProblem: (message) => log(message),
			onState: (state) => {
				if (state.status === lastStatus) return;
				lastStatus = state.status;
				if (state.status === 'unauthorized') {
					log(
						`${config.url} refused the connection: ${state.error ?? 'missing or wrong token'} (set --token or MPM_TUI_TOKEN)`,
					);
					finish(1);
				} else if (state.status === 'reconnecting') {
					log(`connection lost${state.error ? ` (${state.error})` : ''}; reconnecting…`);
				} else if (state.status === 'connected') {
					log(`connected to ${config.url}`);
				}
			},
		},
	);
	const onSignal = () => finish(0);
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	const code = await finished;
	connection.close();
	await out.end();
	process.off('SIGINT', onSignal);
	process.off('SIGTERM', onSignal);
	return code;
}
