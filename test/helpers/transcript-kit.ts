/** Transcript lines in the shapes Claude Code writes (docs: claude-code-hooks.md, "Transcripts"; ccusage's fixtures), for the transcript tests and bench. */

export interface AssistantLine {
	messageId: string;
	requestId: string;
	output?: number;
	input?: number;
	cacheRead?: number;
	cacheWrite?: number;
	split?: {m5: number; h1: number};
	model?: string;
	session?: string;
	sidechain?: boolean;
	costUSD?: number;
	time?: string;
	/** Text content, to make a line long. */
	text?: string;
}

export function assistantLine(a: AssistantLine): string {
	return JSON.stringify({
		parentUuid: null,
		isSidechain: a.sidechain ?? false,
		userType: 'external',
		cwd: '/repo',
		sessionId: a.session ?? 'sess-tx',
		version: '2.1.200',
		type: 'assistant',
		message: {
			id: a.messageId,
			type: 'message',
			role: 'assistant',
			model: a.model ?? 'claude-sonnet-4-5-20250929',
			content: [{type: 'text', text: a.text ?? 'ok'}],
			stop_reason: null,
			usage: {
				input_tokens: a.input ?? 10,
				output_tokens: a.output ?? 5,
				cache_creation_input_tokens: a.cacheWrite ?? 0,
				cache_read_input_tokens: a.cacheRead ?? 0,
				...(a.split
					? {cache_creation: {ephemeral_5m_input_tokens: a.split.m5, ephemeral_1h_input_tokens: a.split.h1}}
					: {}),
			},
		},
		requestId: a.requestId,
		...(a.costUSD === undefined ? {} : {costUSD: a.costUSD}),
		uuid: `u-${a.messageId}-${Math.random().toString(36).slice(2)}`,
		timestamp: a.time ?? '2026-06-01T10:00:00.000Z',
	});
}

export function userLine(text = 'fix the failing test', session = 'sess-tx'): string {
	return JSON.stringify({
		parentUuid: null,
		isSidechain: false,
		type: 'user',
		sessionId: session,
		message: {role: 'user', content: text},
		uuid: `u-${Math.random().toString(36).slice(2)}`,
		timestamp: '2026-06-01T09:59:59.000Z',
	});
}
