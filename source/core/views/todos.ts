/**
 * Todos view: the current todo list per session and agent (a subagent keeps its own list, so it
 * does not overwrite its parent's). Sources: the latest `TodoWrite` `tool_input.todos`
 * ({content, status, activeForm}), claude-mpm `TodoUpdated` payloads ({todos: […]}) and
 * TaskCreated / TaskCompleted (task_id, task_subject, task_description). An older list that
 * arrives late does not replace a newer one. Tasks belong to the session (the main entry).
 */
import type {EventRecord} from '../record.js';
import {agentKeyOf, obj, oneLine, sessionOf, str, toolInputOf, toolNameOf} from './fields.js';

export interface TodoItem {
	content: string;
	/** `pending`, `in_progress`, `completed` (other values are kept as they come). */
	status: string;
	activeForm: string | null;
	id: string | null;
	priority: string | null;
}

export interface TaskItem {
	id: string;
	subject: string;
	description: string | null;
	status: 'pending' | 'completed';
	created: number | null;
	completed: number | null;
}

export interface TodoList {
	session: string | null;
	/** `main` or the subagent's id. */
	agent: string;
	todos: TodoItem[];
	tasks: TaskItem[];
	updatedAt: number;
}

export interface TodosOptions {
	maxLists?: number;
}

interface Entry {
	session: string | null;
	agent: string;
	todos: TodoItem[];
	todosAt: number;
	tasks: Map<string, TaskItem>;
	updatedAt: number;
}

const MAX_TASKS = 500;
const MAX_TODOS = 500;

function todoItems(list: unknown): TodoItem[] | null {
	if (!Array.isArray(list)) return null;
	const out: TodoItem[] = [];
	for (const raw of list.slice(0, MAX_TODOS)) {
		const o = obj(raw);
		const content =
			o !== null ? (str(o.content) ?? str(o.text) ?? str(o.title)) : typeof raw === 'string' ? raw : null;
		if (content === null) continue;
		out.push({
			content: oneLine(content, 300),
			status: str(o?.status) ?? 'pending',
			activeForm: str(o?.activeForm),
			id: str(o?.id) ?? (typeof o?.id === 'number' ? String(o.id) : null),
			priority: str(o?.priority),
		});
	}
	return out;
}

export class TodosView {
	readonly maxLists: number;
	private lists = new Map<string, Entry>();

	constructor(options: TodosOptions = {}) {
		this.maxLists = options.maxLists ?? 1000;
	}

	apply(rec: EventRecord, t: number): void {
		let todos: TodoItem[] | null = null;
		if ((rec.type === 'PreToolUse' || rec.type === 'PostToolUse') && toolNameOf(rec) === 'TodoWrite') {
			todos = todoItems(toolInputOf(rec)?.todos);
		} else if (rec.type === 'TodoUpdated') {
			todos = todoItems(rec.payload.todos);
		} else if (rec.type === 'TaskCreated' || rec.type === 'TaskCompleted') {
			this.onTask(rec, t);
			return;
		}
		if (todos === null) return;
		const entry = this.entry(sessionOf(rec), agentKeyOf(rec), t);
		if (t < entry.todosAt) return;
		entry.todos = todos;
		entry.todosAt = t;
	}

	/** Lists, most recently updated first; only the given session's when one is named. */
	snapshot(session?: string | null): TodoList[] {
		const rows: TodoList[] = [];
		for (const e of this.lists.values()) {
			if (session !== undefined && e.session !== session) continue;
			rows.push({
				session: e.session,
				agent: e.agent,
				todos: [...e.todos],
				tasks: [...e.tasks.values()],
				updatedAt: e.updatedAt,
			});
		}
		return rows.sort((a, b) => b.updatedAt - a.updatedAt);
	}

	get size(): number {
		return this.lists.size;
	}

	reset(): void {
		this.lists.clear();
	}

	private entry(session: string | null, agent: string, t: number): Entry {
		const key = `${session ?? ''}\u0000${agent}`;
		let e = this.lists.get(key);
		if (e === undefined) {
			e = {session, agent, todos: [], todosAt: -Infinity, tasks: new Map(), updatedAt: t};
			while (this.lists.size >= this.maxLists) this.lists.delete(this.lists.keys().next().value!);
		} else {
			this.lists.delete(key);
		}
		this.lists.set(key, e);
		if (t > e.updatedAt) e.updatedAt = t;
		return e;
	}

	private onTask(rec: EventRecord, t: number): void {
		const id =
			str(rec.payload.task_id) ??
			(typeof rec.payload.task_id === 'number' ? String(rec.payload.task_id) : null);
		if (id === null) return;
		// Tasks are the session's shared list: kept on the main agent's entry whoever reports them.
		const e = this.entry(sessionOf(rec), 'main', t);
		const subject = str(rec.payload.task_subject);
		const description = str(rec.payload.task_description);
		let task = e.tasks.get(id);
		if (task === undefined) {
			task = {
				id,
				subject: subject ?? id,
				description: null,
				status: 'pending',
				created: null,
				completed: null,
			};
			e.tasks.set(id, task);
			if (e.tasks.size > MAX_TASKS) e.tasks.delete(e.tasks.keys().next().value!);
		}
		if (subject !== null) task.subject = oneLine(subject, 300);
		if (description !== null) task.description = oneLine(description, 500);
		if (rec.type === 'TaskCreated') task.created ??= t;
		else {
			task.status = 'completed';
			task.completed = t;
		}
	}
}
