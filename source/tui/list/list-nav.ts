/**
 * Cursor, scroll and follow arithmetic for a windowed list.
 */
import type {StoreSnapshot} from '../event-store/event-store.js';
import type {UiState} from '../app/ui-state.js';

/** Keeps the cursor inside the list and on screen; follow pins it to the newest row. */
export function settle(state: UiState): UiState {
	const length = state.shown.items.length;
	const rows = Math.max(1, state.rows);
	let cursor = state.follow ? length - 1 : state.cursor;
	cursor = Math.max(0, Math.min(cursor, length - 1));
	let top = state.top;
	if (state.follow) top = length - rows;
	if (cursor < top) top = cursor;
	if (cursor >= top + rows) top = cursor - rows + 1;
	top = Math.max(0, Math.min(top, Math.max(0, length - rows)));
	if (cursor === state.cursor && top === state.top) return state;
	return {...state, cursor, top};
}

/** A new snapshot: shift the cursor by what left the front of the list, unless the list was rebuilt. */
export function applySnapshot(state: UiState, snap: StoreSnapshot): UiState {
	// A new notice from the store (replay, server log) shows in the footer until the next key.
	if (snap.notice !== state.latest.notice && snap.notice !== null) state = {...state, notice: snap.notice};
	// Paused: the list stays as it is, unless the user rebuilt it (new filter, search or clear).
	if (state.paused && snap.listGeneration === state.shown.listGeneration) return {...state, latest: snap};
	const prev = state.shown;
	const rebuilt = snap.listGeneration !== prev.listGeneration;
	let {cursor, top, seenAppended} = state;
	if (rebuilt) {
		seenAppended = snap.listAppended;
	} else {
		const dropped = snap.listDropped - prev.listDropped;
		cursor -= dropped;
		top -= dropped;
	}
	return settle({...state, shown: snap, latest: snap, cursor, top, seenAppended});
}

export function leaveFollow(state: UiState): UiState {
	return state.follow ? {...state, follow: false, seenAppended: state.shown.listAppended} : state;
}

export function moveBy(state: UiState, delta: number): UiState {
	if (delta === 0) return state;
	const length = state.shown.items.length;
	if (length === 0) return state;
	const next = Math.max(0, Math.min(length - 1, state.cursor + delta));
	// Scrolling up (or anywhere but the end) leaves follow; moving down at the end keeps it.
	if (state.follow && delta > 0) return state;
	return settle({...leaveFollow(state), cursor: next});
}

export function jumpTop(state: UiState): UiState {
	return settle({...leaveFollow(state), cursor: 0, top: 0});
}

export function jumpEnd(state: UiState): UiState {
	return settle({...state, follow: true, seenAppended: state.shown.listAppended});
}

/** How many events arrived into the list since follow was left. */
export function newSinceLeft(state: UiState): number {
	return state.follow ? 0 : Math.max(0, state.latest.listAppended - state.seenAppended);
}
