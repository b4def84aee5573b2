/**
 * Feeds the reducer a snapshot of the store at most every `intervalMs` (about 10 per second
 * under load) and never when nothing changed: no timer runs while the store is idle. Changes
 * that answer a user action are drawn at once. While a tool call or an agent runs (or a session
 * waits), a fresh snapshot every `tickMs` keeps the running durations ticking; once nothing runs,
 * the tick stops.
 */
import {useEffect} from 'react';
import type {EventStore} from '../event-store/event-store.js';
import type {Action} from './ui-state.js';

export const TICK_MS = 1000;

export function useStoreSnapshot(store: EventStore, dispatch: (action: Action) => void, intervalMs: number, now: () => number, tickMs = TICK_MS): void {
	useEffect(() => {
		let timer: NodeJS.Timeout | undefined;
		let tickTimer: NodeJS.Timeout | undefined;
		let lastFlush = 0;
		let shownVersion = -1;
		const send = () => {
			lastFlush = now();
			shownVersion = store.version;
			dispatch({type: 'snapshot', snap: store.snapshot(lastFlush)});
			if (!tickTimer) tickTimer = setTimeout(tick, tickMs);
		};
		const flush = () => {
			timer = undefined;
			if (store.version === shownVersion) {
				lastFlush = now();
				if (!tickTimer) tickTimer = setTimeout(tick, tickMs);
				return;
			}
			send();
		};
		const tick = () => {
			tickTimer = undefined;
			// Nothing running: no more ticks until the next change.
			if (!store.live(now())) return;
			if (timer) return; // a snapshot is on its way (and re-arms the tick)
			send();
		};
		const onChange = (urgent: boolean) => {
			if (urgent) {
				// A user action (new search, filter, clear): draw it now, not at the next tick.
				if (timer) clearTimeout(timer);
				timer = setTimeout(flush, 0);
				return;
			}
			if (timer) return;
			const wait = Math.max(0, lastFlush + intervalMs - now());
			timer = setTimeout(flush, wait);
		};
		const unsubscribe = store.subscribe(onChange);
		flush();
		return () => {
			unsubscribe();
			if (timer) clearTimeout(timer);
			if (tickTimer) clearTimeout(tickTimer);
		};
	}, [store, dispatch, intervalMs, now, tickMs]);
}
