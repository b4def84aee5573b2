/**
 * The TUI root: header, tab bar, the active tab (or the help), footer. Never taller than the
 * terminal (one line short of it, so Ink redraws in place instead of clearing the screen).
 */
import React, {useCallback, useEffect, useMemo, useReducer, useRef} from 'react';
import {Box, useInput, type Key} from 'ink';
import type {EventStore} from '../event-store/event-store.js';
import {reducer} from './reducer.js';
import {initialState, type Predicate} from './ui-state.js';
import {tabById, tabs} from '../tabs/registry.js';
import {useTerminalSize, type Size} from './use-terminal-size.js';
import {TICK_MS, useStoreSnapshot, type ChangesIn} from './use-store-snapshot.js';
import {screenChangesIn} from './screen-clock.js';
import {useSearchDebounce} from './use-search-debounce.js';
import {useEffects, type EffectHandlers} from './use-effects.js';
import {Header} from '../chrome/Header.js';
import {TabBar} from '../chrome/TabBar.js';
import {Footer} from '../chrome/Footer.js';
import {HelpOverlay} from '../help/HelpOverlay.js';
import {PaintContext, setPaint, type Paint} from '../text/Text.js';

export interface AppProps extends EffectHandlers {
	store: EventStore;
	/** The filter given with `--filter`, already compiled. */
	filter?: {text: string; test: Predicate | null};
	/** Default export file, asked for each time `e` is pressed (shown, editable). */
	defaultExportPath: () => string;
	/** Fixed size instead of the terminal's (tests). */
	size?: Size;
	snapshotIntervalMs?: number;
	/** How often running tool calls and agents tick on screen (default 1 s). */
	tickMs?: number;
	searchDebounceMs?: number;
	now?: () => number;
	/** What the terminal may be sent (default: colours and styles). */
	paint?: Paint;
}

/** Lines above and below the tab body: header, tab bar, footer. */
const CHROME = 3;

export function App(props: AppProps) {
	const {store, size: fixedSize, snapshotIntervalMs = 100, tickMs, searchDebounceMs, now = Date.now} = props;
	const size = useTerminalSize(fixedSize);
	const height = Math.max(CHROME + 2, size.rows - 1);
	const width = Math.max(20, size.columns);
	const bodyHeight = height - CHROME;
	const [state, dispatch] = useReducer(reducer, undefined, () => {
		const first = store.snapshot(now());
		return {
			...initialState({
				rows: bodyHeight - 1,
				width,
				filter: props.filter,
				demoAvailable: Boolean(props.onDemo),
				exportPath: '',
			}),
			shown: first,
			latest: first,
			seenAppended: first.listAppended,
			notice: first.notice,
		};
	});
	if (state.rows !== bodyHeight - 1 || state.width !== width)
		dispatch({type: 'resize', rows: bodyHeight - 1, width});

	// What is on screen decides when time alone changes it (the ages of the rows shown, the rate).
	const stateRef = useRef(state);
	stateRef.current = state;
	const changesIn = useCallback<ChangesIn>(
		(snap, at) => screenChangesIn(stateRef.current, snap, at, tickMs ?? TICK_MS),
		[tickMs],
	);
	const redraw = useStoreSnapshot(store, dispatch, snapshotIntervalMs, now, changesIn, tickMs);
	// Another tab, the help or a detail closed, paused or resumed: what shows ages changed, so a fresh snapshot (which sets the next tick).
	const mounted = useRef(false);
	useEffect(() => {
		if (mounted.current) redraw();
		mounted.current = true;
	}, [state.tab, state.mode, state.paused, redraw]);
	useSearchDebounce(state.mode, state.search.input, dispatch, searchDebounceMs);
	const handlers = useMemo<EffectHandlers>(
		() => ({onQuit: props.onQuit, onExport: props.onExport, onDemo: props.onDemo, onPause: props.onPause}),
		[props.onQuit, props.onExport, props.onDemo, props.onPause],
	);
	useEffects(state.effects, store, handlers, dispatch);

	const {defaultExportPath} = props;
	const onInput = useCallback(
		(input: string, key: Key) => dispatch({type: 'key', input, key, exportPath: defaultExportPath}),
		[defaultExportPath],
	);
	useInput(onInput);

	const tab = tabById(state.tab);
	const View = tab.View;
	// Before the children render: they draw with the Text this paint calls for.
	setPaint(props.paint ?? 'full');
	return (
		<PaintContext.Provider value={props.paint ?? 'full'}>
			<Box flexDirection="column" width={width} height={height}>
				<Header snap={state.latest} width={width} />
				<TabBar
					tabs={tabs}
					active={state.tab}
					width={width}
					scope={state.scope}
					filter={state.filter.applied}
				/>
				<Box flexDirection="column" height={bodyHeight}>
					{state.mode === 'help' ? (
						<HelpOverlay width={width} height={bodyHeight} tab={state.tab} scroll={state.helpScroll} />
					) : (
						<View state={state} width={width} height={bodyHeight} dispatch={dispatch} />
					)}
				</Box>
				<Footer
					state={state}
					hints={
						state.mode === 'help' ? 'j/k scroll · any other key closes the help · q quit' : tab.hints(state)
					}
					width={width}
				/>
			</Box>
		</PaintContext.Provider>
	);
}
