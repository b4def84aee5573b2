/**
 * The marks, words and colours the Tools tab shows for a call's status, and its legend in the
 * `?` help: one place, so the legend names every word the tab can show.
 */
import type {ToolStatus} from '../../../core/views/index.js';
import type {LegendLine} from '../tab.js';

export const toolStatusMark: Record<ToolStatus, string> = {
	running: '◐',
	ok: '✓',
	failed: '✗',
	denied: '✗',
	interrupted: '⊘',
	lost: '?',
};

export const toolStatusColor: Record<ToolStatus, string | undefined> = {
	running: 'yellow',
	ok: 'green',
	failed: 'red',
	denied: 'red',
	interrupted: 'yellow',
	lost: 'gray',
};

export const toolsLegend: readonly LegendLine[] = [
	['◐ running', 'started, no end yet'],
	['✓ ok', 'ended well'],
	['✓ launched', 'started in the background; it goes on there'],
	['✗ failed', 'PostToolUseFailure (an error)'],
	['✗ denied', 'PermissionDenied: it never ran (an error)'],
	['⊘ interrupted', 'stopped by you, or no end when its turn ended'],
	['? lost', 'no end and no activity for 10 minutes'],
	['⚑', 'it asked for permission (see its records)'],
	['–', 'took: not known (an interrupted call without an end)'],
	['lost', 'took: the call is lost, so not known'],
];
