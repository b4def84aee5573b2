/**
 * The words, marks and colours the Sessions tab shows for a session's state, why a session
 * waits, and the tab's legend in the `?` help (docs/usage.md quotes these words).
 */
import type {SessionState, WaitReason} from '../../../core/views/index.js';
import type {LegendLine} from '../tab.js';

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

/** Why a session waits, as the Sessions tab says it. */
export const waitWords: Record<WaitReason, string> = {
	permission: 'permission',
	idle: 'waiting for your input',
	input: 'asks for input',
	url: 'asks you to open a URL',
	agent: 'a subagent needs input',
};

export const sessionsLegend: readonly LegendLine[] = [
	['▲ WAITING', 'waits for you: permission, a question, a prompt'],
	['● working', 'a turn is running'],
	['◇ background N', 'stopped, N background tasks still run'],
	['✗ API error', 'the turn ended on an API error (StopFailure)'],
	['○ idle', 'the turn is over, nothing runs'],
	['· stale', 'no event for 30 minutes'],
	['· ended', 'SessionEnd'],
	['·', 'err: no errors'],
];
