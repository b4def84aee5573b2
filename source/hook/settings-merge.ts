/**
 * Adds, repairs and removes mpm-tui's hook entries in a parsed Claude Code settings object.
 * Pure: plain functions over JSON values; the caller reads and writes the file. Every other hook
 * and setting is kept as it is, in its place.
 *
 * Settings shape: `{"hooks": {"<Event>": [{"matcher"?: "…", "hooks": [{"type":"command","command":"…","timeout":5}]}]}}`.
 */

export interface HookEventSpec {
	event: string;
	/** The event takes a matcher (tool name, source, notification type, …): we write `"*"`. */
	matcher: boolean;
}

/** The hook events mpm-tui listens to. */
export const HOOK_EVENTS: readonly HookEventSpec[] = [
	{event: 'SessionStart', matcher: true},
	{event: 'SessionEnd', matcher: true},
	{event: 'UserPromptSubmit', matcher: false},
	{event: 'PreToolUse', matcher: true},
	{event: 'PostToolUse', matcher: true},
	{event: 'PostToolUseFailure', matcher: true},
	{event: 'PermissionRequest', matcher: true},
	{event: 'Notification', matcher: true},
	{event: 'SubagentStart', matcher: true},
	{event: 'SubagentStop', matcher: true},
	{event: 'Stop', matcher: false},
	{event: 'StopFailure', matcher: true},
	{event: 'PreCompact', matcher: true},
	{event: 'TaskCreated', matcher: false},
	{event: 'TaskCompleted', matcher: false},
];

/**
 * Events an observer must never be on, with the reason: Claude Code waits for these hooks before it
 * goes on with something the user sees. The installer removes our entries from them.
 */
export const NEVER_HOOKED: ReadonlyMap<string, string> = new Map([
	['MessageDisplay', "it holds Claude Code's rendering until the hook returns"],
]);

export const DEFAULT_TIMEOUT_SECONDS = 5;

type Json = null | boolean | number | string | Json[] | {[key: string]: Json};
export type JsonObject = {[key: string]: Json};

export class SettingsShapeError extends Error {}

/** Our entries are recognised by the forwarder's file name in the command, wherever it is installed. */
export function isMpmTuiCommand(command: unknown): boolean {
	return typeof command === 'string' && /mpm-tui-hook|hook[/\\]forward\.c?js\b/.test(command);
}

export interface HookEntry {
	type: 'command';
	command: string;
	timeout: number;
}

export type ChangeKind = 'added' | 'updated' | 'removed' | 'unchanged';

export interface EventChange {
	event: string;
	change: ChangeKind;
}

export interface MergeResult {
	settings: JsonObject;
	changes: EventChange[];
	/** True when the result differs from the input. */
	changed: boolean;
}

function isObject(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function clone<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}

function sameJson(a: unknown, b: unknown): boolean {
	return JSON.stringify(a) === JSON.stringify(b);
}

/** Checks the parts of the shape we touch, with a message that says where it is wrong. */
function hooksOf(settings: unknown): JsonObject | undefined {
	if (!isObject(settings)) throw new SettingsShapeError('the settings are not a JSON object');
	const hooks = settings.hooks;
	if (hooks === undefined) return undefined;
	if (!isObject(hooks)) throw new SettingsShapeError('"hooks" is not an object');
	for (const [event, groups] of Object.entries(hooks)) {
		if (!Array.isArray(groups)) throw new SettingsShapeError(`"hooks.${event}" is not an array`);
		groups.forEach((group, i) => {
			if (!isObject(group)) throw new SettingsShapeError(`"hooks.${event}[${i}]" is not an object`);
			if (group.hooks !== undefined && !Array.isArray(group.hooks))
				throw new SettingsShapeError(`"hooks.${event}[${i}].hooks" is not an array`);
		});
	}
	return hooks;
}

function entriesOf(group: JsonObject): Json[] {
	return Array.isArray(group.hooks) ? group.hooks : [];
}

function isOurEntry(entry: Json): boolean {
	return isObject(entry) && isMpmTuiCommand(entry.command);
}

function matcherFits(group: JsonObject, spec: HookEventSpec): boolean {
	return spec.matcher
		? group.matcher === '*'
		: group.matcher === undefined || group.matcher === '' || group.matcher === '*';
}

/**
 * Our entry for one event, in place: the first of ours in a group whose matcher fits is replaced
 * by `entry` (repairing a moved path), every other of ours is removed, and a group is appended
 * when there was none. Groups emptied by a removal are dropped.
 */
function placeEntry(groups: Json[], spec: HookEventSpec, entry: HookEntry): Json[] {
	let kept = false;
	const out: Json[] = [];
	for (const group of groups as JsonObject[]) {
		const entries = entriesOf(group);
		if (!entries.some(isOurEntry)) {
			out.push(group);
			continue;
		}
		const next: Json[] = [];
		for (const e of entries) {
			if (!isOurEntry(e)) next.push(e);
			else if (!kept && matcherFits(group, spec)) {
				next.push({...entry});
				kept = true;
			}
		}
		if (next.length > 0) out.push({...group, hooks: next});
	}
	if (!kept) out.push(spec.matcher ? {matcher: '*', hooks: [{...entry}]} : {hooks: [{...entry}]});
	return out;
}

/** Removes our entries from a list of groups; groups emptied by that are dropped. */
function withoutOurs(groups: Json[]): Json[] {
	const out: Json[] = [];
	for (const group of groups as JsonObject[]) {
		const entries = entriesOf(group);
		if (!entries.some(isOurEntry)) {
			out.push(group);
			continue;
		}
		const next = entries.filter((e) => !isOurEntry(e));
		if (next.length > 0) out.push({...group, hooks: next});
	}
	return out;
}

/** Points our entries outside our event list (added by hand) at the current forwarder. */
function repairedElsewhere(groups: Json[], entry: HookEntry): Json[] {
	return (groups as JsonObject[]).map((group) =>
		entriesOf(group).some(isOurEntry)
			? {
					...group,
					hooks: entriesOf(group).map((e) =>
						isOurEntry(e) ? {...(e as JsonObject), command: entry.command} : e,
					),
				}
			: group,
	);
}

export function installHooks(
	settings: unknown,
	command: string,
	timeout = DEFAULT_TIMEOUT_SECONDS,
	events: readonly HookEventSpec[] = HOOK_EVENTS,
): MergeResult {
	const existing = hooksOf(settings);
	const result = clone(settings as JsonObject);
	const hooks: JsonObject = existing ? (result.hooks as JsonObject) : {};
	const entry: HookEntry = {type: 'command', command, timeout};
	const changes: EventChange[] = [];
	for (const spec of events) {
		const before = (hooks[spec.event] as Json[] | undefined) ?? [];
		const after = placeEntry(before, spec, entry);
		const had = before.some((g) => entriesOf(g as JsonObject).some(isOurEntry));
		changes.push({
			event: spec.event,
			change: sameJson(before, after) ? 'unchanged' : had ? 'updated' : 'added',
		});
		hooks[spec.event] = after;
	}
	const ours = new Set(events.map((e) => e.event));
	for (const [event, groups] of Object.entries(hooks)) {
		if (ours.has(event)) continue;
		if (NEVER_HOOKED.has(event)) {
			const after = withoutOurs(groups as Json[]);
			if (sameJson(groups, after)) continue;
			changes.push({event, change: 'removed'});
			if (after.length > 0) hooks[event] = after;
			else delete hooks[event];
			continue;
		}
		const after = repairedElsewhere(groups as Json[], entry);
		if (!sameJson(groups, after)) {
			hooks[event] = after;
			changes.push({event, change: 'updated'});
		}
	}
	if (!existing) result.hooks = hooks;
	return {settings: result, changes, changed: !sameJson(settings, result)};
}

export function uninstallHooks(settings: unknown): MergeResult {
	const existing = hooksOf(settings);
	const result = clone(settings as JsonObject);
	const changes: EventChange[] = [];
	if (!existing) return {settings: result, changes, changed: false};
	const hooks = result.hooks as JsonObject;
	for (const [event, groups] of Object.entries(hooks)) {
		const after = withoutOurs(groups as Json[]);
		if (sameJson(groups, after)) continue;
		changes.push({event, change: 'removed'});
		if (after.length > 0) hooks[event] = after;
		else delete hooks[event];
	}
	if (changes.length > 0 && Object.keys(hooks).length === 0) delete result.hooks;
	return {settings: result, changes, changed: changes.length > 0};
}

export interface InstalledHook {
	event: string;
	matcher: string | undefined;
	command: string;
	timeout: number | undefined;
}

/** Our entries in the settings, for `hooks status`. Tolerates odd shapes (status never fails on them). */
export function findOurHooks(settings: unknown): InstalledHook[] {
	if (!isObject(settings) || !isObject(settings.hooks)) return [];
	const found: InstalledHook[] = [];
	for (const [event, groups] of Object.entries(settings.hooks)) {
		if (!Array.isArray(groups)) continue;
		for (const group of groups) {
			if (!isObject(group)) continue;
			for (const e of entriesOf(group)) {
				if (!isOurEntry(e)) continue;
				const entry = e as JsonObject;
				found.push({
					event,
					matcher: typeof group.matcher === 'string' ? group.matcher : undefined,
					command: entry.command as string,
					timeout: typeof entry.timeout === 'number' ? entry.timeout : undefined,
				});
			}
		}
	}
	return found;
}
