/**
 * `--replay`: loads a recording before anything is drawn (a bad file is a one-line error, as with
 * the other flags) and plays it into the store at `--speed`.
 */
import path from 'node:path';
import type {EventStore} from '../tui/event-store/event-store.js';
import type {ReplayPlayer} from '../tui/sources/replay.js';

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

export async function startReplay(
	file: string,
	speed: number,
	store: EventStore,
): Promise<{player: ReplayPlayer} | {error: string}> {
	const {loadReplay, playReplay, ReplayError} = await import('../tui/sources/replay.js');
	let loaded;
	try {
		loaded = await loadReplay(file);
	} catch (error) {
		if (error instanceof ReplayError) return {error: error.message};
		throw error;
	}
	store.setLink({
		status: 'replay',
		address: path.basename(file),
		attempt: 0,
		note: speed === 1 ? undefined : `×${speed}`,
	});
	if (loaded.bad > 0)
		store.setNotice(`skipped ${plural(loaded.bad, 'bad line')} (${loaded.firstErrors.join('; ')})`);
	const total = loaded.records.length;
	const player = playReplay(
		loaded.records,
		speed,
		(batch) => store.append(batch, Date.now()),
		() =>
			store.setNotice(
				`replay finished: ${plural(total, 'event')}${loaded.bad > 0 ? `, ${plural(loaded.bad, 'bad line')} skipped` : ''}`,
			),
	);
	return {player};
}
