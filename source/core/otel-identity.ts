/**
 * Telemetry attributes that name a person or an account. Claude Code puts them on every log
 * record and data point (`user.email`, `user.account_uuid`, `user.id`, `organization.id`); mpm-tui
 * drops them at ingest, before anything is journaled, broadcast or kept in memory, unless the user
 * opts in (`--otel-keep-identity`, `MPM_TUI_OTEL_KEEP_IDENTITY=1`). Pure.
 */

/** The attribute keys dropped at ingest (OpenTelemetry's `user.*` / `enduser.*` conventions and Claude Code's own). */
export const IDENTITY_ATTRIBUTES: ReadonlySet<string> = new Set([
	'user.email',
	'user.id',
	'user.account_uuid',
	'user.account_id',
	'user.name',
	'user.full_name',
	'user.hash',
	'user.roles',
	'organization.id',
	'organization.uuid',
	'organization.name',
	'enduser.id',
	'enduser.pseudo.id',
	'enduser.role',
	'enduser.scope',
]);

/** True for an attribute key that is dropped at ingest unless identity is kept. */
export function isIdentityAttribute(key: string): boolean {
	return IDENTITY_ATTRIBUTES.has(key);
}
