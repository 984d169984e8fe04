# srsfilter's .qmail modes, `forward ADDRESS...` and `reverse`, against a
# recording stand-in for qmail-queue ($QMAILQUEUE): a script that saves what
# it reads on fd 0 (the message) and fd 1 (the envelope) and then exits with
# a chosen status, writes D/Z text to fd 6 and exits 82, or kills itself.
# Checked: the exact envelope bytes, the message with $DTLINE on top, the
# exit status (0, 99 with --stop, 100, 111) and the first stderr line of
# every failure class, that nothing is queued when reverse refuses, the
# senders that are not rewritten, and a 20 MB message streamed with bounded
# memory from a file and from a pipe.
. "$(dirname "$0")/../lib.sh"
: "${T:?lib.sh did not load}"
export TZ=UTC
unset QMAIL_CONTROL QAUTH_NOW QMAIL_HOME NEWSENDER SENDER RECIPIENT DTLINE DEFAULT EXT EXT2 HOST
C=$T/control; mkdir -p "$C"
echo srs.example >"$C/srs_domain"
printf 'S\n' >"$C/srs_secrets"; chmod 600 "$C/srs_secrets"
echo ours.example >"$C/rcpthosts"
NOW=1796212800  # 2026-12-02 12:00:00 UTC, stamp JV
DAY=86400
SRS=SRS0=mkis=JV=example.com=user@srs.example   # user@example.com, secret S, at NOW
DT=$'Delivered-To: fwd@ours.example\n'

# The stand-in. $QQREC/exitcode: the status (default 0); "kill": SIGKILL
# itself; $QQREC/errmsg: written to fd 6.
export QQREC=$T/qq
mkdir -p "$QQREC"
cat >"$T/qq-rec" <<'EOF'
#!/bin/sh
cat >"$QQREC/message"
cat 0<&1 1>"$QQREC/envelope"
[ -f "$QQREC/errmsg" ] && printf '%s' "$(cat "$QQREC/errmsg")" >&6
code=$(cat "$QQREC/exitcode" 2>/dev/null || echo 0)
[ "$code" = kill ] && kill -KILL $$
exit "$code"
EOF
chmod 755 "$T/qq-rec"
export QMAILQUEUE=$T/qq-rec
# the queueing program runs in the qmail home, as in qmail (qmail.c)
export QMAIL_HOME=$T/home; mkdir -p "$QMAIL_HOME"

printf 'From: Alice <alice@example.org>\nSubject: fwd\n\nbody\r\nbare\rcr \xe4\n' >"$T/msg"

# q NAME STATUS [VAR=VALUE...] -- ARGS...: srsfilter ARGS with the message on
# stdin and those variables, into $T/out, $T/err; checks the status
q() {
    local name=$1 want=$2 vars=(); shift 2
    while [ "$1" != -- ]; do vars+=("$1"); shift; done; shift
    rm -f "$QQREC/message" "$QQREC/envelope"
    env "${vars[@]}" srsfilter --control-dir "$C" --now "$NOW" "$@" <"$T/msg" >"$T/out" 2>"$T/err"
    local got=$?
    if [ "$got" = "$want" ]; then ok "$name: exit $want"
    else not_ok "$name: exit $want" "exit $got" "$(head -c 300 "$T/err")"; fi
}
envelope() { [ -f "$QQREC/envelope" ] && tr '\0' '|' <"$QQREC/envelope" || echo "(not queued)"; }
err() { head -n1 "$T/err"; }
# message_is NAME: the stand-in got $DT and then $T/msg, byte for byte
message_is() {
    if { printf '%s' "$DT"; cat "$T/msg"; } | cmp -s - "$QQREC/message" 2>/dev/null; then ok "$1: Delivered-To on top, the message byte for byte"
    else not_ok "$1: Delivered-To on top, the message byte for byte" "$(head -c 200 "$QQREC/message" 2>&1)"; fi
}
not_queued() { expect_eq "$1: nothing queued" "(not queued)" "$(envelope)"; }

# == forward
q "forward" 0 NEWSENDER=user@example.com SENDER=x@example.net "DTLINE=$DT" -- forward a@remote.example b@remote.example
expect_eq "forward: the envelope, \$NEWSENDER rewritten, both recipients" \
    "F$SRS|Ta@remote.example|Tb@remote.example||" "$(envelope)"
message_is "forward"
expect_eq "forward: nothing on stdout or stderr" "" "$(cat "$T/out" "$T/err")"
q "forward: \$SENDER without \$NEWSENDER" 0 SENDER=user@example.com "DTLINE=$DT" -- forward a@remote.example
expect_eq "forward: \$SENDER without \$NEWSENDER: rewritten" "F$SRS|Ta@remote.example||" "$(envelope)"
q "forward --stop" 99 SENDER=user@example.com "DTLINE=$DT" -- forward --stop a@remote.example
expect_eq "forward --stop: queued" "F$SRS|Ta@remote.example||" "$(envelope)"
q "forward: options after the addresses" 99 SENDER=user@example.com -- forward a@remote.example --stop
q "forward --sender" 0 SENDER=x@example.net -- forward --sender user@example.com a@remote.example
expect_eq "forward --sender: it wins" "F$SRS|Ta@remote.example||" "$(envelope)"
q "forward: no \$DTLINE, \$RECIPIENT" 0 SENDER=user@example.com RECIPIENT=fwd@ours.example -- forward a@remote.example
message_is "forward: no \$DTLINE, \$RECIPIENT"
q "forward: null sender" 0 SENDER= NEWSENDER= "DTLINE=$DT" -- forward a@remote.example
expect_eq "forward: null sender: not rewritten" "F|Ta@remote.example||" "$(envelope)"
q "forward: #@[]" 0 'SENDER=#@[]' -- forward a@remote.example
expect_eq "forward: #@[]: not rewritten" "F#@[]|Ta@remote.example||" "$(envelope)"
q "forward: our own domain" 0 SENDER=me@ours.example -- forward a@remote.example
expect_eq "forward: our own domain: not rewritten" "Fme@ours.example|Ta@remote.example||" "$(envelope)"
q "forward: an SRS0 sender" 0 SENDER=SRS0=HHHH=TT=orig.example=bob@hop.example -- forward a@remote.example
expect_eq "forward: an SRS0 sender: SRS1" "FSRS1=XGSx=hop.example==HHHH=TT=orig.example=bob@srs.example|Ta@remote.example||" "$(envelope)"
q "forward: a quoted local part" 0 'SENDER="john doe"@example.com' -- forward a@remote.example
expect_match "forward: a quoted local part: raw in the envelope, as qmail keeps it" \
    '^FSRS0=[^|"]*=example.com=john doe@srs.example\|Ta@remote.example\|\|$' "$(envelope)"
D2=$T/off; mkdir -p "$D2"
rm -f "$QQREC/envelope"
SENDER=user@example.com srsfilter --control-dir "$D2" forward a@remote.example <"$T/msg" >"$T/out" 2>"$T/err"
expect_eq "forward, SRS off (no srs_domain): exit 0" 0 $?
expect_eq "forward, SRS off: forwarded with the sender unchanged, as &address" "Fuser@example.com|Ta@remote.example||" "$(envelope)"

# == forward: refusals (100) and trouble (111)
q "forward: a sender without @" 100 SENDER=user -- forward a@remote.example
expect_eq "forward: a sender without @: reason" "5.1.7 SRS: no '@' in the address" "$(err)"
not_queued "forward: a sender without @"
qq_status() {  # qq_status NAME STATUS QQ-EXIT [ERRMSG] REASON
    local name=$1 want=$2 code=$3 reason
    if [ $# = 5 ]; then printf '%s' "$4" >"$QQREC/errmsg"; reason=$5; else reason=$4; fi
    echo "$code" >"$QQREC/exitcode"
    q "$name" "$want" SENDER=user@example.com -- forward a@remote.example
    expect_eq "$name: reason" "$reason" "$(err)"
    rm -f "$QQREC/exitcode" "$QQREC/errmsg"
}
qq_status "qmail-queue exits 31" 100 31 "5.3.0 qq-rec exited 31: mail server permanently refuses to send the message to any recipients"
qq_status "qmail-queue exits 11" 100 11 "5.3.0 qq-rec exited 11: address too long"
qq_status "qmail-queue exits 53" 111 53 "4.3.0 qq-rec exited 53: write error; e.g., disk full"
qq_status "qmail-queue exits 71" 111 71 "4.3.0 qq-rec exited 71: mail server temporarily refuses to send the message to any recipients"
qq_status "qmail-queue exits 81" 111 81 "4.3.0 qq-rec exited 81: internal bug; e.g., segmentation fault"
qq_status "qmail-queue exits 82 with D" 100 82 "Dno thanks (#5.7.1)" "5.3.0 qq-rec exited 82: no thanks (#5.7.1)"
qq_status "qmail-queue exits 82 with Z" 111 82 "Zlater (#4.3.0)" "4.3.0 qq-rec exited 82: later (#4.3.0)"
qq_status "qmail-queue exits 82 without text" 111 82 "4.3.0 qq-rec exited 82: custom error without a reason on descriptor 6"
qq_status "qmail-queue killed" 111 kill "4.3.0 qq-rec was killed by signal 9 (Killed)"
q "qmail-queue missing" 111 SENDER=user@example.com QMAILQUEUE=$T/nonexistent -- forward a@remote.example
expect_eq "qmail-queue missing: reason" "4.3.0 cannot run $T/nonexistent: No such file or directory" "$(err)"
q "--home: bin/qmail-queue there" 111 SENDER=user@example.com QMAILQUEUE= -- forward --home "$T/nohome" a@remote.example
expect_match "--home: bin/qmail-queue there: reason" "^4.3.0 cannot run $T/nohome/bin/qmail-queue: " "$(err)"
q "\$QMAIL_HOME" 111 SENDER=user@example.com QMAILQUEUE= QMAIL_HOME=$T/qh -- forward a@remote.example
expect_match "\$QMAIL_HOME: reason" "^4.3.0 cannot run $T/qh/bin/qmail-queue: " "$(err)"

# == forward: usage errors (111, "usage:"), nothing queued
long=$(printf 'l%.0s' $(seq 250))
for bad in "''" "$'a\rb@remote.example'" "$'a\nb@remote.example'" "$long@remote.example" "ok@remote.example ''"; do
    eval "q \"forward: bad address \$(printf %q \"$bad\" | head -c 40)\" 111 SENDER=user@example.com -- forward $bad"
    expect_match "forward: bad address: usage line" '^usage: srsfilter: forward: ' "$(err)"
    not_queued "forward: bad address"
done
q "forward: no address" 111 SENDER=user@example.com -- forward
expect_match "forward: no address: usage line" '^usage: srsfilter: ' "$(err)"
q "forward: no \$SENDER" 111 -- forward a@remote.example
expect_eq "forward: no \$SENDER: usage line" \
    'usage: srsfilter: no envelope sender: $SENDER is not set (run from a .qmail line, or give --sender) (see --help)' "$(err)"
q "forward with --rewrite" 111 SENDER=user@example.com -- --rewrite a@b.example forward a@remote.example
expect_match "forward with --rewrite: usage line" '^usage: srsfilter: ' "$(err)"

# == reverse
q "reverse" 0 SENDER= DEFAULT=SRS0=mkis=JV=example.com=user HOST=srs.example "DTLINE=$DT" -- reverse
expect_eq "reverse: to the original sender, from <>" "F|Tuser@example.com||" "$(envelope)"
message_is "reverse"
q "reverse --stop" 99 SENDER= DEFAULT=SRS0=mkis=JV=example.com=user -- reverse --stop
q "reverse: #@[]" 0 'SENDER=#@[]' DEFAULT=SRS0=mkis=JV=example.com=user -- reverse
expect_eq "reverse: #@[]: a bounce too, re-queued from <>" "F|Tuser@example.com||" "$(envelope)"
q "reverse: \$EXT2" 0 SENDER= EXT=srs-SRS0=mkis=JV=example.com=user EXT2=SRS0=mkis=JV=example.com=user -- reverse
expect_eq "reverse: \$EXT2: used" "F|Tuser@example.com||" "$(envelope)"
q "reverse: \$RECIPIENT after a virtualdomains prefix" 0 SENDER= \
    RECIPIENT=alias-srs-SRS0=mkis=JV=example.com=user@srs.example -- reverse
expect_eq "reverse: \$RECIPIENT: from the SRS tag on" "F|Tuser@example.com||" "$(envelope)"
q "reverse: a lower-cased local part" 0 SENDER= DEFAULT=srs0=mkis=jv=example.com=user HOST=srs.example -- reverse
expect_eq "reverse: a lower-cased local part: the case-insensitive hash check" "F|Tuser@example.com||" "$(envelope)"
q "reverse: SRS1 in lower case (hash XGSx as xgsx)" 0 SENDER= DEFAULT=srs1=xgsx=hop.example==hhhh=tt=orig.example=bob -- reverse
expect_eq "reverse: SRS1 in lower case: the case-insensitive hash check" "F|TSRS0=hhhh=tt=orig.example=bob@hop.example||" "$(envelope)"
q "reverse: SRS1" 0 SENDER= DEFAULT=SRS1=XGSx=hop.example==HHHH=TT=orig.example=bob -- reverse
expect_eq "reverse: SRS1: to the previous hop's SRS0 address" "F|TSRS0=HHHH=TT=orig.example=bob@hop.example||" "$(envelope)"
q "reverse: a quoted original" 0 SENDER= "DEFAULT=SRS0=AYA7=JV=example.com=john doe" -- reverse
expect_eq "reverse: a quoted original: raw in the envelope" "F|Tjohn doe@example.com||" "$(envelope)"

# == reverse: refusals (100), nothing queued
rrefuse() {  # rrefuse NAME REASON VAR=VALUE... [-- ARGS]
    local name=$1 reason=$2; shift 2
    q "$name" 100 "$@" -- reverse
    expect_eq "$name: reason" "$reason" "$(err)"
    not_queued "$name"
}
rrefuse "reverse: not a bounce" "5.7.1 SRS: an SRS address takes only bounces (null sender), not mail from spam@example.net" \
    SENDER=spam@example.net DEFAULT=SRS0=mkis=JV=example.com=user
rrefuse "reverse: bad hash" "5.1.1 SRS: invalid hash" SENDER= DEFAULT=SRS0=mkiX=JV=example.com=user HOST=srs.example
rrefuse "reverse: forged" "5.1.1 SRS: invalid hash" SENDER= DEFAULT=SRS0=abcd=JV=evil.example=victim
rrefuse "reverse: not an SRS address" "5.1.1 SRS: not an SRS address" SENDER= DEFAULT=postmaster
rrefuse "reverse: foreign domain" "5.1.1 SRS: not an address of our SRS domain srs.example" \
    SENDER= DEFAULT=SRS0=mkis=JV=example.com=user HOST=ours.example
rrefuse "reverse: malformed" "5.1.1 SRS: malformed SRS0 address" SENDER= DEFAULT=SRS0=mkis=JV
rm -f "$QQREC/envelope"
SENDER= DEFAULT=SRS0=mkis=JV=example.com=user srsfilter --control-dir "$C" --now $((NOW + 22 * DAY)) reverse <"$T/msg" 2>"$T/err"
expect_eq "reverse: expired: exit 100" 100 $?
expect_eq "reverse: expired: reason" "5.1.1 SRS: timestamp expired: minted 22 days ago (srs_maxage is 21)" "$(err)"
not_queued "reverse: expired"
echo 31 >"$QQREC/exitcode"
q "reverse: qmail-queue exits 31" 100 SENDER= DEFAULT=SRS0=mkis=JV=example.com=user -- reverse
expect_eq "reverse: qmail-queue exits 31: reason" "5.3.0 qq-rec exited 31: mail server permanently refuses to send the message to any recipients" "$(err)"
echo 71 >"$QQREC/exitcode"
q "reverse: qmail-queue exits 71" 111 SENDER= DEFAULT=SRS0=mkis=JV=example.com=user -- reverse
rm -f "$QQREC/exitcode"

# == reverse: configuration and usage (111)
rm -f "$QQREC/envelope"
SENDER= DEFAULT=SRS0=mkis=JV=example.com=user srsfilter --control-dir "$D2" reverse <"$T/msg" 2>"$T/err"
expect_eq "reverse, no SRS domain configured: exit 111" 111 $?
expect_eq "reverse, no SRS domain configured: reason" \
    "srsfilter: fatal: $D2/srs_domain is missing or empty: SRS is off, so no address can be reversed" "$(err)"
not_queued "reverse, no SRS domain configured"
q "reverse: no recipient" 111 SENDER= -- reverse
expect_match "reverse: no recipient: usage line" '^usage: srsfilter: reverse: no recipient' "$(err)"
q "reverse: no \$SENDER" 111 DEFAULT=SRS0=mkis=JV=example.com=user -- reverse
q "reverse with an address" 111 SENDER= -- reverse x@y.example
expect_match "reverse with an address: usage line" '^usage: srsfilter: ' "$(err)"
q "forward and reverse" 111 SENDER= -- forward a@remote.example reverse
q "reverse with --reverse" 111 SENDER= DEFAULT=x -- --reverse SRS0=mkis=JV=example.com=user@srs.example reverse
expect_match "reverse with --reverse: usage line" '^usage: srsfilter: ' "$(err)"

# == a 20 MB message, streamed with bounded memory (from a file and a pipe)
{ printf 'Subject: big\n\n'; head -c 20000000 /dev/zero | tr '\0' 'x' | fold -w 76; } >"$T/big"
rss() {  # rss STDIN-MODE: the peak RSS in KB of a forward of $T/big, or "fail"
    rm -f "$QQREC/message"
    if [ "$1" = pipe ]; then
        cat "$T/big" | SENDER=user@example.com /usr/bin/time -f %M -o "$T/rss" srsfilter --control-dir "$C" forward a@remote.example 2>"$T/err"
    else
        SENDER=user@example.com /usr/bin/time -f %M -o "$T/rss" srsfilter --control-dir "$C" forward a@remote.example <"$T/big" 2>"$T/err"
    fi || { echo fail; return; }
    cmp -s "$T/big" "$QQREC/message" || { echo fail; return; }
    tail -n1 "$T/rss"
}
small=$(SENDER=user@example.com /usr/bin/time -f %M -o "$T/rss" srsfilter --control-dir "$C" forward a@remote.example <"$T/msg" 2>"$T/err"; tail -n1 "$T/rss")
for mode in file pipe; do
    r=$(rss "$mode")
    if [ "$r" != fail ] && [ "$r" -lt $((small + 4096)) ]; then ok "20 MB from a $mode: queued whole, peak RSS ${r} KB (a small message: ${small} KB)"
    else not_ok "20 MB from a $mode: queued whole with bounded memory" "rss $r KB, small $small KB" "$(err)"; fi
done
