/**
 * The marks, words and colours the Tools, Agents and Sessions tabs show for a status, and the
 * legend the help overlay (`?`) lists: one place, so the legend names every word a tab can show.
 */
import type {AgentStatus, SessionState, ToolStatus} from '../../core/views/index.js';

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

export const agentStatusMark: Record<AgentStatus, string> = {running: '◐', done: '✓', failed: '✗', denied: '✗', interrupted: '⊘', lost: '?'};

export const agentStatusColor: Record<AgentStatus, string | undefined> = {
	running: 'yellow',
	done: 'green',
	failed: 'red',
	denied: 'red',
	interrupted: 'yellow',
	lost: 'gray',
};

export const sessionStateColor: Record<SessionState, string | undefined> = {
	working: 'green',
	waiting: 'yellow',
	background: 'blue',
	failed: 'red',
	idle: 'cyan',
	ended: 'gray',
	stale: 'gray',
};

/** The state column's text; `background` with how many tasks run (`◇ background 2`, narrow: `◇ bg 2`). */
export function sessionStateText(state: SessionState, tasks: number, narrow = false): string {
	switch (state) {
		case 'working':
			return '● working';
		case 'waiting':
			return '▲ WAITING';
		case 'background':
			return narrow ? `◇ bg ${tasks}` : `◇ background ${tasks}`;
		case 'failed':
			return '✗ API error';
		case 'idle':
			return '○ idle';
		case 'ended':
			return '· ended';
		case 'stale':
			return '· stale';
	}
}

/** One legend line: the mark and word as shown, and what it means. */
export type LegendLine = readonly [shown: string, meaning: string];

export interface Legend {
	tab: number;
	title: string;
	lines: readonly LegendLine[];
}

/** Meanings stay within 56 characters, so a line fits an 80-column pane. */
export const legends: readonly Legend[] = [
	{tab: 1, title: 'Tools', lines: [
		['◐ running', 'started, no end yet'],
		['✓ ok', 'ended well'],
		['✓ launched', 'started in the background; it goes on there'],
		['✗ failed', 'PostToolUseFailure (an error)'],
		['✗ denied', 'PermissionDenied: it never ran (an error)'],
		['⊘ interrupted', 'stopped by you, or no end when its turn ended'],
		['? lost', 'no end and no activity for 10 minutes'],
		['⚑', 'it asked for permission (see its records)'],
	]},
	{tab: 2, title: 'Agents', lines: [
		['◐ running', 'at work ("running bg": started in the background)'],
		['✓ done', 'SubagentStop came, or its Agent call ended'],
		['✗ failed', 'its Agent call failed (an error)'],
		['✗ denied', 'its Agent call was denied (an error)'],
		['⊘ interrupted', 'stopped by you, or its turn or session ended'],
		['? lost', 'no event for 10 minutes'],
	]},
	{tab: 4, title: 'Sessions', lines: [
		['▲ WAITING', 'waits for you: permission, a question, a prompt'],
		['● working', 'a turn is running'],
		['◇ background N', 'stopped, N background tasks still run'],
		['✗ API error', 'the turn ended on an API error (StopFailure)'],
		['○ idle', 'the turn is over, nothing runs'],
		['· stale', 'no event for 30 minutes'],
		['· ended', 'SessionEnd'],
	]},
];
