/**
 * The Usage tab's tables (presentational): the sessions with tokens, $ (and its source), burn
 * rate, API time, requests, errors and top model; an opened session's prompts and subagents; an
 * opened prompt's tool calls with telemetry's duration and decision beside the hook timing.
 */
import React from 'react';
import {Box} from 'ink';
import {Text} from '../../text/Text.js';
import {
	formatDuration,
	homeShort,
	type HookHealth,
	type SessionUsage,
	type ToolUsage,
	type UsageTotals,
} from '../../../core/views/index.js';
import {screenLine} from '../../text/screen-line.js';
import {fit} from '../../text/cells.js';
import {RowTable, type TableColumn, type TitleNote} from '../../list/RowTable.js';
import {sessionMark} from '../../list/rows.js';
import type {UsageItem, UsageRow} from './usage-rows.js';
import {allTokens, cacheTokens, compactCount, costCell, money} from './usage-format.js';

/** What to set up when no usage is known yet: short lines, so that a narrow pane shows the command whole. */
export const USAGE_EMPTY = [
	"No usage yet. Turn on Claude Code's telemetry:",
	'  mpm-tui hooks install --telemetry',
	'(or the variables in docs/usage.md, "Claude Code\'s telemetry").',
	'Transcripts count too, once a hook event names one.',
];

/** The first line instead of USAGE_EMPTY's after `c`: usage came, the view was cleared. */
const USAGE_CLEARED = 'View cleared. New usage appears here; it comes from telemetry:';

const apiText = (ms: number) => (ms > 0 ? formatDuration(ms) : '–');

/** The token and $ columns every usage table shares, for `width`. */
function totalsColumns<R>(width: number, of: (row: R) => UsageTotals): Array<TableColumn<R>> {
	const columns: Array<TableColumn<R>> = [];
	if (width >= 90) {
		columns.push(
			{id: 'in', title: 'in', width: 7, align: 'right', cell: (r) => compactCount(of(r).tokens.input)},
			{id: 'out', title: 'out', width: 7, align: 'right', cell: (r) => compactCount(of(r).tokens.output)},
			{
				id: 'cache',
				title: 'cache',
				width: 7,
				align: 'right',
				cell: (r) => compactCount(cacheTokens(of(r).tokens)),
				dim: true,
			},
		);
	} else {
		columns.push({
			id: 'tokens',
			title: 'tokens',
			width: 7,
			align: 'right',
			cell: (r) => compactCount(allTokens(of(r).tokens)),
		});
	}
	columns.push({
		id: 'cost',
		title: '$',
		width: 10,
		align: 'right',
		cell: (r) => costCell(of(r)),
		color: (r) => (of(r).costSource === null ? undefined : 'green'),
	});
	return columns;
}

export function usageColumns(width: number): Array<TableColumn<UsageRow>> {
	const columns: Array<TableColumn<UsageRow>> = [
		// Eight characters even when narrow: this tab has few rows, each a session to tell apart.
		{id: 'session', title: 'session', width: 9, cell: (r) => sessionMark(r.session, 8), dim: true},
		{id: 'cwd', title: 'cwd', width: 0, cell: (r) => (r.cwd === null ? '' : homeShort(r.cwd))},
		...totalsColumns<UsageRow>(width, (r) => r),
	];
	if (width >= 70)
		columns.push({
			id: 'burn',
			title: '$/h',
			width: 9,
			align: 'right',
			cell: (r) => (r.burnUSDPerHour > 0 ? money(r.burnUSDPerHour) : '·'),
			color: (r) => (r.burnUSDPerHour > 0 ? 'yellow' : undefined),
		});
	if (width >= 80)
		columns.push({
			id: 'api',
			title: 'api',
			width: 8,
			align: 'right',
			cell: (r) => apiText(r.apiMs),
			dim: true,
		});
	if (width >= 70)
		columns.push({id: 'requests', title: 'req', width: 5, align: 'right', cell: (r) => String(r.requests)});
	if (width >= 80)
		columns.push({
			id: 'errors',
			title: 'err',
			width: 4,
			align: 'right',
			cell: (r) => (r.errors === 0 ? '·' : String(r.errors)),
			color: (r) => (r.errors > 0 ? 'red' : undefined),
		});
	if (width >= 110)
		columns.push({
			id: 'model',
			title: 'top model',
			width: 20,
			cell: (r) => r.models[0]?.model ?? '',
			dim: true,
		});
	return columns;
}

export interface UsageTableProps {
	rows: readonly UsageRow[];
	cursor: number;
	width: number;
	height: number;
	note?: TitleNote;
	/** With no rows, say what to set up (not when a search left no rows). */
	setup?: boolean;
	/** Hook health from telemetry, shown under the sessions. */
	hooks?: readonly HookHealth[];
	/** `c` cleared the view: the empty text says so, not that nothing ever came. */
	cleared?: boolean;
}

/** A hook event's runs as telemetry's hook_execution_complete tells them; `warn` when one failed or is slow. */
export function hookHealthLine(h: HookHealth): {text: string; color?: string} {
	const errors =
		h.nonBlockingErrors > 0 ? ` · ${h.nonBlockingErrors} error${h.nonBlockingErrors === 1 ? '' : 's'}` : '';
	const blocked = h.blocking > 0 ? ` · ${h.blocking} blocked` : '';
	const text = `⚙ ${h.event}  ${h.runs} run${h.runs === 1 ? '' : 's'} · mean ${formatDuration(h.meanMs)} · max ${formatDuration(h.maxMs)}${errors}${blocked}`;
	return {text, color: h.nonBlockingErrors > 0 ? 'red' : h.meanMs >= SLOW_HOOK_MS ? 'yellow' : undefined};
}

/** A hook slower than this on average is marked: it adds its time to every event of its kind. */
export const SLOW_HOOK_MS = 1000;

/** Hook health under the sessions, on at most a third of the height (the most errors, then the slowest, first). */
function HookHealthLines({
	hooks,
	width,
	lines,
}: {
	hooks: readonly HookHealth[];
	width: number;
	lines: number;
}) {
	if (lines <= 1) return null;
	return (
		<>
			<Text wrap="truncate-end" dimColor>
				{fit(
					`hooks, from Claude Code's telemetry (${hooks.length} event type${hooks.length === 1 ? '' : 's'})`,
					width,
				)}
			</Text>
			{hooks.slice(0, lines - 1).map((h) => {
				const line = hookHealthLine(h);
				return (
					<Text key={h.event} wrap="truncate-end" color={line.color}>
						{fit(screenLine(line.text), width)}
					</Text>
				);
			})}
		</>
	);
}

export function UsageTable({
	rows,
	cursor,
	width,
	height,
	note,
	setup = true,
	hooks = [],
	cleared = false,
}: UsageTableProps) {
	const hookLines =
		rows.length === 0 || hooks.length === 0 ? 0 : Math.min(hooks.length + 1, Math.floor(height / 3));
	const tableHeight = rows.length === 0 ? Math.min(height, 2) : height - hookLines;
	const table = (
		<RowTable
			rows={rows}
			columns={usageColumns(width)}
			cursor={cursor}
			width={width}
			height={tableHeight}
			rowKey={(r) => r.key}
			empty={cleared ? USAGE_CLEARED : USAGE_EMPTY[0]}
			note={note}
		/>
	);
	if (hookLines > 1) {
		return (
			<Box flexDirection="column" width={width} height={height}>
				{table}
				<HookHealthLines hooks={hooks} width={width} lines={hookLines} />
			</Box>
		);
	}
	if (rows.length > 0 || !setup || height <= 2) return table;
	return (
		<Box flexDirection="column" width={width} height={height}>
			{table}
			{USAGE_EMPTY.slice(1, height - 1).map((line, i) => (
				<Text key={i} wrap="truncate-end" dimColor>
					{fit(line, width)}
				</Text>
			))}
		</Box>
	);
}

const itemTotals = (item: UsageItem): UsageTotals => (item.kind === 'prompt' ? item.prompt : item.agent);

function itemLabel(item: UsageItem): string {
	if (item.kind === 'agent') return `${item.agent.agentType ?? 'subagent'} ${item.agent.agentId}`;
	const p = item.prompt;
	if (p.key === '') return '(before the first prompt)';
	return p.text ?? p.promptId ?? p.key;
}

export function usageItemColumns(width: number): Array<TableColumn<UsageItem>> {
	const columns: Array<TableColumn<UsageItem>> = [
		{
			id: 'kind',
			title: '',
			width: 2,
			cell: (r) => (r.kind === 'prompt' ? '▸' : '◆'),
			color: (r) => (r.kind === 'prompt' ? 'cyan' : 'magenta'),
		},
		{id: 'what', title: 'prompt / subagent', width: 0, cell: itemLabel},
		...totalsColumns<UsageItem>(width, itemTotals),
	];
	if (width >= 80)
		columns.push({
			id: 'api',
			title: 'api',
			width: 8,
			align: 'right',
			cell: (r) => apiText(itemTotals(r).apiMs),
			dim: true,
		});
	if (width >= 70)
		columns.push({
			id: 'requests',
			title: 'req',
			width: 5,
			align: 'right',
			cell: (r) => String(itemTotals(r).requests),
		});
	columns.push({
		id: 'tools',
		title: 'tools',
		width: 6,
		align: 'right',
		cell: (r) => (r.kind === 'prompt' ? String(r.prompt.tools.length) : ''),
	});
	if (width >= 80)
		columns.push({
			id: 'errors',
			title: 'err',
			width: 4,
			align: 'right',
			cell: (r) => (itemTotals(r).errors === 0 ? '·' : String(itemTotals(r).errors)),
			color: (r) => (itemTotals(r).errors > 0 ? 'red' : undefined),
		});
	return columns;
}

function heading(totals: UsageTotals, what: string): string {
	const tokens = `${compactCount(totals.tokens.input)} in · ${compactCount(totals.tokens.output)} out · ${compactCount(cacheTokens(totals.tokens))} cache`;
	return `${what}  ${costCell(totals)}  ${tokens}  ${totals.requests} req  api ${apiText(totals.apiMs)}`;
}

function Head({lines, width}: {lines: string[]; width: number}) {
	return (
		<>
			{lines.map((line, i) => (
				<Text key={i} wrap="truncate-end" bold={i === 0}>
					{fit(screenLine(line), width)}
				</Text>
			))}
		</>
	);
}

export interface UsageSessionDetailProps {
	session: SessionUsage;
	items: readonly UsageItem[];
	cursor: number;
	width: number;
	height: number;
}

/** An opened session: a heading with its totals, then its prompts and its subagents. */
export function UsageSessionDetail({session, items, cursor, width, height}: UsageSessionDetailProps) {
	if (height <= 0 || width <= 0) return null;
	const lines = [heading(session, `session ${(session.session ?? '(none)').slice(0, 8)}`)].slice(
		0,
		Math.max(0, height - 2),
	);
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Head lines={lines} width={width} />
			<RowTable
				rows={items}
				columns={usageItemColumns(width)}
				cursor={cursor}
				width={width}
				height={height - lines.length}
				rowKey={(r) => r.key}
				empty="No prompts or subagents with usage in this session yet."
			/>
		</Box>
	);
}

function decisionText(t: ToolUsage): string {
	if (t.decision === null) return '';
	return t.decisionSource === null ? t.decision : `${t.decision} (${t.decisionSource})`;
}

function resultText(t: ToolUsage): string {
	if (t.success === false) return t.error ? `failed: ${t.error}` : 'failed';
	if (t.success === true) return 'ok';
	return t.hookStatus ?? '';
}

export function toolUsageColumns(width: number): Array<TableColumn<ToolUsage>> {
	const columns: Array<TableColumn<ToolUsage>> = [
		{id: 'tool', title: 'tool', width: width >= 80 ? 16 : 10, cell: (r) => r.tool ?? '', color: () => 'cyan'},
		{
			id: 'hook',
			title: 'hook',
			width: 8,
			align: 'right',
			cell: (r) => (r.hookMs === null ? (r.hookStatus === 'running' ? '…' : '–') : formatDuration(r.hookMs)),
		},
		{
			id: 'otel',
			title: 'otel',
			width: 8,
			align: 'right',
			cell: (r) => (r.durationMs === null ? '–' : formatDuration(r.durationMs)),
		},
		{
			id: 'result',
			title: 'result',
			width: width >= 80 ? 14 : 8,
			cell: resultText,
			color: (r) => (r.success === false || r.hookStatus === 'failed' ? 'red' : undefined),
		},
		{id: 'decision', title: 'decision', width: 0, cell: decisionText, dim: true},
	];
	if (width >= 100)
		columns.push({id: 'id', title: 'tool_use_id', width: 14, cell: (r) => r.toolUseId, dim: true});
	return columns;
}

export interface UsagePromptDetailProps {
	prompt: SessionUsage['prompts'][number];
	cursor: number;
	width: number;
	height: number;
}

/** An opened prompt: its totals and text, then its tool calls (hook timing beside telemetry's). */
export function UsagePromptDetail({prompt, cursor, width, height}: UsagePromptDetailProps) {
	if (height <= 0 || width <= 0) return null;
	const lines = [heading(prompt, 'prompt'), prompt.text === null ? '' : `“${prompt.text}”`]
		.filter(Boolean)
		.slice(0, Math.max(0, height - 2));
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Head lines={lines} width={width} />
			<RowTable
				rows={prompt.tools}
				columns={toolUsageColumns(width)}
				cursor={cursor}
				width={width}
				height={height - lines.length}
				rowKey={(r) => r.toolUseId}
				rowColor={(r) => (r.hookStatus === 'failed' ? 'red' : undefined)}
				empty="No tool calls in this prompt."
			/>
		</Box>
	);
}
