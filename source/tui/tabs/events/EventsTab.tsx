/**
 * The Events tab: the list, the detail view of one event, or the empty state.
 */
import React from 'react';
import {DetailView} from '../../detail/DetailView.js';
import type {TabViewProps} from '../tab.js';
import {EmptyState} from './EmptyState.js';
import {EventList} from './EventList.js';

export function EventsTab({state, width, height, dispatch}: TabViewProps) {
	if (state.mode === 'detail' && state.detail.record)
		return <DetailView state={state} width={width} dispatch={dispatch} />;
	if (state.shown.items.length === 0 && !state.paused)
		return <EmptyState state={state} width={width} height={height} />;
	return <EventList state={state} width={width} />;
}
