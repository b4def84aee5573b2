/**
 * While the search line is being typed, applies it ~80 ms after the last key.
 */
import {useEffect} from 'react';
import type {Action, Mode} from './ui-state.js';

export const SEARCH_DEBOUNCE_MS = 80;

export function useSearchDebounce(
	mode: Mode,
	input: string,
	dispatch: (action: Action) => void,
	delayMs = SEARCH_DEBOUNCE_MS,
): void {
	useEffect(() => {
		if (mode !== 'search') return;
		const timer = setTimeout(() => dispatch({type: 'searchApply'}), delayMs);
		return () => clearTimeout(timer);
	}, [mode, input, dispatch, delayMs]);
}
