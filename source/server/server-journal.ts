/**
 * The journal at start: its records replayed into the history first, then (once the server owns
 * its port and lock) opened for writing. Either failing is one clear message with what to do.
 */
import type {Config} from '../config.js';
import {Journal} from './journal.js';
import {replayJournal, type Replay} from './journal-replay.js';

const JOURNAL_HINT = '(choose another with --journal PATH, or run with --no-journal)';

function cannotOpen(config: Config, error: unknown): Error {
	return new Error(
		`could not open the journal ${config.journal}: ${(error as Error).message} ${JOURNAL_HINT}`,
	);
}

/** The journal's records (none without a journal); its warnings are logged. */
export function replayAtStart(config: Config, log: (line: string) => void): Replay {
	let replay: Replay = {records: [], lastSeq: 0, skipped: 0, warnings: []};
	if (config.journal) {
		try {
			replay = replayJournal(config.journal, config.history, 2, config.historyBytes);
		} catch (error) {
			throw cannotOpen(config, error);
		}
	}
	for (const warning of replay.warnings) log(warning);
	return replay;
}

/** The journal opened for writing after the replayed records (null without a journal). */
export function openJournal(
	config: Config,
	replay: Replay,
	maxBytes: number | undefined,
	log: (line: string) => void,
): Journal | null {
	if (!config.journal) return null;
	let journal: Journal;
	try {
		journal = new Journal(
			{path: config.journal, maxBytes, onError: (message) => log(message)},
			replay.lastSeq,
		);
	} catch (error) {
		throw cannotOpen(config, error);
	}
	if (replay.skipped > 0) log(`journal: skipped ${replay.skipped} unreadable line(s) in ${config.journal}`);
	return journal;
}
