# qmail-authqueue as qmail-smtpd and qmail-inject run it (QMAILQUEUE): stand-in
# filters (shell scripts) and a recording stand-in for the next qmail-queue
# (AUTHQUEUE_NEXT). The envelope passes unchanged, the message is the chain's
# output, the variables are qmail-qfilter's, and every ending maps to the
# right qmail-queue status and custom-error text (DESIGN §3); every failure
# is temporary and nothing reaches the next qmail-queue then.
. "$(dirname "$0")/../lib.sh"
AQ=$QAUTH_BIN/qmail-authqueue
C=$T/control; F=$T/filters; R=$T/rec
mkdir -p "$C/authqueue" "$F" "$R"
export QMAIL_CONTROL=$C AUTHQUEUE_NEXT=$T/next
unset QMAILQUEUE RELAYCLIENT SMTPAUTHUSER TCPREMOTEIP ERROR_FD

# The next qmail-queue: records fd 0, fd 1, its variables, whether fd 6 is
# open; exits with $R/exit (default 0), after writing $R/fd6 to fd 6 if any.
cat >"$T/next" <<NEXT
#!/bin/bash
cat >"$R/msg"; cat <&1 >"$R/env"; env >"$R/vars"
[ -e /proc/\$\$/fd/6 ] && echo yes >"$R/has6"
[ -f "$R/fd6" ] && cat "$R/fd6" >&6
echo ran >"$R/ran"
exit \$(cat "$R/exit" 2>/dev/null || echo 0)
NEXT
chmod +x "$T/next"
filter() { printf '#!/bin/bash\n%s\n' "$2" >"$F/$1"; chmod +x "$F/$1"; }
filter addhdr 'printf "X-Tag: %s\n" "$1"; cat'
filter vars 'env >"'"$R"'/fvars"; ls -l /proc/$$/fd >"'"$R"'/ffds"; cat'
filter fail 'cat >/dev/null; printf "%s\n" "$2" >&2; echo "second line of $1" >&2; exit $1'
filter crash 'cat >/dev/null; kill -SEGV $$'
filter hang 'sleep 30.123 & sleep 30.123'
filter hang-quiet 'exec 2>&-; exec sleep 30.123'
filter empty 'cat >/dev/null'
filter double 't=$(cat); printf "%s\n%s\n" "$t" "$t"'

printf 'From: a@example.org\nTo: x@example.net\nSubject: aq\n\nbody\r\nbare\rcr \xe4\n' >"$T/msg"
printf 'Fa@mail.example.org\0Tx@example.net\0Ty@example.com\0\0' >"$T/env"

reset_rec() { rm -rf "$R"; mkdir -p "$R"; }
# aq [ARGS...]: the wrapper with $T/msg on fd 0, $T/env on fd 1, stderr in
# $T/err; fd 6 etc. as the caller redirects. Sets $rc.
aq() { reset_rec; "$AQ" "$@" <"$T/msg" 1<"$T/env" 2>"$T/err"; rc=$?; }
ran() { [ -f "$R/ran" ] && echo ran || echo "not run"; }

# --- the message and the envelope ---------------------------------------------------
aq "$F/addhdr" one -- "$F/addhdr" two
expect_eq "two filters: exit 0 (the next qmail-queue's)" 0 "$rc"
cmp -s "$T/env" "$R/env"; expect_eq "envelope bytes passed through unchanged" 0 $?
{ printf 'X-Tag: two\nX-Tag: one\n'; cat "$T/msg"; } | cmp -s - "$R/msg"
expect_eq "final message bytes = the chain's output" 0 $?
expect_eq "the wrapper said nothing on success" "" "$(cat "$T/err")"

aq "$F/vars"
expect_eq "SENDER" "SENDER=a@mail.example.org" "$(grep '^SENDER=' "$R/fvars")"
expect_eq "RECIPIENT is the first recipient" "RECIPIENT=x@example.net" "$(grep '^RECIPIENT=' "$R/fvars")"
expect_eq "QMAILUSER QMAILHOST" "QMAILUSER=a QMAILHOST=mail.example.org" \
    "$(grep '^QMAILUSER=' "$R/fvars") $(grep '^QMAILHOST=' "$R/fvars")"
expect_eq "QMAILRCPTS: every recipient, one a line" "x@example.net y@example.com " \
    "$(sed -n '/^QMAILRCPTS=/,/^[A-Z_]*=/p' "$R/fvars" | sed 's/^QMAILRCPTS=//' | grep '@' | tr '\n' ' ')"
expect_eq "QMAILQUEUE unset for the next qmail-queue" "" "$(grep '^QMAILQUEUE=' "$R/vars")"
QMAILQUEUE=$AQ aq "$F/vars" 6>/dev/null
expect_eq "QMAILQUEUE unset for the filters" "" "$(grep '^QMAILQUEUE=' "$R/fvars")"
expect_eq "fd 6 closed in the filters" "" "$(grep ' 6 -> ' "$R/ffds")"
expect_eq "fd 6 passed on to the next qmail-queue" yes "$(cat "$R/has6" 2>/dev/null)"

printf 'F\0Tpostmaster@example.net\0\0' >"$T/env0"
reset_rec; "$AQ" "$F/vars" <"$T/msg" 1<"$T/env0" 2>/dev/null
expect_eq "null sender: SENDER empty, envelope unchanged" "SENDER= same" \
    "$(grep '^SENDER=' "$R/fvars") $(cmp -s "$T/env0" "$R/env" && echo same)"

reset_rec; perl -e '$SIG{CHLD} = "IGNORE"; exec @ARGV' "$AQ" "$F/fail" 100 "5.7.1 no" <"$T/msg" 1<"$T/env" 2>/dev/null
expect_eq "SIGCHLD ignored by the caller: the filter's status still counts" "31 not run" "$? $(ran)"

# 5000 recipients: QMAILRCPTS (180 KB) would be refused at exec; left out, the rest runs.
{ printf 'Fa@b.example\0'; for i in $(seq 5000); do printf 'Trecipient-number-%05d@example.net\0' "$i"; done; printf '\0'; } >"$T/env5000"
reset_rec; "$AQ" "$F/vars" <"$T/msg" 1<"$T/env5000" 2>"$T/err"
expect_eq "5000 recipients: queued, envelope unchanged, RECIPIENT set, QMAILRCPTS left out" \
    "0 same RECIPIENT=recipient-number-00001@example.net 0" \
    "$? $(cmp -s "$T/env5000" "$R/env" && echo same) $(grep '^RECIPIENT=' "$R/fvars") $(grep -c '^QMAILRCPTS=' "$R/fvars")"
expect_match "... with a warning in the log" 'warning: QMAILRCPTS left out: 5000 recipients' "$(cat "$T/err")"

# From pipes, as qmail-smtpd gives them (the envelope written after the message).
reset_rec
"$AQ" "$F/addhdr" p < <(cat "$T/msg") 1< <(sleep 0.2; cat "$T/env") 2>/dev/null
expect_eq "message and envelope on pipes" "0 same" "$? $(cmp -s "$T/env" "$R/env" && echo same)"

# --- the chain: control files by direction, the command line replaces them -----------
printf '# incoming\n%s in\n\n' "$F/addhdr" >"$C/authqueue/incoming"
printf '%s out   # comment\n' "$F/addhdr" >"$C/authqueue/outgoing"
tag() { grep '^X-Tag:' "$R/msg" | tr '\n' ' '; }
TCPREMOTEIP=192.0.2.1 aq;                       expect_eq "remote client: incoming chain" "X-Tag: in " "$(tag)"
TCPREMOTEIP=192.0.2.1 RELAYCLIENT= aq;          expect_eq "RELAYCLIENT (empty): outgoing chain" "X-Tag: out " "$(tag)"
TCPREMOTEIP=192.0.2.1 SMTPAUTHUSER=u aq;        expect_eq "SMTPAUTHUSER: outgoing chain" "X-Tag: out " "$(tag)"
aq;                                             expect_eq "no TCPREMOTEIP (qmail-inject): outgoing chain" "X-Tag: out " "$(tag)"
TCPREMOTEIP=192.0.2.1 aq "$F/addhdr" cmd;       expect_eq "command line replaces the control files" "X-Tag: cmd " "$(tag)"
printf 'addhdr rel\n' >"$C/authqueue/outgoing"
PATH=$F:$PATH aq;                               expect_eq "a program name without / is found in PATH" "X-Tag: rel " "$(tag)"
rm -f "$C/authqueue/incoming" "$C/authqueue/outgoing"
aq
expect_eq "no chain file: passed on unchanged (fds handed over as they are)" "0 same same" \
    "$rc $(cmp -s "$T/msg" "$R/msg" && echo same) $(cmp -s "$T/env" "$R/env" && echo same)"

# --- exit mapping (DESIGN §3) -----------------------------------------------------------
aq "$F/fail" 99 ""
expect_eq "99: accepted and dropped, exit 0" "0 not run" "$rc $(ran)"
aq "$F/fail" 100 "5.7.1 SPF fail: go away"
expect_eq "100 without fd 6: 31, next not run" "31 not run" "$rc $(ran)"
expect_eq "100: the log has the decision and the rest of the filter's stderr" \
    "qmail-authqueue: refused by fail: 5.7.1 SPF fail: go away|second line of 100|" \
    "$(grep -e '^qmail-authqueue: refused' "$T/err" | tr '\n' '|')$(grep -e '^second line' "$T/err" | tr '\n' '|')"
aq "$F/fail" 100 "5.7.1 SPF fail: go away" 6>"$T/fd6"
expect_eq "100 with fd 6: 82 and D<reason>" "82 D5.7.1 SPF fail: go away" "$rc $(cat "$T/fd6")"
aq "$F/fail" 111 "spfcheck: fatal: DNS timeout" 6>"$T/fd6"
expect_eq "111 with fd 6: 82 and Z<reason>" "82 Z4.3.0 spfcheck: fatal: DNS timeout" "$rc $(cat "$T/fd6")"
aq "$F/fail" 111 "x";                            expect_eq "111 without fd 6: 71" "71 not run" "$rc $(ran)"
aq "$F/fail" 3 "";                               expect_eq "another exit (3): 71" "71 not run" "$rc $(ran)"
aq "$F/fail" 3 "" 6>"$T/fd6";                    expect_eq "another exit (3) with fd 6: Z" "82 Z4.3.0 fail exited 3" "$rc $(cat "$T/fd6")"
aq "$F/crash" 6>"$T/fd6"
expect_eq "a crashing filter: 82 Z, next not run" "82 Z4.3.0 crash was killed by signal 11 not run" "$rc $(cat "$T/fd6") $(ran)"
aq "$F/crash";                                   expect_eq "a crashing filter without fd 6: 71" 71 "$rc"
aq "$F/empty";                                   expect_eq "exit 0 without output: 71, next not run" "71 not run" "$rc $(ran)"
aq /nonexistent/filter 6>"$T/fd6"
expect_eq "a filter that cannot run: Z with the reason" "82 Z4.3.0 cannot run filter: No such file or directory" \
    "$rc $(cat "$T/fd6")"
aq "$F/addhdr" a -- "$F/fail" 100 "5.7.1 no" -- "$F/vars"
expect_eq "the chain stops at the refusal" "31 absent" "$rc $([ -f "$R/fvars" ] && echo present || echo absent)"
long=$(printf '5.7.1 %0400d' 0)
aq "$F/fail" 100 "$long"$'\r'"tail" 6>"$T/fd6"
expect_eq "fd 6 text: at most 255 bytes, no CR or LF" "255 0" "$(wc -c <"$T/fd6") $(tr -cd '\r\n' <"$T/fd6" | wc -c)"

echo 1 >"$C/authqueue/timeout"
start=$(date +%s)
aq "$F/hang" 6>"$T/fd6"
expect_eq "a hanging filter is killed at the timeout: Z" "82 Z4.3.0 hang timed out after 1 s not run" "$rc $(cat "$T/fd6") $(ran)"
expect_eq "... within the timeout, its background child too" "yes 0" \
    "$([ $(($(date +%s) - start)) -le 4 ] && echo yes) $(pgrep -fx 'sleep 30.123' | wc -l)"
aq "$F/hang-quiet"
expect_eq "a filter that closes stderr and hangs: killed at the timeout too" "71 0" "$rc $(pgrep -fx 'sleep 30.123' | wc -l)"
rm -f "$C/authqueue/timeout"

# --- the other custom-error conventions ----------------------------------------------
echo sagredo >"$C/authqueue/customerror"
aq "$F/fail" 100 "5.7.1 sagredo" 4>"$T/fd4" 6>"$T/fd6"
expect_eq "sagredo: exit 88, the text on fd 4, nothing on fd 6" "88 D5.7.1 sagredo 0" "$rc $(cat "$T/fd4") $(wc -c <"$T/fd6")"
ERROR_FD=5 aq "$F/fail" 111 "busy" 5>"$T/fd5"
expect_eq "sagredo with ERROR_FD=5" "88 Z4.3.0 busy" "$rc $(cat "$T/fd5")"
aq "$F/fail" 100 "5.7.1 x" 6>"$T/fd6"
expect_eq "sagredo, fd 4 not open: plain 31" 31 "$rc"
echo indimail >"$C/authqueue/customerror"
aq "$F/fail" 100 "5.7.1 indimail"
expect_eq "indimail: exit 88, only the text on fd 2" "88 D5.7.1 indimail" "$rc $(cat "$T/err")"
ERROR_FD=5 aq "$F/fail" 100 "5.7.1 five" 5>"$T/fd5"
expect_eq "indimail with ERROR_FD=5" "88 D5.7.1 five" "$rc $(cat "$T/fd5")"
ERROR_FD=-1 aq "$F/fail" 100 "5.7.1 off"
expect_eq "indimail with ERROR_FD=-1: plain 31" 31 "$rc"
echo none >"$C/authqueue/customerror"
aq "$F/fail" 100 "5.7.1 x" 6>"$T/fd6"
expect_eq "none: 31 even with fd 6 open, nothing written" "31 0" "$rc $(wc -c <"$T/fd6")"
echo netqmail >"$C/authqueue/customerror"
aq "$F/addhdr" x
expect_eq "an unknown convention is a configuration error: 55, next not run" "55 not run" "$rc $(ran)"
rm -f "$C/authqueue/customerror"
echo soon >"$C/authqueue/timeout"
aq "$F/addhdr" x;  expect_eq "a bad timeout: 55" "55 not run" "$rc $(ran)"
rm -f "$C/authqueue/timeout"
QMAIL_CONTROL=$T/nonexistent aq "$F/addhdr" x
expect_eq "a missing control directory: 55" "55 not run" "$rc $(ran)"

# --- a malformed envelope, fd 1 closed ------------------------------------------------
for bad in 'Tx@y\0\0' 'Fa@b\0Tx@y\0' 'Fa@b\0Tx@y' 'Fa@b' 'garbage' 'Fa@b\0\0' 'Fa@b\0T\0\0' 'Fa@b\0Tx@y\0\0junk'; do
    printf "$bad" >"$T/badenv"
    reset_rec; "$AQ" "$F/addhdr" x <"$T/msg" 1<"$T/badenv" 6>"$T/fd6" 2>"$T/err"; rc=$?
    expect_eq "malformed envelope '$bad': temporary (82 Z), next not run" "82 not run" "$rc $(ran)"
done
expect_match "the reason names the envelope format error" '^Z4\.3\.0 envelope format error: ' "$(cat "$T/fd6")"
reset_rec; "$AQ" "$F/addhdr" x <"$T/msg" 1<"$T/badenv" 2>/dev/null
expect_eq "malformed envelope without fd 6: 71" "71 not run" "$? $(ran)"
reset_rec; "$AQ" "$F/addhdr" x <"$T/msg" 1< <(printf 'Fa@b\0Tx@') 2>/dev/null
expect_eq "fd 1 closed early (the caller stopped mid-envelope): 71" "71 not run" "$? $(ran)"
reset_rec; "$AQ" "$F/addhdr" x <"$T/msg" 1>&- 2>/dev/null
expect_eq "fd 1 closed: 71" "71 not run" "$? $(ran)"
reset_rec; "$AQ" "$F/addhdr" x <&- 1<"$T/env" 2>/dev/null
expect_eq "fd 0 closed: 71" "71 not run" "$? $(ran)"

# --- the next qmail-queue ----------------------------------------------------------------
AUTHQUEUE_NEXT=$T/nonexistent aq "$F/addhdr" x 6>"$T/fd6"
expect_match "the next qmail-queue missing: 82 Z" "^82 Z4\.3\.0 cannot run $T/nonexistent" "$rc $(cat "$T/fd6")"
AUTHQUEUE_NEXT=$T/nonexistent aq;  expect_eq "the next qmail-queue missing, empty chain: 71" 71 "$rc"
reset_rec; echo 53 >"$R/exit"; "$AQ" "$F/addhdr" x <"$T/msg" 1<"$T/env" 2>/dev/null
expect_eq "the next qmail-queue exits 53: passed through" 53 $?
reset_rec; echo 82 >"$R/exit"; echo "Dqq says no" >"$R/fd6"
"$AQ" "$F/addhdr" x <"$T/msg" 1<"$T/env" 6>"$T/fd6" 2>/dev/null
expect_eq "the next qmail-queue's 82 and fd 6 text reach the caller" "82 Dqq says no" "$? $(cat "$T/fd6")"
reset_rec
cat >"$T/next-killed" <<'K'
#!/bin/bash
cat >/dev/null; kill -KILL $$
K
chmod +x "$T/next-killed"
(AUTHQUEUE_NEXT=$T/next-killed "$AQ" "$F/addhdr" x <"$T/msg" 1<"$T/env"; exit $?) 2>/dev/null
expect_eq "the next qmail-queue killed: the caller sees the signal (qmail-smtpd: qq crashed, 451)" 137 $?

# --- spool trouble: disk full, file-size limit -------------------------------------------
head -c 300000 /dev/urandom | base64 >"$T/big"
if [ "$(id -u)" = 0 ] && mkdir -p "$T/tiny" && mount -t tmpfs -o size=64k tmpfs "$T/tiny" 2>/dev/null; then
    at_umount() { umount "$T/tiny" 2>/dev/null; rm -rf "$T"; }
    trap at_umount EXIT
    echo "$T/tiny" >"$C/authqueue/spooldir"
    reset_rec; "$AQ" "$F/addhdr" x <"$T/big" 1<"$T/env" 6>"$T/fd6" 2>"$T/err"; rc=$?
    expect_eq "disk full while spooling the message (64k tmpfs): temporary, next not run" "82 not run" "$rc $(ran)"
    expect_match "... the reason says so" 'No space left on device' "$(cat "$T/fd6")"
    head -c 40000 "$T/big" >"$T/mid"
    reset_rec; "$AQ" "$F/double" <"$T/mid" 1<"$T/env" 2>/dev/null
    expect_eq "disk full for a filter's output: 71, next not run" "71 not run" "$? $(ran)"
    expect_eq "nothing left in the spool directory" 0 "$(ls -A "$T/tiny" | wc -l)"
    rm -f "$C/authqueue/spooldir"
else
    skip "disk full while spooling (tiny tmpfs)" "not root or no tmpfs mount here"
fi
reset_rec; (ulimit -f 100; "$AQ" "$F/addhdr" x <"$T/big" 1<"$T/env" 2>/dev/null); rc=$?
expect_eq "file-size limit (ulimit -f) while spooling: 71, next not run" "71 not run" "$rc $(ran)"

# --- a 50 MB message: bounded memory, every byte through ----------------------------
# Peak RSS of a 1 MB and a 50 MB message through two filters: the same but for
# noise (an ASan build's quarantine, which would hold freed buffers, kept small).
head -c 50000000 /dev/zero | tr '\0' 'x' | fold -w 998 >"$T/huge" 2>/dev/null
head -c 1000000 "$T/huge" >"$T/small"
rss_of() {
    reset_rec
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=1 \
        /usr/bin/time -f %M -o "$T/rss" "$AQ" cat -- cat <"$1" 1<"$T/env" 2>/dev/null
    echo "$? $(tail -n1 "$T/rss")"
}
read -r rc small <<<"$(rss_of "$T/small")"
read -r rc rss <<<"$(rss_of "$T/huge")"
expect_eq "50 MB message through two filters: exit 0" 0 "$rc"
cmp -s "$T/huge" "$R/msg"; expect_eq "50 MB message: bytes unchanged" 0 $?
if [ $((rss - small)) -lt 2048 ]; then ok "50 MB message: peak RSS ${rss} KB, within 2 MB of a 1 MB message's (${small} KB)"
else not_ok "50 MB message: peak RSS ${rss} KB, within 2 MB of a 1 MB message's (${small} KB)"; fi
rm -f "$T/huge" "$R/msg"

expect_status "--help exits 0" 0 "$AQ" --help
