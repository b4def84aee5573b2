/**
 * Carries out what the reducer asked for (quit, export, clear the view, apply a query, start
 * the demo, pause a replay) and acknowledges it.
 */
import {useEffect} from 'react';
import type {EventRecord} from '../../core/record.js';
import type {EventStore} from '../event-store/event-store.js';
import type {Action, Effect} from './ui-state.js';

export interface EffectHandlers {
	onQuit: () => void;
	/** Writes the events; resolves to the absolute path written. */
	onExport: (path: string, records: EventRecord[]) => Promise<string>;
	onDemo?: () => void;
	onPause?: (paused: boolean) => void;
}

export function useEffects(
	effects: readonly Effect[],
	store: EventStore,
	handlers: EffectHandlers,
	dispatch: (action: Action) => void,
): void {
	useEffect(() => {
		if (effects.length === 0) return;
		for (const effect of effects) {
			switch (effect.kind) {
				case 'quit':
					handlers.onQuit();
					break;
				case 'clearView':
					store.clearView();
					break;
				case 'query':
					store.setQuery(effect.filter, effect.search);
					break;
				case 'demo':
					handlers.onDemo?.();
					break;
				case 'pause':
					store.holdViews(effect.paused);
					handlers.onPause?.(effect.paused);
					break;
				case 'export': {
					const records = store.listed();
					handlers.onExport(effect.path, records).then(
						(written) =>
							dispatch({
								type: 'notice',
								text: `exported ${records.length} event${records.length === 1 ? '' : 's'} to ${written}`,
							}),
						(error: unknown) =>
							dispatch({
								type: 'notice',
								text: `export failed: ${error instanceof Error ? error.message : String(error)}`,
							}),
					);
					break;
				}
			}
		}
		dispatch({type: 'effectsDone', count: effects.length});
	}, [effects, store, handlers, dispatch]);
}
