/**
 * The key table grouped as the `?` help and docs/keys.md list it: where each key applies, then
 * its keys and what it does.
 */
import {tabs} from '../tabs/registry.js';
import type {Binding, Place} from './bindings.js';
import {keyTable} from './key-table.js';
import {keyLabel} from './match-key.js';

export interface KeyRow {
	/** Each key with its opposite, as written: `['j / k', '↓ / ↑']`. */
	keys: readonly string[];
	description: string;
	more?: string;
	/** When it applies, if not always there (`an agent open`). */
	when?: string;
}

export interface KeySection {
	title: string;
	rows: readonly KeyRow[];
}

/** `1`, `2`, … `5` as one range `1–5`. */
function collapseDigits(labels: readonly string[]): readonly string[] {
	const digits = labels.every((label, i) => label === String(Number(labels[0]) + i) && /^\d$/.test(label));
	return digits && labels.length > 2 ? [`${labels[0]}–${labels.at(-1)}`] : labels;
}

export function keysOf(binding: Binding): readonly string[] {
	const back = binding.pair?.keys ?? [];
	const labels: string[] = [];
	for (let i = 0; i < Math.max(binding.keys.length, back.length); i++) {
		const there = binding.keys[i];
		const opposite = back[i];
		labels.push(
			there !== undefined && opposite !== undefined
				? `${keyLabel(there)} / ${keyLabel(opposite)}`
				: keyLabel(there ?? opposite),
		);
	}
	return collapseDigits(labels);
}

const row = (binding: Binding): KeyRow => ({
	keys: keysOf(binding),
	description: binding.description,
	more: binding.more,
	when: binding.when?.text,
});

const section = (title: string, test: (binding: Binding) => boolean): KeySection => ({
	title,
	rows: keyTable.filter(test).map(row),
});

const shared = (where: readonly Place[]) => (binding: Binding) =>
	binding.tab === undefined && where.includes(binding.where);

export function keySections(): readonly KeySection[] {
	return [
		section('Everywhere', shared(['anywhere', 'screen'])),
		section('Lists (every tab)', shared(['list'])),
		...tabs
			.filter((tab) => (tab.bindings ?? []).length > 0)
			.map((tab) => section(`${tab.title} tab`, (binding) => binding.tab === tab.id)),
		section('Detail view', shared(['detail'])),
		section('Help (?)', shared(['help'])),
		section('Search, filter and export lines', shared(['line'])),
	].filter((s) => s.rows.length > 0);
}
