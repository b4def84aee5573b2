/**
 * The marks and words the Events list shows on its title line and at the cursor, and the short
 * type labels of a narrow type column (core/event-types), for the `?` help and docs/keys.md.
 */
import {SHORT_LABELS} from '../../../core/event-types.js';
import type {LegendLine} from '../tab.js';

export const eventsLegend: readonly LegendLine[] = [
	['›', 'the selected event'],
	['follow', 'the newest event stays selected'],
	['follow off', 'you moved up; F or G follows again'],
	['▼ N new', 'N events arrived since follow was left'],
	['⏸ paused · N pending', 'p: the list holds still; N arrived since'],
	['filtered', 'the filter line selects what is listed'],
];

/** The type column's short labels, each with the name it stands for (and `type:` takes). */
export const eventTypeLabels: readonly LegendLine[] = [...SHORT_LABELS].map(([name, label]): LegendLine => [
	label,
	name,
]);
