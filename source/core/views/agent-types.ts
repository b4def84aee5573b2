/**
 * The type of each subagent (`Explore`, `general-purpose`…) by its id, learned from every record
 * that names both (SubagentStart does; a tool call inside the agent may not). Rows name an agent
 * by its type through this, whichever of its records they were built from.
 */
import type {EventRecord} from '../record.js';
import {agentIdOf, agentTypeOf, MAIN_AGENT} from './fields.js';
import {trimMap} from './bounded.js';

const MAX_AGENTS = 5000;

export class AgentTypes {
	private readonly types = new Map<string, string>();

	learn(rec: EventRecord): void {
		const id = agentIdOf(rec);
		if (id === null) return;
		const type = agentTypeOf(rec);
		if (type === null || this.types.get(id) === type) return;
		this.types.delete(id);
		this.types.set(id, type);
		trimMap(this.types, MAX_AGENTS, () => true);
	}

	/** The type of agent `agent` (an agent id, or `main`), or null when no record said it. */
	typeOf(agent: string): string | null {
		return agent === MAIN_AGENT ? null : (this.types.get(agent) ?? null);
	}

	clear(): void {
		this.types.clear();
	}
}
