/**
 * Keeping the local scope's file out of git: `.claude/settings.local.json` holds this machine's
 * paths (and with `--telemetry` its OTLP endpoint), and Claude Code, when it creates that file
 * itself, has git ignore it. When the installer creates it inside a git work tree where nothing
 * ignores it yet, it is added to the repository's `info/exclude` (this clone only; `.gitignore`
 * is committed, so it is left alone). No git, or no repository: nothing is done.
 */
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Runs git in `dir`; null when git is not there or the command fails (not a repository, say). */
function git(
	dir: string,
	args: string[],
	env: Record<string, string | undefined>,
): {code: number; out: string} | null {
	const run = spawnSync('git', args, {cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
	if (run.error || run.status === null) return null;
	return {code: run.status, out: run.stdout.trim()};
}

/** `git check-ignore`: true ignored, false not, null when git cannot say (no git, no repository). */
function ignored(dir: string, file: string, env: Record<string, string | undefined>): boolean | null {
	const check = git(dir, ['check-ignore', '-q', '--', file], env);
	if (check === null || (check.code !== 0 && check.code !== 1)) return null;
	return check.code === 0;
}

/**
 * After the installer created `file` (the local scope's settings): when git does not ignore it,
 * adds it to `info/exclude` and returns the lines that say so (or why it could not); [] when
 * there is no git or it is ignored already.
 */
export function excludeFromGit(file: string, env: Record<string, string | undefined>): string[] {
	const dir = path.dirname(file);
	if (ignored(dir, file, env) !== false) return [];
	const top = git(dir, ['rev-parse', '--show-toplevel'], env);
	const exclude = git(dir, ['rev-parse', '--git-path', 'info/exclude'], env);
	if (!top || top.code !== 0 || !exclude || exclude.code !== 0) return [];
	const excludePath = path.resolve(dir, exclude.out);
	// Anchored to the repository's top, with forward slashes, as git's patterns are.
	const pattern = `/${path.relative(top.out, fs.realpathSync(file)).split(path.sep).join('/')}`;
	try {
		let before = '';
		try {
			before = fs.readFileSync(excludePath, 'utf8');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
		}
		fs.mkdirSync(path.dirname(excludePath), {recursive: true});
		const gap = before === '' || before.endsWith('\n') ? '' : '\n';
		fs.appendFileSync(
			excludePath,
			`${gap}# this machine's Claude Code settings (mpm-tui hooks install --scope local)\n${pattern}\n`,
		);
	} catch (error) {
		return [
			`WARNING:   git does not ignore ${file}, and adding ${pattern} to ${excludePath} failed (${(error as Error).message}): add it to .gitignore or ${excludePath} yourself, or it can be committed with this machine's paths`,
		];
	}
	if (ignored(dir, file, env) === false)
		return [
			`WARNING:   added ${pattern} to ${excludePath}, but git still does not ignore ${file} (a .gitignore rule un-ignores it?): it can be committed with this machine's paths`,
		];
	return [
		`git:       added ${pattern} to ${excludePath}, so git ignores this machine's settings (as Claude Code does when it creates the file)`,
	];
}
