# tests/lib-qmail.sh: a real qmail (notqmail) for the shell suites, built from
# ../shared/qmail and run through its harness (qmail-harness.sh: read its
# `help`). Source it after tests/lib.sh from a test script run by bash:
#
#   . "$TOP/tests/lib-qmail.sh"
#   qmail_setup || exit 0        # builds or reuses, resets, sets QMH_*; or skips
#   qmail_start                  # qmail-send (qmail-lspawn/-local, fake remote)
#   qmail_queue SENDER RCPT... <msg     # through the real qmail-queue
#   f=$(qmail_wait_maildir "$QMH_MAILDIR" 1 10) && ... "$f"
#   d=$(qmail_wait_remote rcpt@remote.example 10) && cat "$d/args" "$d/message"
#   qmail_stop                   # also done at exit
#
#   qmail_setup
#       Builds notqmail once into $QMAIL_CACHE (default BUILD/qmail: the
#       build/ directory beside $QAUTH_BIN; $QAUTH_QMAIL_CACHE overrides)
#       with its home compiled to $QMAIL_CACHE/home, and reuses that build
#       while the tarball's SHA-256 stays the same (a changed tarball wipes
#       the cache and builds again, ~20 s on 2 cores). Then stops anything
#       left running there and empties queue, Maildirs, .qmail-EXT files,
#       recordings and logs (harness `reset`), so each suite starts from a
#       clean home. Sets QMH_HOME, QMH_BIN, QMH_MAILDIR (the test user
#       qmtest's), QMH_REC_REMOTE, QMH_REC_QQ, QMH_REC_LOCAL, QMH_QQ_RECORDER,
#       QMH_DOT_RECORDER, QMH_SEND_LOG (harness `env`) and QQ_CLIENT (the
#       tests/tools/qq-client driver). Needs root (qmail switches to its own
#       uids; the qmail users and groups are created, idempotently), the
#       tarball and harness in $SHARED/qmail, make, cc, tcpserver (ucspi-tcp)
#       and a cache path every user can traverse. When one is missing it
#       prints "# no real qmail: REASON" and one skipped case for the script,
#       and returns 1 (the script then exits 0: skipped, never failed, as in
#       a user's clone without ../shared); in CI (CI=true, or
#       QAUTH_REQUIRE_QMAIL=1) it reports one failed case instead, since CI
#       must run these suites. A build or reset that fails is a failed case.
#   qmail_start / qmail_stop
#       Start qmail-send in the home (restarting it if it runs) / stop what
#       was started for it. qmail_setup arranges qmail_stop at exit
#       (tests/lib-exit.sh).
#   qmail_control NAME [LINE...]
#       Writes control/NAME with the lines (no lines: an empty file).
#   qmail_dot LOCAL [LINE...]
#       Writes the .qmail file that controls LOCAL (qmtest, qmtest-EXT, an
#       alias name), as harness `dot`; prints its path.
#   qmail_adduser NAME
#       Adds mailbox NAME (and NAME-*) at $QMH_HOME/homes/NAME/Maildir.
#   qmail_queue SENDER RCPT...
#       Queues standard input through the real qmail-queue with that envelope
#       (harness `queue`: message on fd 0, envelope on fd 1, fd 6 open);
#       prints "exit N" (and "fd6 TEXT"); returns qmail-queue's status.
#   qmail_wait_maildir MAILDIR COUNT [SECS]
#       Waits (default 10 s) until MAILDIR/new holds COUNT messages; prints
#       the path of the newest. Returns 1, with the queue on stderr, on time-out.
#   qmail_wait_remote RCPT [SECS]
#       Waits (default 10 s) until the recording remote stand-in (fake-remote,
#       $QMAILREMOTE of qmail-send) has recorded a delivery to RCPT; prints
#       the newest such recording directory: args (HOST, SENDER, RECIPIENT,
#       one a line) and message (what qmail-remote would have sent).
#   qmail_remote_sender DIR / qmail_remote_rcpt DIR
#       The envelope sender / recipient of a recording (line 2 / 3 of args).

: "${TOP:?source tests/lib.sh first}"
. "$TOP/tests/lib-exit.sh"
QMAIL_SHARED=${QMAIL_SHARED:-$SHARED/qmail}
QMAIL_TARBALL=${QMAIL_TARBALL:-$QMAIL_SHARED/notqmail-a7012e4.tar.gz}
QMAIL_HARNESS=${QMAIL_HARNESS:-$QMAIL_SHARED/qmail-harness.sh}
QMAIL_CACHE=${QAUTH_QMAIL_CACHE:-$(cd "$QAUTH_BIN/.." 2>/dev/null && pwd || echo "$TOP/build")/qmail}
QQ_CLIENT=${QQ_CLIENT:-$(cd "$QAUTH_BIN/.." 2>/dev/null && pwd || echo "$TOP/build")/tests/qq-client}
_QMAIL_STARTED=

qmh() { bash "$QMAIL_HARNESS" "$@"; }

# Why the real qmail cannot run here, or nothing when it can.
_qmail_unavailable() {
    [ "$(id -u)" = 0 ] || { echo "not root (qmail switches to its own uids; run make check as root)"; return; }
    [ -f "$QMAIL_TARBALL" ] || { echo "$QMAIL_TARBALL is missing (the notqmail source is in ../shared/qmail)"; return; }
    [ -f "$QMAIL_HARNESS" ] || { echo "$QMAIL_HARNESS is missing"; return; }
    local t
    for t in make cc tcpserver setsid ps useradd sha256sum flock; do
        command -v "$t" >/dev/null || { echo "$t not found (scripts/install-deps installs it)"; return; }
    done
    [ -x "$QQ_CLIENT" ] || { echo "$QQ_CLIENT is not built (make all)"; return; }
    # qmail-send, qmail-local and the qmail users must reach the home.
    local d
    mkdir -p "$QMAIL_CACHE" || { echo "cannot make $QMAIL_CACHE"; return; }
    d=$(realpath "$QMAIL_CACHE")
    while [ "$d" != / ]; do
        [ "$(( $(stat -c '%#a' "$d") & 1 ))" = 1 ] ||
            { echo "$d is not searchable by other users, so qmail's users cannot reach $QMAIL_CACHE (set QAUTH_QMAIL_CACHE)"; return; }
        d=$(dirname "$d")
    done
}

# _qmail_skip REASON: skip the rest of the script, or fail in CI.
_qmail_skip() {
    printf '# no real qmail: %s\n' "$1"
    if [ "${CI:-}" = true ] || [ "${QAUTH_REQUIRE_QMAIL:-}" = 1 ]; then
        printf 'not ok - real qmail available: %s (required: CI=true or QAUTH_REQUIRE_QMAIL=1)\n' "$1"
    else
        skip "real qmail: $(basename "$0")" "no real qmail ($1)"
    fi
    return 1
}

# Builds (or reuses) the cached notqmail; run under the cache lock.
_qmail_build() {
    local sum src log=$QMAIL_CACHE/build.log
    sum=$(sha256sum <"$QMAIL_TARBALL" | cut -d' ' -f1)
    if [ "$(cat "$QMAIL_CACHE/tarball.sha256" 2>/dev/null)" != "$sum" ]; then
        [ -d "$QMAIL_CACHE/home" ] && qmh stop "$QMAIL_CACHE/home" >/dev/null 2>&1
        rm -rf "$QMAIL_CACHE/src" "$QMAIL_CACHE/home" "$QMAIL_CACHE/home.build" "$QMAIL_CACHE/tarball.sha256"
        mkdir -p "$QMAIL_CACHE/src"
        tar -xzf "$QMAIL_TARBALL" -C "$QMAIL_CACHE/src" || return 1
    fi
    src=$(find "$QMAIL_CACHE/src" -maxdepth 2 -name qmail-queue.c -printf '%h\n' | head -n1)
    [ -n "$src" ] || { echo "no qmail source tree in $QMAIL_TARBALL" >&2; return 1; }
    # the harness reuses its build directory while the source is unchanged
    QMH_BUILD_DIR=$QMAIL_CACHE/home.build QMH_MAKE_JOBS=${QMH_MAKE_JOBS:-2} \
        qmh build "$src" "$QMAIL_CACHE/home" >"$log" 2>&1 ||
        { tail -n 20 "$log" >&2; return 1; }
    echo "$sum" >"$QMAIL_CACHE/tarball.sha256"
}

qmail_setup() {
    local why
    why=$(_qmail_unavailable)
    [ -z "$why" ] || { _qmail_skip "$why"; return 1; }
    if ! (flock 9 && _qmail_build) 9>"$QMAIL_CACHE/.lock" 2>"$T/qmail-build.err"; then
        _qmail_skip_or_fail "building notqmail failed: $(tail -n 3 "$T/qmail-build.err" | tr '\n' ' ')"
        return 1
    fi
    qmh reset "$QMAIL_CACHE/home" >/dev/null || { _qmail_skip_or_fail "harness reset failed"; return 1; }
    eval "$(qmh env "$QMAIL_CACHE/home")"
    at_exit qmail_stop
    return 0
}

# Something that should work did not: a failed case, never a skip.
_qmail_skip_or_fail() { printf 'not ok - real qmail set up\n#   %s\n' "$1"; }

qmail_start() {
    qmh start-send "$QMH_HOME" >"$T/qmail-start.out" 2>&1 || { cat "$T/qmail-start.out" >&2; return 1; }
    _QMAIL_STARTED=1
}

qmail_stop() {
    [ -n "$_QMAIL_STARTED" ] || return 0
    _QMAIL_STARTED=
    qmh stop "$QMH_HOME" >/dev/null 2>&1 || true
}

qmail_control() {
    local name=$1; shift
    if [ $# -gt 0 ]; then printf '%s\n' "$@" >"$QMH_HOME/control/$name"; else : >"$QMH_HOME/control/$name"; fi
    chmod 644 "$QMH_HOME/control/$name"
}

qmail_dot() { qmh dot "$QMH_HOME" "$@"; }
qmail_adduser() { qmh adduser "$QMH_HOME" "$1" >/dev/null; }
qmail_queue() { qmh queue "$QMH_HOME" "$@"; }

# _qmail_count DIR GLOB: how many entries match
_qmail_count() { find "$1" -mindepth 1 -maxdepth 1 -name "$2" 2>/dev/null | wc -l; }

qmail_wait_maildir() {
    local md=$1 want=$2 secs=${3:-10} i
    for ((i = 0; i < secs * 20; i++)); do
        if [ "$(_qmail_count "$md/new" '*')" -ge "$want" ]; then
            ls -t "$md/new" | head -n1 | sed "s|^|$md/new/|"
            return 0
        fi
        sleep 0.05
    done
    echo "qmail_wait_maildir: $md/new has $(_qmail_count "$md/new" '*') of $want after ${secs}s" >&2
    "$QMH_BIN/qmail-qread" >&2 2>&1 || true
    tail -n 5 "$QMH_SEND_LOG" >&2
    return 1
}

qmail_wait_remote() {
    local rcpt=$1 secs=${2:-10} i a d
    for ((i = 0; i < secs * 20; i++)); do
        # a recording is complete once args is written (after the message)
        d=
        for a in "$QMH_REC_REMOTE"/*/args; do
            [ -s "$a" ] && [ "$(sed -n 3p "$a")" = "$rcpt" ] && d=${a%/args}
        done
        if [ -n "$d" ]; then echo "$d"; return 0; fi
        sleep 0.05
    done
    echo "qmail_wait_remote: nothing for $rcpt reached the remote stand-in within ${secs}s" >&2
    tail -n 5 "$QMH_SEND_LOG" >&2
    return 1
}

qmail_remote_sender() { sed -n 2p "$1/args"; }
qmail_remote_rcpt() { sed -n 3p "$1/args"; }
