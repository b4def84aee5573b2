/**
 * The marks and words the Events list shows on its title line and at the cursor, for the `?`
 * help.
 */
import type {LegendLine} from '../tab.js';

export const eventsLegend: readonly LegendLine[] = [
	['›', 'the selected event'],
	['follow', 'the newest event stays selected'],
	['follow off', 'you moved up; F or G follows again'],
	['▼ N new', 'N events arrived since follow was left'],
	['⏸ paused · N pending', 'p: the list holds still; N arrived since'],
	['filtered', 'the filter line selects what is listed'],
];
