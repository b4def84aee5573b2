/** The subagent row the views hand out, and its status words (agents.ts makes them). */

export type AgentStatus = 'running' | 'done' | 'failed' | 'denied' | 'interrupted' | 'lost';
/** Why an agent is interrupted: the user stopped its spawn, its parent's turn ended (Stop, the next prompt), or its session ended. */
export type AgentInterruptCause = 'user' | 'stop' | 'prompt' | 'session-end';

export interface AgentEntry {
	/** Stable row key: the agent id, else `call:<tool_use_id>` while the run is not known yet. */
	key: string;
	/** The subagent's `agent_id`, when known. */
	id: string | null;
	type: string;
	description: string;
	prompt: string | null;
	status: AgentStatus;
	/** Set when `status` is `interrupted`. */
	interruptedBy: AgentInterruptCause | null;
	start: number;
	end: number | null;
	/** `totalDurationMs` when reported, else end − start; running: elapsed until `now`. */
	durationMs: number | null;
	toolCount: number;
	tokens: number | null;
	lastMessage: string | null;
	session: string | null;
	/** The `tool_use_id` of the Agent call that spawned it. */
	toolUseId: string | null;
	/** Ids of the tool calls it ran, oldest first (the most recent 2,000 at most). */
	toolCallIds: string[];
	background: boolean;
	/** Who spawned it: `main` or a parent agent id. */
	parent: string;
}
