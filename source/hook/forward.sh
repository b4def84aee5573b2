#!/bin/sh
# mpm-tui-hook.sh: the POSIX sh + curl forwarder Claude Code runs for every hook event.
#
# Same contract as dist/hook/forward.cjs (docs/ARCHITECTURE.md "Forwarder <-> server contract"):
# read the hook JSON from stdin, stamp it with a unique id and the receive time, POST the exact
# bytes to the server, and append it to the spool file when the server is down, refuses, is slow
# or answers an error. Always exits 0 and prints nothing.
#
# For speed, Claude Code only waits for stdin to be read (with a watchdog: stdin is sometimes left
# open); the POST and the spooling run in a background subshell with no stdio attached. Until the
# event is delivered or spooled, a copy of stdin named with the event's id and receive time waits
# next to the spool: if this forwarder is killed (SIGKILL to its process group), the server
# delivers that copy under the same id, so the event arrives once whether or not the POST did.
# With MPM_TUI_HOOK_DEBUG (or CLAUDE_MPM_HOOK_DEBUG) set, everything runs in the foreground and
# explains itself on stderr.

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
base=${file##*/}

# No stdin at all (fd 0 closed): nothing to forward.
true 2>/dev/null 3<&0 || exit 0

# Sets $ms (epoch milliseconds) and $nonce (what makes an id taken in the same ms unique).
now_ms() {
	ns=$(date +%s%N)
	case $ns in
	'' | *[!0-9]*)
		ms="$(date +%s)000"
		nonce=$(od -An -N4 -tx4 /dev/urandom 2>/dev/null | tr -d ' ')
		;;
	*)
		ms=${ns%??????}
		nonce=${ns#"$ms"}
		;;
	esac
}

# --- Id ---------------------------------------------------------------------------------------
# Fixed before stdin is read, so that the copy of stdin can carry it in its name. On Linux it is
# the shell's pid, its start time (clock ticks since boot, from /proc/self/stat) and the boot's
# id: unique, and read without starting a process (Claude Code waits for this part). Elsewhere it
# is made of the time in nanoseconds (date) and the pid.
id=
tick=
if { read -r stat </proc/self/stat && read -r boot </proc/sys/kernel/random/boot_id; } 2>/dev/null; then
	set -- ${stat##*) }
	case ${20:-}${boot%%-*} in '' | *[!0-9a-f]*) ;; *) id="s$$-${20}-${boot%%-*}" tick=${20} ;; esac
fi
ms=
if [ -z "$id" ]; then
	now_ms
	id="s$ms-$$-$nonce"
fi

# --- Earlier events still on their way -------------------------------------------------------
# Claude Code runs a session's hooks one after another, but each forwarder POSTs from the
# background, so an event could overtake the one of the hook before it. The copies of stdin next
# to the spool are this machine's events not yet delivered or spooled: this forwarder names those
# that started before it in X-Mpm-After (the latest 16, and only those started within about a
# second: a copy whose forwarder was killed is soon left out), and the server gives this event its
# seq only after theirs (it waits briefly, never long, for one that has not arrived). Read from the
# directory's names alone, without starting a process, and only with the /proc id: a hook that
# runs after another started at a later clock tick (of 10 ms), or in the same tick with a later
# pid (pids are handed out in increasing order; one that is far lower wrapped around pid_max).
after=
named=0

# Sets $kt and $kp, the start tick and pid in id $1 (an id of this boot); false if it is not one.
key_of() {
	kp=${1#s}
	kp=${kp%%-*}
	kt=${1#s"$kp"-}
	kt=${kt%%-*}
	case $kp in '' | *[!0-9]* | ????????*) return 1 ;; esac
	case $kt in '' | *[!0-9]* | ????????????????*) return 1 ;; esac
	return 0
}

# True when tick $1 and pid $2 started before tick $3 and pid $4.
started_before() {
	[ "$1" -lt "$3" ] && return 0
	[ "$1" -eq "$3" ] || return 1
	d=$(($4 - $2))
	{ [ "$d" -gt 0 ] && [ "$d" -lt 16384 ]; } || [ "$d" -lt -16384 ]
}

# Adds id $1 to $after; when 16 are named already, it takes the place of the earliest of them.
name_earlier() {
	if [ "$named" -lt 16 ]; then
		after=$after${after:+,}$1
		named=$((named + 1))
		return 0
	fi
	key_of "$1"
	nt=$kt np=$kp earliest= et= ep= rest=$after
	while [ -n "$rest" ]; do
		one=${rest%%,*}
		case $rest in *,*) rest=${rest#*,} ;; *) rest= ;; esac
		key_of "$one"
		if [ -z "$earliest" ] || started_before "$kt" "$kp" "$et" "$ep"; then earliest=$one et=$kt ep=$kp; fi
	done
	started_before "$et" "$ep" "$nt" "$np" || return 0
	kept= rest=$after
	while [ -n "$rest" ]; do
		one=${rest%%,*}
		case $rest in *,*) rest=${rest#*,} ;; *) rest= ;; esac
		[ "$one" = "$earliest" ] || kept=$kept${kept:+,}$one
	done
	after=$kept,$1
}

find_earlier() {
	b8=${boot%%-*}
	for f in "$dir/$base".in-*-"$b8"; do
		other=${f##*/}
		other=${other#"$base".in-*-}
		case $other in s*-*-"$b8") ;; *) continue ;; esac
		key_of "$other" || continue
		[ "$kt" -ge $((tick - 100)) ] || continue
		started_before "$kt" "$kp" "$tick" "$$" || continue
		name_earlier "$other"
	done
}

# --- The copy of stdin ----------------------------------------------------------------------
# "$dir/<spool>.in-<pid>-<id>", and only in a directory that belongs to this user (the owner of a
# directory can give itself access to the files made in it, through a default ACL). Created
# exclusively (set -C: O_EXCL, so nothing already at that name, such as a planted link, is
# followed or truncated) and written through fd 4, never by name. set -C still opens a FIFO that
# is already there, so nothing at all may be there first; only a FIFO made in the instant between
# that test and the open would get through, and only where others can write (whether the
# directory is closed to group and others is checked before anything is spooled).
[ -d "$dir" ] || mkdir -p -m 700 "$dir" 2>/dev/null
in=
if [ ! -d "$dir" ]; then
	log "could not create $dir: keeping stdin in memory"
elif [ -O "$dir" ]; then
	[ -z "$tick" ] || find_earlier
	in="$dir/$base.in-$$-$id"
	if [ -e "$in" ] || [ -L "$in" ]; then
		in=
	else
		set -C
		{ command exec 4>"$in"; } 2>/dev/null || in=
		set +C
	fi
	[ -n "$in" ] || log "could not create a copy of stdin in $dir: keeping it in memory"
else
	log "$dir does not belong to this user: keeping stdin in memory"
fi

# --- Read stdin -----------------------------------------------------------------------------
# tee copies it both into this shell (the command substitution) and into the copy, so what was
# read is kept even when the copy cannot be written (disk full): the event is still POSTed. A
# watchdog looks every 0.3 s and acts only once the copy has stopped growing since its last look
# (a big event still being copied on a busy machine can end in an inner "}" for a moment): then
# stdin still open and what arrived ends with "}" means the whole event is in (Claude Code writes
# it at once); after about 2 s without a new byte it stops the reader whatever arrived. Without a
# copy it can only do the latter.
exec 3<&0
{
	out=$(
		if [ -n "$in" ]; then tee /dev/fd/4 <&3 2>/dev/null & else cat <&3 2>/dev/null & fi
		reader=$!
		(
			stalled=0
			before=-1
			while sleep 0.3 2>/dev/null || sleep 1; do
				size=0
				[ -z "$in" ] || size=$( { wc -c </dev/fd/4; } 2>/dev/null)
				set -- $size
				size=${1:-0}
				if [ "$size" = "$before" ]; then stalled=$((stalled + 1)); else stalled=0; fi
				before=$size
				[ "$stalled" -ge 1 ] || continue
				last=
				[ -z "$in" ] || last=$(tail -c 16 /dev/fd/4 | tr -d ' \t\r\n' | tail -c 1)
				if [ "$last" = '}' ] || [ "$stalled" -ge 7 ]; then
					kill "$reader"
					break
				fi
			done
		) </dev/null >/dev/null 2>&1 &
		watchdog=$!
		wait "$reader"
		status=$?
		kill "$watchdog" 2>/dev/null
		printf 'x%s' "$status"
	)
} 2>/dev/null
status=${out##*x}
body=${out%x*}
out=
case $status in
0) ;;
143) log 'stdin left open: stopped reading after the watchdog' ;;
*) log "reading stdin ended with status $status" ;;
esac
# Unless tee saw the end of stdin and wrote all of it (status 0), the copy holds what arrived only
# if it is as long as what was read; otherwise (a full disk) it goes, and memory serves.
if [ -n "$in" ] && [ "$status" != 0 ]; then
	copied=$( { wc -c </dev/fd/4; } 2>/dev/null)
	set -- $copied
	if [ "${1:-}" != "${#body}" ]; then
		log "could not write all of stdin to $in: sending it from memory"
		rm -f "$in"
		in=
	fi
fi
exec 3<&- 4>&-
case $body in
*[![:space:]]*) ;;
*)
	log 'empty stdin: nothing to send'
	[ -z "$in" ] || rm -f "$in"
	exit 0
	;;
esac

# Sets $int to value $1 when it is a positive integer, else to fallback $2 (no subshell).
positive_int() {
	int=$2
	case $1 in '' | *[!0-9]*) ;; *) if [ "$1" -gt 0 ] 2>/dev/null; then int=$1; fi ;; esac
}

# --- Spool ----------------------------------------------------------------------------------
# The spool directory must belong to this user and be closed to group and others: whoever else can
# write to it could plant a link or a FIFO where the spool, its lock or its counter is opened.
private_dir() {
	refusal=
	[ -d "$dir" ] || { refusal="could not create $dir"; return 1; }
	[ -O "$dir" ] || { refusal="$dir does not belong to this user"; return 1; }
	set -- $(ls -ldnL "$dir" 2>/dev/null)
	case ${1:-} in
	d????w* | d???????w*) refusal="$dir is writable by its group or by others ($1)"; return 1 ;;
	d*) return 0 ;;
	*) refusal="$dir could not be inspected"; return 1 ;;
	esac
}

spool() { # reason
	reason=$1
	if ! private_dir; then
		# The copy is dropped before the outcome is logged: the log line is the last thing done.
		[ -z "$in" ] || rm -f "$in"
		in=
		log "$refusal: event $id not spooled ($reason)"
		return 0
	fi
	# Only a regular file (or nothing yet) where the spool, its lock and its counter are opened.
	# sh cannot open without following links (O_NOFOLLOW), so what makes this safe is the check
	# above: in a private directory only this user (or root) can put anything there, so nothing
	# can be swapped in between this check and the opens below.
	for f in "$file" "$file.lock" "$file.dropped"; do
		if [ -L "$f" ] || { [ -e "$f" ] && [ ! -f "$f" ]; }; then
			log "$f is a link or not a regular file: event $id not spooled ($reason)${in:+; its copy $in is left for the server to deliver}"
			in=
			return 0
		fi
	done
	# The whole line is prepared first, in a file created exclusively like the copy, so that writing
	# it to the spool is one write. Raw CR/LF can only be whitespace in valid JSON, so folding them
	# keeps the event and the line whole. The event comes from the copy when there is one (no
	# process to pipe it from memory).
	linefile="$dir/$base.in-$$-$id.line"
	set -C
	{
		printf '%s' "{\"mpm_spool\":1,\"id\":\"$id\",\"receivedAt\":$ms,\"event\":" &&
			if [ -n "$in" ]; then tr '\r\n' '  ' <"$in"; else printf '%s' "$body" | tr '\r\n' '  '; fi &&
			printf '}\n'
	} 2>/dev/null >"$linefile"
	made=$?
	set +C
	if [ "$made" != 0 ]; then
		log "could not write $linefile: event $id not spooled ($reason)${in:+; its copy $in is left for the server to deliver}"
		rm -f "$linefile"
		in=
		return 0
	fi
	linesize=$(wc -c <"$linefile")
	set -- $linesize
	linesize=$1
	positive_int "${MPM_TUI_SPOOL_MAX_BYTES:-}" 67108864
	max=$int
	# The server drains by renaming the spool and reading it. If that happened while this line was
	# written (fd 8 is no longer the spool), write it again: the server drops a second copy by id.
	attempt=0
	written=
	while [ "$attempt" -lt 5 ]; do
		attempt=$((attempt + 1))
		again=
		{
			# Parallel tool calls spool at the same moment: one writer at a time when flock exists.
			if command -v flock >/dev/null 2>&1; then flock -w 2 9; fi
			size=$( { wc -c <"$file"; } 2>/dev/null)
			set -- $size
			size=${1:-0}
			if [ $((size + linesize)) -gt "$max" ]; then
				# One byte per dropped event, appended: the count is the file's size, and appends of
				# one byte never lose one to a parallel writer (the Node forwarder takes no lock).
				printf '\n' >>"$file.dropped"
				log "spool full ($size bytes, limit $max): event $id dropped ($reason)"
				written=dropped
			else
				# Open, write (one write call, so lines never interleave, also with the Node forwarder's), check.
				{
					if dd if="$linefile" bs="$linesize" count=1 2>/dev/null >&8; then written=1; else written=; fi
					[ "$file" -ef /dev/fd/8 ] || again=1
				} 8>>"$file"
				if [ -z "$written" ]; then
					log "could not append to $file: event $id not spooled ($reason)${in:+; its copy $in is left for the server to deliver}"
				elif [ -z "$again" ]; then
					log "spooled $id to $file ($reason)"
				else
					log "the server took the spool while $id was written: writing it again"
				fi
			fi
		} 9>>"$file.lock"
		[ -n "$written" ] && [ -n "$again" ] || break
	done
	# The copy goes once its line is in the spool (after the line file: a forwarder killed in
	# between leaves a copy the server drops as a duplicate). If the line could not be written, the
	# copy stays for the server to deliver.
	if [ -n "$written" ]; then rm -f "$linefile" "$in"; else rm -f "$linefile"; fi
	in=
}

# --- Send -----------------------------------------------------------------------------------
send() {
	# The receive time (the copy's own time, for the server, is its last change: when stdin was read).
	[ -n "$ms" ] || now_ms
	url=${MPM_TUI_URL:-http://127.0.0.1:${MPM_TUI_PORT:-${CLAUDE_MPM_SOCKETIO_PORT:-8765}}}
	url=${url%/}
	case ${url#*://} in */*) ;; *) url="$url/api/events" ;; esac
	positive_int "${MPM_TUI_HOOK_TIMEOUT_MS:-}" 300
	timeout_ms=$int
	frac=$((timeout_ms % 1000 + 1000))
	secs="$((timeout_ms / 1000)).${frac#1}"
	token=${MPM_TUI_TOKEN:-${CLAUDE_MPM_SOCKETIO_TOKEN:-}}
	# The token goes to curl through a here-document on fd 3, never on its command line (ps). The
	# body is read from the copy of stdin when there is one (curl is then the substitution's only
	# process), else from memory through a pipe.
	if [ -n "$in" ]; then
		code=$(curl -q -s -o /dev/null -w '%{http_code}' --noproxy '*' -m "$secs" \
			-H 'Content-Type: application/json' -H 'Expect:' -H "X-Mpm-Id: $id" -H "X-Mpm-Received: $ms" \
			${after:+-H} ${after:+"X-Mpm-After: $after"} ${token:+-H} ${token:+@/dev/fd/3} --data-binary @"$in" "$url" 2>/dev/null 3<<EOF
Authorization: Bearer $token
EOF
)
	else
		code=$(printf '%s' "$body" | curl -q -s -o /dev/null -w '%{http_code}' --noproxy '*' -m "$secs" \
			-H 'Content-Type: application/json' -H 'Expect:' -H "X-Mpm-Id: $id" -H "X-Mpm-Received: $ms" \
			${after:+-H} ${after:+"X-Mpm-After: $after"} ${token:+-H} ${token:+@/dev/fd/3} --data-binary @- "$url" 2>/dev/null 3<<EOF
Authorization: Bearer $token
EOF
)
	fi
	rc=$?
	case $code in
	2??) log "sent $id: HTTP $code" ;;
	400 | 415 | 422) log "server rejected $id (HTTP $code); not spooled: it would be rejected again" ;;
	000 | '') spool "curl exit $rc, no answer from $url" ;;
	*) spool "HTTP $code" ;;
	esac
}

if [ -n "$debug" ]; then
	send
	[ -z "$in" ] || rm -f "$in"
else
	# Survive the hook's process group being signalled once Claude Code has moved on. The copy's
	# removal, the last thing done, takes the subshell's place (exec: no fork for it).
	(
		trap '' HUP INT TERM
		send
		[ -z "$in" ] || exec rm -f "$in"
	) </dev/null >/dev/null 2>&1 &
fi
exit 0
