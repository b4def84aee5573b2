/**
 * When the screen would read differently with no new event: the header's rate as arrivals leave
 * its minute, the ages (`5s ago`) of the rows on screen, a running call or agent's elapsed time.
 * The snapshot hook redraws then, and not otherwise, so an idle screen costs nothing.
 */
import {agoChangesIn} from '../../core/views/index.js';
import type {StoreSnapshot} from '../event-store/event-store.js';
import {tabById} from '../tabs/registry.js';
import type {UiState} from './ui-state.js';

/**
 * Milliseconds from `now` until `snap`, as `state` shows it, goes out of date with time alone
 * (`runningMs` while something runs), or null when it never does.
 */
export function screenChangesIn(
	state: UiState,
	snap: StoreSnapshot,
	now: number,
	runningMs: number,
): number | null {
	let soonest = snap.rateChangesIn ?? Number.POSITIVE_INFINITY;
	// While paused the tab shows the frozen snapshot: only the header (the newest one) moves on.
	if (!state.paused) {
		const ages = tabById(state.tab).ages;
		if (ages) {
			for (const then of ages({...state, shown: snap})) {
				const next = agoChangesIn(then, now);
				if (next !== null && next < soonest) soonest = next;
			}
		}
		if (soonest > runningMs && snap.views.live()) soonest = runningMs;
	}
	return soonest === Number.POSITIVE_INFINITY ? null : Math.max(0, soonest);
}
