/**
 * The tabs, in the order of the tab bar and the number keys. A new tab is a folder under tabs/
 * exporting its `TabDefinition`, and one line here.
 */
import {agentsTab} from './agents/agents-tab.js';
import {eventsTab} from './events/events-tab.js';
import {filesTab} from './files/files-tab.js';
import {sessionsTab} from './sessions/sessions-tab.js';
import {toolsTab} from './tools/tools-tab.js';
import {usageTab} from './usage/usage-tab.js';

export const tabs = [eventsTab, toolsTab, agentsTab, filesTab, sessionsTab, usageTab] as const;

export type TabId = (typeof tabs)[number]['id'];

export type {TabDefinition, TabViewProps} from './tab.js';

export function tabById(id: TabId): (typeof tabs)[number] {
	return tabs.find((tab) => tab.id === id) ?? tabs[0];
}

export function tabIndex(id: TabId): number {
	return Math.max(
		0,
		tabs.findIndex((tab) => tab.id === id),
	);
}
