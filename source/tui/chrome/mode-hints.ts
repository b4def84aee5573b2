/**
 * The footer's hints while a line is edited or the detail view is open (the same on every tab);
 * null in a list, where each tab gives its own.
 */
import type {UiState} from '../app/ui-state.js';

export function modeHints(state: UiState): string | null {
	switch (state.mode) {
		case 'detail':
			return 'j/k scroll · Space/b page · g/G top/end · Esc back · q quit';
		case 'search':
			return 'Enter keep · Esc clear';
		case 'filter':
			return 'Enter apply · Esc cancel · empty clears';
		case 'export':
			return 'Enter write · Esc cancel · .json = JSON array, else NDJSON';
		default:
			return null;
	}
}
