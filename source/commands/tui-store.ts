/**
 * The event store the monitor draws from, and what feeds it: `--filter` applied from the start,
 * and the handlers that take a connection's events, state and server problems into it.
 */
import type {Config} from '../config.js';
import type {ConnectionHandlers, ConnectionState} from '../client/connection.js';
import {compileFilterFlag} from '../core/filter.js';
import {EventStore, type LinkInfo, type Predicate} from '../tui/event-store/event-store.js';

export interface TuiStore {
	store: EventStore;
	/** `--filter`, as the filter bar shows it. */
	filter: {text: string; test: Predicate} | undefined;
}

/** The store, filtered by `--filter` when given; an error when the filter does not compile. */
export function createTuiStore(config: Config): TuiStore | {error: string} {
	const store = new EventStore(config.history, config.historyBytes);
	const compiled = compileFilterFlag(config.filter);
	if (!compiled.ok) return {error: compiled.error};
	if (!compiled.test) return {store, filter: undefined};
	store.setQuery(compiled.test, '');
	return {store, filter: {text: config.filter.trim(), test: compiled.test}};
}

function linkFrom(
	state: ConnectionState,
	address: string,
	hosting: boolean,
	note?: string,
): Partial<LinkInfo> {
	const status = state.status === 'connected' ? (hosting ? 'hosting' : 'connected') : state.status;
	return {status, address, attempt: state.attempt, error: state.error, note};
}

/** A connection's handlers that feed the store: its events, its state as the link, the server's problems. */
export function storeHandlers(
	store: EventStore,
	link: {url: string; hosting: boolean; note?: string},
	log: (line: string) => void,
): ConnectionHandlers {
	return {
		// History caught up with at start or on connect happened earlier: not counted in the rate.
		onEvents: (events, history) => store.append(events, Date.now(), !history),
		onState: (state) => store.setLink(linkFrom(state, link.url, link.hosting, link.note)),
		onProblem: log,
		onStatus: (status: {problems?: unknown}) =>
			store.setServerProblems(
				Array.isArray(status.problems)
					? status.problems.filter((p): p is string => typeof p === 'string').slice(0, 5)
					: [],
			),
	};
}
