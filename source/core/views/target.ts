/**
 * What a tool call is about, in one line: the Bash command, the file (relative to the session's
 * cwd), the Grep/Glob pattern, the URL, the subagent's description, an MCP tool's arguments.
 */
import {jsonText, oneLine, str, type Json} from './fields.js';
import {relativeTo} from './paths.js';

function pathOf(input: Json): string | null {
	return str(input.file_path) ?? str(input.notebook_path) ?? str(input.path);
}

function compactArgs(input: Json): string {
	const parts: string[] = [];
	for (const [key, value] of Object.entries(input)) {
		if (value === undefined || value === null) continue;
		const text = typeof value === 'string' ? value : jsonText(value);
		parts.push(`${key}=${text}`);
		if (parts.join(' ').length > 200) break;
	}
	return parts.join(' ');
}

export function toolTarget(tool: string, input: Json | null, cwd: string | null): string {
	if (input === null) return '';
	const rel = (p: string) => relativeTo(p, cwd);
	const where = str(input.path);
	let text: string;
	switch (tool) {
		case 'Bash':
		case 'PowerShell':
			text = str(input.command) ?? '';
			break;
		case 'Grep':
		case 'Glob':
			text = (str(input.pattern) ?? '') + (where !== null ? `  in ${rel(where)}` : '');
			break;
		case 'WebFetch':
			text = str(input.url) ?? '';
			break;
		case 'WebSearch':
			text = str(input.query) ?? '';
			break;
		case 'Agent':
		case 'Task': {
			const type = str(input.subagent_type);
			const description = str(input.description) ?? str(input.prompt) ?? '';
			text = type !== null ? `${type}: ${description}` : description;
			break;
		}
		case 'TodoWrite':
			text = Array.isArray(input.todos)
				? `${input.todos.length} todo${input.todos.length === 1 ? '' : 's'}`
				: '';
			break;
		case 'Skill':
			text = str(input.skill) ?? str(input.command) ?? '';
			break;
		case 'SlashCommand':
			text = str(input.command) ?? '';
			break;
		default: {
			const p = pathOf(input);
			if (p !== null && !tool.startsWith('mcp__')) text = rel(p);
			else if (tool.startsWith('mcp__')) text = compactArgs(input);
			else
				text =
					str(input.command) ??
					str(input.pattern) ??
					str(input.url) ??
					str(input.query) ??
					str(input.description) ??
					compactArgs(input);
		}
	}
	return oneLine(text);
}
