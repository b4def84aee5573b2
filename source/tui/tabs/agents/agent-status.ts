/**
 * The marks, words and colours the Agents tab shows for an agent's status, and its legend in
 * the `?` help.
 */
import type {AgentEntry, AgentStatus} from '../../../core/views/index.js';
import type {LegendLine} from '../tab.js';

export const agentStatusMark: Record<AgentStatus, string> = {
	running: '◐',
	done: '✓',
	failed: '✗',
	denied: '✗',
	interrupted: '⊘',
	lost: '?',
};

export const agentStatusColor: Record<AgentStatus, string | undefined> = {
	running: 'yellow',
	done: 'green',
	failed: 'red',
	denied: 'red',
	interrupted: 'yellow',
	lost: 'gray',
};

export function agentStatusText(row: Pick<AgentEntry, 'status' | 'background'>): string {
	return row.background && row.status === 'running' ? 'running bg' : row.status;
}

export const agentsLegend: readonly LegendLine[] = [
	['◐ running', 'at work; took counts up ("running bg": in background)'],
	['✓ done', 'SubagentStop came, or its Agent call ended'],
	['✗ failed', 'its Agent call failed (an error)'],
	['✗ denied', 'its Agent call was denied (an error)'],
	['⊘ interrupted', 'stopped by you, or its turn or session ended'],
	['? lost', 'no event for 10 minutes'],
	['–', 'took: not known (lost: no end came)'],
];
