/**
 * The marks the Files tab shows, for the `?` help.
 */
import type {LegendLine} from '../tab.js';

export const filesLegend: readonly LegendLine[] = [
	['R W E S', 'reads, writes, edits, searches of the path'],
	['·', 'none of them'],
	['dir/', 'a directory searched in (Grep, Glob, LS), not a file'],
	['in ~/app', 'the directory the paths are shown relative to'],
];
