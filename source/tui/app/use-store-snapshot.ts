/**
 * Feeds the reducer a snapshot of the store at most every `intervalMs` (about 10 per second
 * under load) and never when nothing changed: no timer runs while the store is idle. Changes
 * that answer a user action are drawn at once. Between changes, a fresh snapshot is taken when
 * the screen would read differently with time alone (`changesIn`: a running call's elapsed
 * time, an age on screen, the header's rate), at most once every `tickMs`; when nothing on
 * screen changes with time, no timer runs.
 */
import {useCallback, useEffect, useRef} from 'react';
import type {EventStore, StoreSnapshot} from '../event-store/event-store.js';
import type {Action} from './ui-state.js';

export const TICK_MS = 1000;

/** Milliseconds until `snap` on screen goes out of date with time alone, or null (never). */
export type ChangesIn = (snap: StoreSnapshot, now: number) => number | null;

/** Returns `redraw`: a fresh snapshot now (what is on screen changed: another tab, the help closed). */
export function useStoreSnapshot(
	store: EventStore,
	dispatch: (action: Action) => void,
	intervalMs: number,
	now: () => number,
	changesIn: ChangesIn,
	tickMs = TICK_MS,
): () => void {
	const redraw = useRef<() => void>(() => {});
	// Read when a tick is set: the latest function (it reads the state on screen) without restarting the feed.
	const changesInRef = useRef(changesIn);
	changesInRef.current = changesIn;
	useEffect(() => {
		let timer: NodeJS.Timeout | undefined;
		let tickTimer: NodeJS.Timeout | undefined;
		let lastFlush = 0;
		let shownVersion = -1;
		const arm = (snap: StoreSnapshot, at: number) => {
			if (tickTimer) clearTimeout(tickTimer);
			tickTimer = undefined;
			const wait = changesInRef.current(snap, at);
			if (wait === null) return;
			tickTimer = setTimeout(tick, Math.max(tickMs, wait));
		};
		const send = () => {
			lastFlush = now();
			shownVersion = store.version;
			const snap = store.snapshot(lastFlush);
			dispatch({type: 'snapshot', snap});
			arm(snap, lastFlush);
		};
		const flush = () => {
			timer = undefined;
			if (store.version === shownVersion) {
				lastFlush = now();
				return;
			}
			send();
		};
		const tick = () => {
			tickTimer = undefined;
			if (timer) return; // a snapshot is on its way (and sets the next tick)
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
		redraw.current = () => {
			if (timer) clearTimeout(timer);
			timer = undefined;
			send();
		};
		const unsubscribe = store.subscribe(onChange);
		flush();
		return () => {
			redraw.current = () => {};
			unsubscribe();
			if (timer) clearTimeout(timer);
			if (tickTimer) clearTimeout(tickTimer);
		};
	}, [store, dispatch, intervalMs, now, tickMs]);
	return useCallback(() => redraw.current(), []);
}
