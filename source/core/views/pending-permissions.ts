/**
 * PermissionRequests (which name no `tool_use_id`) whose call the tools view (tools.ts) has not
 * seen yet: kept, the last MAX_PENDING_PERMISSIONS, until a call of the same session, agent, tool
 * and input starts. Pure.
 */
import type {EventRecord} from '../record.js';
import {MAX_RECORD_IDS, inputKeyOf, type Call} from './tool-call-state.js';

interface PendingPermission {
	session: string | null;
	agent: string;
	tool: string;
	key: string;
	recordId: string;
}

const MAX_PENDING_PERMISSIONS = 100;

export class PendingPermissions {
	private list: PendingPermission[] = [];

	/** A request of `session`, `agent`, `tool` with the input `key`, told by `rec`. */
	add(rec: EventRecord, session: string | null, agent: string, tool: string, key: string): void {
		this.list.push({
			session,
			agent,
			tool,
			key,
			recordId: typeof rec.id === 'string' ? rec.id : '',
		});
		if (this.list.length > MAX_PENDING_PERMISSIONS) this.list.shift();
	}

	/**
	 * A call of `tool` just started: when a request is pending for it, the call waited for
	 * permission, and the request's record (before its PreToolUse in time) is its first.
	 */
	claim(call: Call, tool: string): void {
		if (this.list.length > 0) {
			const key = inputKeyOf(call);
			const i = this.list.findIndex(
				(p) => p.session === call.session && p.agent === call.agent && p.tool === tool && p.key === key,
			);
			if (i >= 0) {
				call.waited = true;
				// The PermissionRequest came first: it is this call's record, before its PreToolUse in time.
				const {recordId} = this.list[i];
				if (recordId !== '' && !call.recordIds.includes(recordId)) {
					call.recordIds = [recordId, ...call.recordIds].slice(0, MAX_RECORD_IDS);
				}
				this.list.splice(i, 1);
			}
		}
	}

	clear(): void {
		this.list = [];
	}
}
