/**
 * Adds, repairs and removes mpm-tui's hook entries in a parsed Claude Code settings object.
 * Pure: plain functions over JSON values; the caller reads and writes the file. Every other hook
 * and setting is kept as it is, in its place.
 *
 * Settings shape: `{"hooks": {"<Event>": [{"matcher"?: "…", "hooks": [{"type":"command","command":"…","timeout":5}]}]}}`;
 * with the http transport our entries are `{"type":"http","url":"…","timeout":2,…}` (http-hook.ts),
 * except on the events that take only command hooks.
 */
import {shellWords} from './forwarder-command.js';
import {COMMAND_ONLY_EVENTS, isMpmTuiHttpUrl, type HttpHookEntry} from './http-hook.js';
import {isPortableCommand} from './portable-command.js';

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

/** A forwarder's file: on PATH (package.json `bin`), or as built (`dist/hook/`, `.js` before 0.1). */
const FORWARDER_FILE = /(?:^|\/)(?:mpm-tui-hook(?:-sh|\.sh)?|dist\/hook\/forward\.c?js)$/;
/** What runs a forwarder file: Node (`process.execPath`) or a POSIX shell. */
const RUNNER = /^(?:node|nodejs|sh|dash|bash|ksh|zsh)[\d.]*(?:\.exe)?$/i;

/**
 * Our entries, wherever mpm-tui was installed (an entry whose files have moved is ours to repair):
 * the portable command, or a forwarder's file run alone or by Node or a shell, with nothing after
 * it — the two forms the installer writes. A user's own command that merely has a similar path
 * (`node ~/slack-webhook/forward.js --channel dev`) is theirs.
 */
export function isMpmTuiCommand(command: unknown): boolean {
	if (typeof command !== 'string') return false;
	if (isPortableCommand(command)) return true;
	const words = shellWords(command).map((word) => word.replace(/\\/g, '/'));
	const file = words.at(-1);
	if (file === undefined || words.length > 2 || !FORWARDER_FILE.test(file)) return false;
	return words.length === 1 || RUNNER.test(words[0].slice(words[0].lastIndexOf('/') + 1));
}

export interface CommandHookEntry {
	type: 'command';
	command: string;
	timeout: number;
}

export type HookEntry = CommandHookEntry | HttpHookEntry;

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

/** Ours: a command entry running our forwarder, or an http entry posting to our events route with our marker. */
function isOurEntry(entry: Json): boolean {
	if (!isObject(entry)) return false;
	if (entry.type === 'http') return isMpmTuiHttpUrl(entry.url);
	return isMpmTuiCommand(entry.command);
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
				next.push(clone(entry) as unknown as Json);
				kept = true;
			}
		}
		if (next.length > 0) out.push({...group, hooks: next});
	}
	const copy = clone(entry) as unknown as Json;
	if (!kept) out.push(spec.matcher ? {matcher: '*', hooks: [copy]} : {hooks: [copy]});
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

/**
 * Points our entries outside our event list (added by hand) at the current forwarder, and our http
 * entries there at the current URL when the transport is http (left as they are otherwise: the
 * event may not take a command hook the user did not choose).
 */
function repairedElsewhere(groups: Json[], command: string, http: HttpHookEntry | undefined): Json[] {
	const repaired = (e: Json): Json => {
		if (!isOurEntry(e)) return e;
		const entry = e as JsonObject;
		if (entry.type !== 'http') return {...entry, command};
		if (!http) return e;
		// The token header comes from the current entry or not at all: a stale one is not kept.
		const kept = Object.fromEntries(
			Object.entries(entry).filter(([key]) => key !== 'headers' && key !== 'allowedEnvVars'),
		);
		return {...kept, ...(clone(http) as unknown as JsonObject), timeout: entry.timeout ?? http.timeout};
	};
	return (groups as JsonObject[]).map((group) =>
		entriesOf(group).some(isOurEntry) ? {...group, hooks: entriesOf(group).map(repaired)} : group,
	);
}

/**
 * Our entry on every event of `events`: the forwarder `command`, or with `http` (the http
 * transport) that entry, except on the events that take only command hooks. Either way our entries
 * of the other transport are replaced, never anyone else's.
 */
export function installHooks(
	settings: unknown,
	command: string,
	timeout = DEFAULT_TIMEOUT_SECONDS,
	events: readonly HookEventSpec[] = HOOK_EVENTS,
	http?: HttpHookEntry,
): MergeResult {
	const existing = hooksOf(settings);
	const result = clone(settings as JsonObject);
	const hooks: JsonObject = existing ? (result.hooks as JsonObject) : {};
	const commandEntry: HookEntry = {type: 'command', command, timeout};
	const changes: EventChange[] = [];
	for (const spec of events) {
		const before = (hooks[spec.event] as Json[] | undefined) ?? [];
		const entry = http && !COMMAND_ONLY_EVENTS.has(spec.event) ? http : commandEntry;
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
		const after = repairedElsewhere(groups as Json[], command, http);
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
	type: 'command' | 'http';
	/** The forwarder's command (a command entry); '' for an http entry. */
	command: string;
	/** The URL an http entry posts to. */
	url?: string;
	/** An http entry's headers and the variables they may use, as the file has them. */
	headers?: unknown;
	allowedEnvVars?: unknown;
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
				const matcher = typeof group.matcher === 'string' ? group.matcher : undefined;
				const timeout = typeof entry.timeout === 'number' ? entry.timeout : undefined;
				found.push(
					entry.type === 'http'
						? {
								event,
								matcher,
								type: 'http',
								command: '',
								url: entry.url as string,
								headers: entry.headers,
								allowedEnvVars: entry.allowedEnvVars,
								timeout,
							}
						: {event, matcher, type: 'command', command: entry.command as string, timeout},
				);
			}
		}
	}
	return found;
}
