/**
 * The first line: connection state and address, then how many sessions wait for you (yellow),
 * today's $ (green, when any is known), sessions, events, events/min, errors (red). Picks the longest form that fits the width.
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
}

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
	return {text: compact ? `⚠ ${headline}` : `⚠ ${headline}${more}`, color: 'red', bold: true};
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
		});
	// Today's $ once any is known (the usage join: telemetry, transcripts): what the day cost so far.
	const today = snap.views.todayUSD();
	if (today > 0)
		parts.push({text: compact ? moneyShort(today) : `${moneyShort(today)} today`, color: 'green'});
	if (compact)
		parts.push(
			{text: `${number(snap.sessions)} ses`},
			{text: `${number(snap.received)} ev`},
			{text: `${number(snap.perMinute)}/m`},
		);
	else
		parts.push(
			{text: plural(snap.sessions, 'session', 'sessions')},
			{text: plural(snap.received, 'event', 'events')},
			{text: `${number(snap.perMinute)}/min`},
		);
	const errors = compact ? `${number(snap.errors)} err` : plural(snap.errors, 'error', 'errors');
	parts.push(snap.errors > 0 ? {text: errors, color: 'red'} : {text: errors});
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

export function Header({snap, width}: Props) {
	for (const form of [0, 1, 2]) {
		const link = linkText(snap.link, form > 0);
		const sep = form === 2 ? ' ' : ' │ ';
		const parts: Part[] = [{text: link.text, color: link.color, bold: true}];
		const problem = problemPart(snap.link, form > 0);
		if (problem) parts.push({text: sep}, problem);
		for (const part of counts(snap, form > 0)) parts.push({text: sep}, part);
		const total = parts.reduce((sum, p) => sum + textWidth(p.text), 0);
		if (form === 2 || total <= width) {
			return (
				<Text wrap="truncate-end">
					{cut(parts, width).map((part, i) => (
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
