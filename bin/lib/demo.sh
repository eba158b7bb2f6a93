# Process and mount bookkeeping for bin/litefs-demo, and how it watches and stops the nodes. Sourced, not run;
# needs WORK (the demo's work directory).
#
# Every process the demo starts has the work directory in its command line (a path argument, or
# -Dlitefs.demo=WORK), and its PID in WORK/<name>.pid. A PID counts as ours only while its command line still
# names WORK, so a PID file left by an earlier run never makes us signal a process that reused the number.

# say TEXT...: a line for the user.
say() {
  printf 'litefs-demo: %s\n' "$*"
}

# warn TEXT...: a line for the user, on stderr.
warn() {
  printf 'litefs-demo: %s\n' "$*" >&2
}

# command_line PID: the process's command line, words separated by spaces (empty for a zombie).
command_line() {
  if [[ -d /proc/$1 ]]; then
    { tr '\0' ' ' <"/proc/$1/cmdline"; } 2>/dev/null
  elif [[ ! -d /proc/self ]]; then
    ps -ww -o command= -p "$1" 2>/dev/null  # no /proc (macOS)
  fi
}

# is_ours PID: the process exists, is not a zombie, and names WORK in its command line.
is_ours() {
  local pid=$1 cmdline
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  cmdline="$(command_line "$pid") "
  [[ "$cmdline" == *"$WORK/"* || "$cmdline" == *"-Dlitefs.demo=$WORK "* ]]
}

# pid_of NAME: the PID recorded in WORK/NAME.pid (empty if none).
pid_of() {
  [[ -f "$WORK/$1.pid" ]] && cat "$WORK/$1.pid" 2>/dev/null
  return 0
}

# alive NAME: the process recorded in WORK/NAME.pid is running and ours.
alive() {
  local pid
  pid=$(pid_of "$1")
  [[ -n "$pid" ]] && is_ours "$pid"
}

# launch NAME LOG CMD...: starts CMD in its own session (so a Ctrl-C in the terminal reaches only this script,
# which then stops everything in order), appending its output to LOG, and records its PID in WORK/NAME.pid.
launch() {
  local name=$1 log=$2
  shift 2
  mkdir -p "$(dirname "$WORK/$name.pid")"
  if command -v setsid >/dev/null 2>&1; then
    # setsid execs CMD in place (the child is not a process group leader), so $! is CMD's own PID.
    setsid "$@" >>"$log" 2>&1 </dev/null &
  else
    "$@" >>"$log" 2>&1 </dev/null &
  fi
  local pid=$! deadline=$((SECONDS + 10))
  # Not a job of this shell any more: no "Killed" notice when it dies by a signal (bin/litefs-demo kill).
  disown "$pid" 2>/dev/null
  echo "$pid" >"$WORK/$name.pid"
  # Until the forked shell has exec'd CMD, the PID's command line is this script's: wait for it to be CMD's.
  while ! is_ours "$pid" && kill -0 "$pid" 2>/dev/null && [[ $SECONDS -lt $deadline ]]; do
    sleep 0.05
  done
}

# children PID: the PIDs of PID's direct children.
children() {
  if [[ -d /proc/self ]]; then
    cat /proc/"$1"/task/*/children 2>/dev/null | tr ' ' '\n' | grep -E '^[0-9]+$' || true
  else
    pgrep -P "$1" 2>/dev/null || true
  fi
}

# descendants PID: children, grandchildren, ... of PID.
descendants() {
  local c
  for c in $(children "$1"); do
    echo "$c"
    descendants "$c"
  done
}

# wait_gone SECONDS PID...: waits until none of the PIDs is ours any more, or SECONDS pass (sooner if FORCE is
# set by a second Ctrl-C). Returns 0 if they are all gone.
wait_gone() {
  local seconds=$1 pid left deadline
  shift
  deadline=$((SECONDS + seconds))
  while :; do
    left=0
    for pid in "$@"; do
      is_ours "$pid" && left=1
    done
    [[ $left -eq 0 ]] && return 0
    [[ $SECONDS -ge $deadline || "${FORCE:-0}" -eq 1 ]] && return 1
    sleep 0.2
  done
}

# stop_pid SECONDS PID...: SIGTERM, then SIGKILL whatever is still running after SECONDS.
stop_pid() {
  local seconds=$1 pid
  shift
  for pid in "$@"; do
    is_ours "$pid" && kill -TERM "$pid" 2>/dev/null
  done
  wait_gone "$seconds" "$@" && return 0
  for pid in "$@"; do
    if is_ours "$pid"; then
      warn "pid $pid did not stop within ${seconds}s; killing it"
      kill -KILL "$pid" 2>/dev/null
    fi
  done
  wait_gone 5 "$@"
}

# stop_named SECONDS NAME: stops the process recorded in WORK/NAME.pid, if it runs.
stop_named() {
  local pid
  pid=$(pid_of "$2")
  [[ -n "$pid" ]] && is_ours "$pid" && stop_pid "$1" "$pid"
  return 0
}

# mount_minor DIR: the FUSE connection number of the mount at DIR (empty if DIR is not a FUSE mount). Reads
# /proc/self/mountinfo, never the mount itself, which may be stale.
mount_minor() {
  local escaped=${1// /\\040}
  [[ -r /proc/self/mountinfo ]] || return 0
  awk -v d="$escaped" '$5 == d { for (i = 6; i <= NF; i++) if ($i == "-") { if ($(i + 1) ~ /^fuse/) { split($3, a, ":"); print a[2] } break } }' \
    /proc/self/mountinfo
}

# mounts_under DIR: every mount point below DIR.
mounts_under() {
  local escaped=${1// /\\040}
  [[ -r /proc/self/mountinfo ]] || return 0
  awk -v d="$escaped/" 'index($5, d) == 1 { gsub(/\\040/, " ", $5); print $5 }' /proc/self/mountinfo
}

# unmount DIR: unmounts the FUSE mount at DIR, whose server must be gone or going. fusermount -u first; if the
# mount is stuck, abort its FUSE connection (which fails every request still waiting on it) and unmount lazily.
unmount() {
  local dir=$1 minor
  minor=$(mount_minor "$dir")
  [[ -z "$minor" ]] && return 0
  fusermount -u "$dir" 2>/dev/null && return 0
  if [[ ! -e /sys/fs/fuse/connections/$minor ]]; then
    mount -t fusectl none /sys/fs/fuse/connections 2>/dev/null
  fi
  if [[ -w /sys/fs/fuse/connections/$minor/abort ]]; then
    echo 1 >"/sys/fs/fuse/connections/$minor/abort" 2>/dev/null
  fi
  fusermount -u "$dir" 2>/dev/null || fusermount -u -z "$dir" 2>/dev/null || umount -l "$dir" 2>/dev/null
  if [[ -n "$(mount_minor "$dir")" ]]; then
    warn "cannot unmount $dir; try: fusermount -u -z '$dir'"
    return 1
  fi
}

# leftovers: prints every process recorded under WORK that still runs, and every mount left under WORK.
leftovers() {
  local f pid
  while IFS= read -r f; do
    pid=$(cat "$f" 2>/dev/null)
    if [[ -n "$pid" ]] && is_ours "$pid"; then
      echo "process $pid (${f#"$WORK"/})"
    fi
  done < <(find "$WORK" -xdev -name '*.pid' 2>/dev/null)
  mounts_under "$WORK" | sed 's/^/mount /'
}

# sweep: stops whatever an earlier run left (it was killed before it could clean up), so the work directory
# can be reused.
sweep() {
  local f pid dir
  while IFS= read -r f; do
    pid=$(cat "$f" 2>/dev/null)
    if [[ -n "$pid" ]] && is_ours "$pid"; then
      warn "stopping pid $pid (${f#"$WORK"/}) left by an earlier run"
      # shellcheck disable=SC2046 # PIDs: digits only
      stop_pid 10 "$pid" $(descendants "$pid")
    fi
  done < <(find "$WORK" -xdev -name '*.pid' 2>/dev/null)
  while IFS= read -r dir; do
    [[ -n "$dir" ]] || continue
    warn "unmounting $dir left by an earlier run"
    unmount "$dir"
  done < <(mounts_under "$WORK")
}

# shell_quote WORD...: the words as one POSIX shell command line (litefs mount joins the words after -- and
# splits them again as a shell would, so paths with spaces must be quoted).
shell_quote() {
  local out="" w
  for w in "$@"; do
    out+="'${w//\'/\'\\\'\'}' "
  done
  printf '%s' "${out% }"
}

# have_libfuse2: libfuse2 (which jnr-fuse loads) is installed.
have_libfuse2() {
  ldconfig -p 2>/dev/null | grep -q 'libfuse\.so\.2 ' || compgen -G '/usr/lib/*/libfuse.so.2' >/dev/null ||
    compgen -G '/lib/*/libfuse.so.2' >/dev/null
}

# port_taken PORT: something accepts connections on 127.0.0.1:PORT.
port_taken() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# http_ok URL: the URL answers 2xx within a second.
http_ok() {
  curl -fsS -o /dev/null --max-time 1 "$1" 2>/dev/null
}

# stale JAR MODULE...: JAR is missing, or older than a main source of the modules it is built from. (Not the
# poms: Maven leaves a jar untouched when a pom change does not change its content.)
stale() {
  local jar=$1 module
  shift
  [[ -z "$jar" || ! -f "$jar" ]] && return 0
  for module in "$@"; do
    [[ -n "$(find "$LITEFS_ROOT/$module/src/main" -type f -newer "$jar" -print -quit 2>/dev/null)" ]] && return 0
  done
  return 1
}

# fail TEXT LOG: startup failed; shows the end of LOG and exits (the EXIT trap stops everything).
fail() {
  warn "$1"
  if [[ -n "${2:-}" && -f "$2" ]]; then
    warn "last lines of $2:"
    tail -n 40 "$2" | sed 's/^/    /' >&2
  fi
  exit 1
}

# await SECONDS WHAT NAME LOG CHECK...: runs CHECK until it succeeds; fails if NAME's process dies or time runs out.
await() {
  local seconds=$1 what=$2 name=$3 log=$4 deadline
  shift 4
  deadline=$((SECONDS + seconds))
  until "$@"; do
    alive "$name" || fail "$what: the process stopped" "$log"
    [[ $SECONDS -lt $deadline ]] || fail "$what: not within ${seconds}s" "$log"
    sleep 0.2
  done
}

# ---- Watching and stopping the nodes (uses MODE, NODES, node_main, node_child and is_primary of bin/litefs-demo).

current_primary() {
  local n
  for n in "${NODES[@]}"; do
    if alive "$(node_main "$n")" && { [[ $MODE == dev ]] || is_primary "$n"; }; then
      echo "node$n"
      return
    fi
  done
  echo none
}

# Reports what changes until a signal arrives: nodes that stop or come back, and the primary moving.
monitor() {
  local n last=node1 now down=" "
  while :; do
    sleep 1 &
    wait $! 2>/dev/null
    for n in "${NODES[@]}"; do
      if ! alive "$(node_main "$n")"; then
        if [[ "$down" != *" node$n "* ]]; then
          down+="node$n "
          say "$(date +%T) node$n has stopped; the other nodes carry on (log: $WORK/node$n/node.log)"
          clean_node "$n"
        fi
      elif [[ "$down" == *" node$n "* ]]; then
        down=${down/ node$n / }
        say "$(date +%T) node$n was started again"
      fi
    done
    for n in edge stub etcd; do
      if [[ -f "$WORK/$n.pid" && "$down" != *" $n "* ]] && ! alive "$n"; then
        down+="$n "
        say "$(date +%T) $n has stopped (log: $WORK/$n.log)"
      fi
    done
    now=$(current_primary)
    if [[ "$now" != "$last" ]]; then
      if [[ $now == none ]]; then
        say "$(date +%T) no primary: writes wait until a candidate takes the lease (within its 2s TTL)"
      else
        say "$(date +%T) $now is now the primary"
      fi
      last=$now
    fi
  done
}

# Clears what a stopped node left: its child (the app, orphaned if the engine was killed) and a stale mount.
clean_node() {
  local n=$1
  [[ $MODE == cluster ]] && stop_named 10 "$(node_child "$n")"
  [[ $MODE == cluster ]] && unmount "$WORK/node$n/mnt"
  return 0
}

# stop_nodes N...: stops these nodes together. SIGTERM to each engine, which forwards it to its app, waits for
# the app, releases the lease and unmounts; whatever still runs after 30s is killed; then stale mounts go.
stop_nodes() {
  local n pid pids=()
  for n in "$@"; do
    pid=$(pid_of "$(node_main "$n")")
    # shellcheck disable=SC2207 # PIDs: digits only
    [[ -n "$pid" ]] && is_ours "$pid" && pids+=("$pid" $(descendants "$pid"))
  done
  [[ ${#pids[@]} -gt 0 ]] && stop_pid 30 "${pids[@]}"
  for n in "$@"; do
    clean_node "$n"
  done
}

cleanup() {
  [[ -n "${STARTED:-}" ]] || return 0
  STARTED=""
  trap 'FORCE=1; warn "stopping without waiting"' INT TERM
  echo
  say "stopping everything (Ctrl-C again to stop without waiting)"
  stop_named 5 edge
  # Replicas first, then the primary: stopping the primary first would hand the lease to a replica that is
  # stopping too.
  local n primary replicas=()
  primary=$(current_primary)
  for n in "${NODES[@]}"; do
    [[ "node$n" == "$primary" ]] || replicas+=("$n")
  done
  [[ ${#replicas[@]} -gt 0 ]] && stop_nodes "${replicas[@]}"
  [[ "$primary" != none ]] && stop_nodes "${primary#node}"
  stop_named 5 stub
  stop_named 10 etcd
  local left
  left=$(leftovers)
  rm -f "$WORK/demo.pid"
  if [[ -n "$left" ]]; then
    warn "could not stop everything:"
    echo "$left" | sed 's/^/    /' >&2
    exit 1
  fi
  say "stopped: nothing is left running or mounted (logs and data stay in $WORK)"
}
