/**
 * Where each settings scope lives: user `~/.claude/settings.json` (or in `CLAUDE_CONFIG_DIR`, where
 * Claude Code then keeps its settings), project `.claude/settings.json`,
 * local `.claude/settings.local.json` (project and local under `CLAUDE_PROJECT_DIR`, else the
 * current directory). Pure: the caller passes home, cwd and env.
 */
import path from 'node:path';

export type Scope = 'user' | 'project' | 'local';
export const SCOPES: readonly Scope[] = ['user', 'project', 'local'];

export class ScopeError extends Error {}

export function parseScope(raw: string | undefined): Scope {
	const value = raw ?? 'user';
	if ((SCOPES as readonly string[]).includes(value)) return value as Scope;
	throw new ScopeError(`--scope takes user, project or local, got ${JSON.stringify(value)}`);
}

export interface Places {
	home: string;
	cwd: string;
	env: Record<string, string | undefined>;
}

/** Claude Code's own folder: `CLAUDE_CONFIG_DIR` when set to a path (the first, if it lists several), else `~/.claude`. */
function claudeDir(places: Places): string {
	const configured = (places.env.CLAUDE_CONFIG_DIR ?? '')
		.split(',')
		.map((dir) => dir.trim())
		.find((dir) => path.isAbsolute(dir));
	return configured ?? path.join(places.home, '.claude');
}

export function settingsPath(scope: Scope, places: Places): string {
	if (scope === 'user') return path.join(claudeDir(places), 'settings.json');
	const project = places.env.CLAUDE_PROJECT_DIR
		? path.resolve(places.cwd, places.env.CLAUDE_PROJECT_DIR)
		: places.cwd;
	return path.join(project, '.claude', scope === 'project' ? 'settings.json' : 'settings.local.json');
}
