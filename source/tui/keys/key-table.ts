/**
 * The whole key table (the shared bindings, then each tab's own) and the lookup the reducer
 * uses: for the state on screen, the first binding in force with a matching key.
 */
import type {Intent} from '../app/intents.js';
import type {KeyInfo, Mode, UiState} from '../app/ui-state.js';
import {tabs} from '../tabs/registry.js';
import {sharedBindings, type Binding, type Place} from './bindings.js';
import {keyMatches} from './match-key.js';

export const keyTable: readonly Binding[] = [
	...sharedBindings(tabs.map((tab) => tab.title)),
	...tabs.flatMap((tab) => (tab.bindings ?? []).map((binding) => ({...binding, tab: tab.id}))),
];

const modePlace: Record<Mode, Place> = {
	list: 'list',
	detail: 'detail',
	help: 'help',
	search: 'line',
	filter: 'line',
	export: 'line',
};

/** The places in force, first to last: a key is looked up in this order. */
export function placesOf(mode: Mode): readonly Place[] {
	const place = modePlace[mode];
	return place === 'list' || place === 'detail' ? ['anywhere', 'screen', place] : ['anywhere', place];
}

function inForce(binding: Binding, state: UiState): boolean {
	return (
		(binding.tab === undefined || binding.tab === state.tab) &&
		(binding.when === undefined || binding.when.test(state))
	);
}

/** The binding a key press means here and the intents it gives, or null. */
export function bindingFor(
	state: UiState,
	input: string,
	key: KeyInfo,
): {binding: Binding; intents: Intent[]} | null {
	for (const place of placesOf(state.mode)) {
		// A tab's own keys come before the shared ones of the same place.
		for (const own of [true, false]) {
			for (const binding of keyTable) {
				if (binding.where !== place || (binding.tab !== undefined) !== own || !inForce(binding, state))
					continue;
				if (binding.keys.some((spec) => keyMatches(spec, input, key))) {
					return {
						binding,
						intents: typeof binding.intent === 'function' ? binding.intent(input, key) : [binding.intent],
					};
				}
				if (binding.pair?.keys.some((spec) => keyMatches(spec, input, key)))
					return {binding, intents: [binding.pair.intent]};
			}
		}
	}
	return null;
}

export function keyIntents(state: UiState, input: string, key: KeyInfo): Intent[] {
	return bindingFor(state, input, key)?.intents ?? [];
}
