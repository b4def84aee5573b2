/**
 * Which transcripts a hook event from this machine names (transcript-follower.ts follows them):
 * its session's `transcript_path`, read from its start on a new session (SessionStart `startup` or
 * `clear`); the file of the subagent it is from, next to it, from its start on SubagentStart; and
 * on SubagentStop the `agent_transcript_path` it gives when that is one of the session's
 * subagents, read to its end once more. Whether a named file may be read is transcript-paths.ts's.
 */
import type {EventRecord} from '../core/record.js';
import {isSubagentTranscriptOf, subagentTranscriptPath} from './transcript-paths.js';

export interface NamedTranscript {
	path: string;
	agentId: string | null;
	agentType: string | null;
	/** Read from its start when it is first checked. */
	fromZero: boolean;
	/** Read to its end once more, then dropped. */
	ending: boolean;
}

function stringField(payload: Record<string, unknown>, key: string): string | null {
	const v = Object.hasOwn(payload, key) ? payload[key] : undefined;
	return typeof v === 'string' && v !== '' ? v : null;
}

/** The transcripts `record` names, its session's first; none when it names no session transcript. */
export function transcriptsNamed(record: EventRecord): NamedTranscript[] {
	const payload = record.payload;
	const main = stringField(payload, 'transcript_path');
	if (main === null) return [];
	const type = record.type;
	const source = stringField(payload, 'source');
	const named: NamedTranscript[] = [
		{
			path: main,
			agentId: null,
			agentType: null,
			fromZero: type === 'SessionStart' && (source === 'startup' || source === 'clear'),
			ending: false,
		},
	];
	if (record.agentId !== null) {
		const sub = subagentTranscriptPath(main, record.agentId);
		if (sub !== null)
			named.push({
				path: sub,
				agentId: record.agentId,
				agentType: record.agentType,
				fromZero: type === 'SubagentStart',
				ending: false,
			});
	}
	if (type === 'SubagentStop') {
		const given = stringField(payload, 'agent_transcript_path');
		if (given !== null && isSubagentTranscriptOf(given, main))
			named.push({
				path: given,
				agentId: record.agentId,
				agentType: record.agentType,
				fromZero: false,
				ending: true,
			});
	}
	return named;
}
