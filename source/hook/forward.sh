#!/bin/sh
# mpm-tui-hook.sh: the POSIX sh + curl forwarder Claude Code runs for every hook event.
#
# Same contract as dist/hook/forward.cjs (docs/ARCHITECTURE.md "Forwarder <-> server contract"):
# read the hook JSON from stdin, stamp it with a unique id and the receive time, POST the exact
# bytes to the server, and append it to the spool file when the server is down, refuses, is slow
# or answers an error. Always exits 0 and prints nothing.
#
# For speed, Claude Code only waits for stdin to be copied to a private file (by cat, with a
# watchdog: stdin is sometimes left open); the POST and the spooling run in a background
# subshell with no stdio attached. With MPM_TUI_HOOK_DEBUG (or CLAUDE_MPM_HOOK_DEBUG) set,
# everything runs in the foreground and explains itself on stderr.

LC_ALL=C
export LC_ALL
umask 077

is_on() {
	case $1 in '' | 0 | false | FALSE | False) return 1 ;; *) return 0 ;; esac
}

debug=
if is_on "${MPM_TUI_HOOK_DEBUG:-}" || is_on "${CLAUDE_MPM_HOOK_DEBUG:-}"; then debug=1; fi

log() {
	[ -n "$debug" ] || [ -n "${MPM_TUI_HOOK_LOG:-}" ] || return 0
	msg="mpm-tui-hook.sh[$$] $*"
	[ -z "$debug" ] || printf '%s\n' "$msg" >&2
	[ -z "${MPM_TUI_HOOK_LOG:-}" ] || printf '%s\n' "$msg" >>"$MPM_TUI_HOOK_LOG"
	return 0
}

file=${MPM_TUI_SPOOL:-${MPM_TUI_STATE_DIR:-${XDG_STATE_HOME:-$HOME/.local/state}/mpm-tui}/spool.ndjson}
case $file in */*) dir=${file%/*} ;; *) dir=. ;; esac
dir=${dir:-/}

# --- Read stdin -----------------------------------------------------------------------------
# Into "$dir/.in-<pid>-<n>" next to the spool (never clobbering an existing file). A watchdog
# looks every 0.3 s and acts only once the copy has stopped growing since its last look (a big
# event still being copied on a busy machine can end in an inner "}" for a moment): then stdin
# still open and what arrived ends with "}" means the whole event is in (Claude Code writes it at
# once); after about 2 s without a new byte it stops the reader whatever arrived.
in=
if { [ -d "$dir" ] || mkdir -p -m 700 "$dir"; } 2>/dev/null; then
	n=0
	while [ -e "$dir/.in-$$-$n" ] && [ "$n" -lt 9 ]; do n=$((n + 1)); done
	in="$dir/.in-$$-$n"
fi
# No stdin at all (fd 0 closed): nothing to forward.
true 2>/dev/null 3<&0 || exit 0
exec 3<&0
reader=
if [ -n "$in" ]; then
	set -C
	cat <&3 2>/dev/null >"$in" &
	reader=$!
	set +C
	(
		stalled=0
		before=-1
		while sleep 0.3 2>/dev/null || sleep 1; do
			size=$(wc -c <"$in" 2>/dev/null)
			set -- $size
			size=${1:-0}
			if [ "$size" = "$before" ]; then stalled=$((stalled + 1)); else stalled=0; fi
			before=$size
			[ "$stalled" -ge 1 ] || continue
			last=$(tail -c 16 "$in" | tr -d ' \t\r\n' | tail -c 1)
			if [ "$last" = '}' ] || [ "$stalled" -ge 7 ]; then
				kill "$reader"
				break
			fi
		done
	) </dev/null >/dev/null 2>&1 &
	watchdog=$!
	wait "$reader" 2>/dev/null
	status=$?
	kill "$watchdog" 2>/dev/null
	case $status in
	0) ;;
	143) log 'stdin left open: stopped reading after the watchdog' ;;
	*)
		# The file could not be created: keep the body in memory instead.
		log "could not write $in (status $status)"
		in=
		;;
	esac
fi
body=
if [ -z "$in" ]; then
	body=$(
		cat <&3 &
		cat_pid=$!
		(sleep 2; kill "$cat_pid") >/dev/null 2>&1 &
		wait "$cat_pid" 2>/dev/null
		printf x
	)
	body=${body%x}
fi
exec 3<&-

positive_int() { # value fallback
	case $1 in '' | *[!0-9]*) echo "$2" ;; *) if [ "$1" -gt 0 ] 2>/dev/null; then echo "$1"; else echo "$2"; fi ;; esac
}

# --- Spool ----------------------------------------------------------------------------------
spool() { # reason
	reason=$1
	[ -d "$dir" ] || mkdir -p -m 700 "$dir" || { log "could not create $dir: event $id lost"; return 0; }
	# The whole line is prepared first, so that writing it to the spool is one quick step.
	# Raw CR/LF can only be whitespace in valid JSON, so folding them keeps the event and the line whole.
	prefix="{\"mpm_spool\":1,\"id\":\"$id\",\"receivedAt\":$ms,\"event\":"
	line=
	linefile=
	if [ -n "$in" ]; then
		linefile="$in.line"
		{ printf '%s' "$prefix"; tr '\r\n' '  ' <"$in"; printf '}\n'; } >"$linefile" || { log "could not write $linefile: event $id lost"; return 0; }
		rm -f "$in"
		in=
		linesize=$(wc -c <"$linefile")
		set -- $linesize
		linesize=$1
	else
		line="$prefix$(printf '%s' "$body" | tr '\r\n' '  ')}
"
		linesize=${#line}
	fi
	max=$(positive_int "${MPM_TUI_SPOOL_MAX_BYTES:-}" 67108864)
	# The server drains by renaming the spool and reading it. If that happened while this line was
	# written (fd 8 is no longer the spool), write it again: the server drops a second copy by id.
	attempt=0
	while [ "$attempt" -lt 5 ]; do
		attempt=$((attempt + 1))
		again=
		{
			# Parallel tool calls spool at the same moment: one writer at a time when flock exists.
			if command -v flock >/dev/null 2>&1; then flock -w 2 9; fi
			size=$(wc -c <"$file" 2>/dev/null)
			set -- $size
			size=${1:-0}
			if [ $((size + linesize)) -gt "$max" ]; then
				dropped=$(cat "$file.dropped" 2>/dev/null)
				case $dropped in '' | *[!0-9]*) dropped=0 ;; esac
				printf '%s\n' $((dropped + 1)) >"$file.dropped"
				log "spool full ($size bytes, limit $max): event $id dropped ($reason)"
			else
				# Open, write (one write call, so lines never interleave, also with the Node forwarder's), check.
				{
					if [ -n "$linefile" ]; then dd if="$linefile" bs="$linesize" count=1 2>/dev/null >&8; else printf '%s' "$line" >&8; fi
					[ "$file" -ef /dev/fd/8 ] || again=1
				} 8>>"$file"
				if [ -z "$again" ]; then
					log "spooled $id to $file ($reason)"
				else
					log "the server took the spool while $id was written: writing it again"
				fi
			fi
		} 9>>"$file.lock"
		[ -n "$again" ] || break
	done
	[ -z "$linefile" ] || rm -f "$linefile"
}

# --- Send -----------------------------------------------------------------------------------
send() {
	ns=$(date +%s%N)
	case $ns in
	'' | *[!0-9]*)
		ms="$(date +%s)000"
		id="s$ms-$$-$(od -An -N4 -tx4 /dev/urandom 2>/dev/null | tr -d ' ')"
		;;
	*)
		ms=${ns%??????}
		id="s$ns-$$"
		;;
	esac
	if [ -n "$in" ]; then
		grep -q '[^[:space:]]' "$in" || { log 'empty stdin: nothing to send'; return 0; }
		data="@$in"
	else
		case $body in *[![:space:]]*) ;; *) log 'empty stdin: nothing to send'; return 0 ;; esac
		data=@-
	fi
	url=${MPM_TUI_URL:-http://127.0.0.1:${MPM_TUI_PORT:-${CLAUDE_MPM_SOCKETIO_PORT:-8765}}}
	url=${url%/}
	case ${url#*://} in */*) ;; *) url="$url/api/events" ;; esac
	timeout_ms=$(positive_int "${MPM_TUI_HOOK_TIMEOUT_MS:-}" 300)
	frac=$((timeout_ms % 1000 + 1000))
	secs="$((timeout_ms / 1000)).${frac#1}"
	token=${MPM_TUI_TOKEN:-${CLAUDE_MPM_SOCKETIO_TOKEN:-}}
	# The token goes to curl through a here-document on fd 3, never on its command line (ps).
	code=$(printf '%s' "$body" | curl -q -s -o /dev/null -w '%{http_code}' --noproxy '*' -m "$secs" \
		-H 'Content-Type: application/json' -H 'Expect:' -H "X-Mpm-Id: $id" -H "X-Mpm-Received: $ms" \
		${token:+-H} ${token:+@/dev/fd/3} --data-binary "$data" "$url" 2>/dev/null 3<<EOF
Authorization: Bearer $token
EOF
)
	rc=$?
	case $code in
	2??) log "sent $id: HTTP $code" ;;
	400 | 415 | 422) log "server rejected $id (HTTP $code); not spooled: it would be rejected again" ;;
	000 | '') spool "curl exit $rc, no answer from $url" ;;
	*) spool "HTTP $code" ;;
	esac
}

finish() {
	send
	[ -z "$in" ] || rm -f "$in"
}

if [ -n "$debug" ]; then
	finish
else
	# Survive the hook's process group being signalled once Claude Code has moved on.
	(trap '' HUP INT TERM; finish) </dev/null >/dev/null 2>&1 &
fi
exit 0
