/**
 * The first line: connection state and address, then how many sessions wait for you (yellow),
 * today's $ (green, when any is known), sessions, events, events/min, errors (red). Picks the longest form that fits the width;
 * in the shortest, the least needed parts go first (the rate, the $, …), the waiting and the errors last.
 */
import React from 'react';
import {Text} from '../text/Text.js';
import type {LinkInfo, StoreSnapshot} from '../event-store/event-store.js';
import {screenLine} from '../text/screen-line.js';
import {fit, textWidth} from '../text/cells.js';
import {moneyShort} from '../tabs/usage/usage-format.js';
import {groupedCount as number} from '../../core/count-format.js';

interface Props {
	snap: StoreSnapshot;
	width: number;
}

interface Part {
	text: string;
	color?: string;
	bold?: boolean;
	/** How long the part stays when the line is too narrow: the lowest goes first (the link always stays). */
	rank?: number;
}

/** Ranks: what needs you (a session waiting, errors, a server problem) outlasts the totals and the rate. */
const RANK = {rate: 0, cost: 1, zeroErrors: 1, sessions: 2, events: 3, needsYou: 4} as const;

function linkText(link: LinkInfo, compact: boolean): {text: string; color: string} {
	const address = screenLine(link.address).replace(/^https?:\/\//, '');
	const where = compact ? address.replace(/^(127\.0\.0\.1|localhost)(?=:)/, '') : address;
	const note = link.note ? ` ${screenLine(link.note)}` : '';
	switch (link.status) {
		case 'hosting':
			return {text: `● hosting ${where}${note}`, color: 'green'};
		case 'connected':
			return {text: `● connected ${where}${note}`, color: 'green'};
		case 'reconnecting':
			return {text: `◌ reconnecting (attempt ${link.attempt}) ${where}`, color: 'yellow'};
		case 'unauthorized':
			return {text: `✖ unauthorized ${where}: check --token`, color: 'red'};
		case 'closed':
			return {text: `✖ disconnected ${where}`, color: 'red'};
		case 'replay':
			return {text: `▶ replay ${where}${note}`, color: 'cyan'};
		default:
			return {text: `◌ ${link.status} ${where}`, color: 'yellow'};
	}
}

/** The server's first problem as a headline (the text before its first `: `), e.g. `⚠ journal cannot write (ENOSPC)`. */
function problemPart(link: LinkInfo, compact: boolean): Part | null {
	const first = link.problems?.[0];
	if (first === undefined) return null;
	const colon = first.indexOf(': ');
	const headline = screenLine(colon > 0 ? first.slice(0, colon) : first);
	const more = link.problems!.length > 1 ? ` +${link.problems!.length - 1}` : '';
	return {
		text: compact ? `⚠ ${headline}` : `⚠ ${headline}${more}`,
		color: 'red',
		bold: true,
		rank: RANK.needsYou,
	};
}

function counts(snap: StoreSnapshot, compact: boolean): Part[] {
	const plural = (n: number, one: string, many: string) => `${number(n)} ${n === 1 ? one : many}`;
	const waiting = snap.views.waiting;
	const parts: Part[] = [];
	// The single most useful thing in the monitor: a session waiting for you.
	if (waiting > 0)
		parts.push({
			text: compact ? `${number(waiting)} wait` : `${number(waiting)} waiting`,
			color: 'yellow',
			bold: true,
			rank: RANK.needsYou,
		});
	// Today's $ once any is known (the usage join: telemetry, transcripts): what the day cost so far.
	const today = snap.views.todayUSD();
	if (today > 0)
		parts.push({
			text: compact ? moneyShort(today) : `${moneyShort(today)} today`,
			color: 'green',
			rank: RANK.cost,
		});
	if (compact)
		parts.push(
			{text: `${number(snap.sessions)} ses`, rank: RANK.sessions},
			{text: `${number(snap.received)} ev`, rank: RANK.events},
			{text: `${number(snap.perMinute)}/m`, rank: RANK.rate},
		);
	else
		parts.push(
			{text: plural(snap.sessions, 'session', 'sessions'), rank: RANK.sessions},
			{text: plural(snap.received, 'event', 'events'), rank: RANK.events},
			{text: `${number(snap.perMinute)}/min`, rank: RANK.rate},
		);
	const errors = compact ? `${number(snap.errors)} err` : plural(snap.errors, 'error', 'errors');
	parts.push(
		snap.errors > 0
			? {text: errors, color: 'red', rank: RANK.needsYou}
			: {text: errors, rank: RANK.zeroErrors},
	);
	return parts;
}

/** The parts cut to `width` cells in all (the last one that does not fit ends with `…`). */
function cut(parts: Part[], width: number): Part[] {
	const out: Part[] = [];
	let used = 0;
	for (const part of parts) {
		const w = textWidth(part.text);
		if (used + w <= width) {
			out.push(part);
			used += w;
			continue;
		}
		if (width - used > 0) out.push({...part, text: fit(part.text, width - used)});
		used = width;
		break;
	}
	if (used < width) out.push({text: ' '.repeat(width - used)});
	return out;
}

/**
 * Drops the parts of lowest rank (the rightmost first among equals) until the line fits `width`,
 * keeping the others in their order. The link and what needs you are never dropped: what still
 * does not fit is cut by `cut`.
 */
function byRank(parts: Part[], sep: string, width: number): Part[] {
	const kept = [...parts];
	const total = () =>
		kept.reduce((sum, p) => sum + textWidth(p.text), 0) + textWidth(sep) * (kept.length - 1);
	while (total() > width) {
		let drop = -1;
		kept.forEach((part, i) => {
			if (
				part.rank !== undefined &&
				part.rank < RANK.needsYou &&
				(drop < 0 || part.rank <= (kept[drop].rank ?? 0))
			)
				drop = i;
		});
		if (drop < 0) break;
		kept.splice(drop, 1);
	}
	return kept.flatMap((part, i) => (i === 0 ? [part] : [{text: sep}, part]));
}

export function Header({snap, width}: Props) {
	for (const form of [0, 1, 2]) {
		const link = linkText(snap.link, form > 0);
		const sep = form === 2 ? ' ' : ' │ ';
		const parts: Part[] = [{text: link.text, color: link.color, bold: true}];
		const problem = problemPart(snap.link, form > 0);
		if (problem) parts.push(problem);
		parts.push(...counts(snap, form > 0));
		const line = byRank(parts, sep, form === 2 ? width : Number.MAX_SAFE_INTEGER);
		const total = line.reduce((sum, p) => sum + textWidth(p.text), 0);
		if (form === 2 || total <= width) {
			return (
				<Text wrap="truncate-end">
					{cut(line, width).map((part, i) => (
						<Text key={i} color={part.color} bold={part.bold}>
							{part.text}
						</Text>
					))}
				</Text>
			);
		}
	}
	return null;
}
