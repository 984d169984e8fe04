# The qmail-queue client (common/qmail/queue, through tests/tools/qq-client)
# against the REAL notqmail (tests/lib-qmail.sh): a message it queues is
# delivered by qmail-send/qmail-local to a Maildir with the exact bytes
# (prefix included), a remote recipient reaches the recording remote stand-in
# with the exact envelope sender (an SRS address, the null sender), several
# recipients each get it, a large message arrives whole, $QMAILQUEUE is
# honoured with the exact envelope bytes on fd 1, and its statuses 31 and
# 82 + fd 6 come back with the reason. Also what qmail-local gives a
# |command (DTLINE, RPLINE) and what its &forward adds (Delivered-To only),
# and the client run from a .qmail line as srsfilter forward will be: new
# sender, $DTLINE on top; a refusal bounces, a failure defers.
. "$(dirname "$0")/../lib.sh"
: "${T:?lib.sh did not load}"
. "$TOP/tests/lib-qmail.sh"

qmail_setup || exit 0
if qmail_start; then ok "qmail-send started in $QMH_HOME"; else not_ok "qmail-send started"; exit 1; fi
LOCAL=qmtest@qauth.test

# A message with what qmail must pass untouched: CRLF and a bare CR, 8-bit
# bytes, a line starting with "From ", a long line.
{
    printf 'From: Alice <alice@example.org>\nTo: %s\nSubject: qq client e2e\n\n' "$LOCAL"
    printf 'body line\r\nbare\rcr 8bit \xe4\xf6\nFrom the start of a line\n'
    printf '%0999d\n' 7
} >"$T/msg"

# without_lines N FILE: FILE from line N+1 on (what is below the lines qmail added)
without_lines() { tail -n +"$(($1 + 1))" "$2"; }

# check_forwarded WHAT RCPT SENDER LOCAL: the copy that reached the remote
# stand-in for RCPT has envelope sender SENDER and, below its qmail-queue
# Received line, "Delivered-To: LOCAL" and then $T/msg byte for byte.
check_forwarded() {
    local what=$1 d
    d=$(qmail_wait_remote "$2" 15 2>"$T/err") || { not_ok "$what reached the remote stand-in" "$(cat "$T/err")"; return; }
    expect_eq "$what: envelope sender" "$3" "$(qmail_remote_sender "$d")"
    expect_eq "$what: Delivered-To (DTLINE) on top, no Return-Path" "Delivered-To: $4" "$(sed -n 2p "$d/message")"
    if cmp -s "$T/msg" <(without_lines 3 "$d/message"); then ok "$what: the message below, byte for byte"
    else not_ok "$what: the message below, byte for byte" "$(head -c 300 "$d/message")"; fi
}

# qmail_local_status WHAT LOCAL QQ-EXIT LOG-REGEX: a .qmail line for LOCAL
# runs qq-client with $QMAILQUEUE the recorder exiting QQ-EXIT; qmail-send
# then logs LOG-REGEX (qmail-local's verdict and qq-client's output).
qmail_local_status() {
    echo "$3" >"$rec/exitcode"
    qmail_dot "$2" "|QMAILQUEUE=$QMH_QQ_RECORDER $QQ_CLIENT --home $QMH_HOME --dtline -- '$NEW' x@remote.example" >/dev/null
    "$QQ_CLIENT" --home "$QMH_HOME" a@example.org "$2@qauth.test" <"$T/msg" >/dev/null 2>&1
    expect_match "$1" "$4" "$(qmh wait-log "$QMH_HOME" "$4" 15 2>&1)"
    rm -f "$rec/exitcode"
}

# --- local delivery ---------------------------------------------------------------
out=$("$QQ_CLIENT" --home "$QMH_HOME" --delivered-to fwd@qauth.test a@example.org "$LOCAL" <"$T/msg" 2>&1)
expect_eq "qq-client through the real qmail-queue: ok" "ok" "$out"
f=$(qmail_wait_maildir "$QMH_MAILDIR" 1 15 2>"$T/err") || true
if [ -n "$f" ]; then
    expect_eq "Maildir copy: Return-Path is the envelope sender" "Return-Path: <a@example.org>" "$(sed -n 1p "$f")"
    expect_eq "Maildir copy: qmail-local's Delivered-To" "Delivered-To: $LOCAL" "$(sed -n 2p "$f")"
    expect_match "Maildir copy: qmail-queue's Received line" '^Received: \(qmail [0-9]+ invoked by uid 0\); ' "$(sed -n 3p "$f")"
    if { printf 'Delivered-To: fwd@qauth.test\n'; cat "$T/msg"; } | cmp -s - <(without_lines 3 "$f"); then
        ok "Maildir copy: our Delivered-To prefix and the message, byte for byte"
    else not_ok "Maildir copy: our Delivered-To prefix and the message, byte for byte" "$(without_lines 3 "$f" | head -c 300)"; fi
else
    not_ok "local delivery to $LOCAL" "$(cat "$T/err")"
fi

# --- remote delivery: the exact envelope sender -------------------------------------
SRS='SRS0=HHHH=TT=example.org=alice@srs.qauth.test'
out=$("$QQ_CLIENT" --home "$QMH_HOME" "$SRS" someone@remote.example <"$T/msg" 2>&1)
expect_eq "queue to a remote recipient: ok" "ok" "$out"
d=$(qmail_wait_remote someone@remote.example 15 2>"$T/err") || true
if [ -n "$d" ]; then
    expect_eq "remote stand-in: envelope sender exact" "$SRS" "$(qmail_remote_sender "$d")"
    expect_eq "remote stand-in: recipient and host" "someone@remote.example remote.example" \
        "$(qmail_remote_rcpt "$d") $(sed -n 1p "$d/args")"
    if cmp -s "$T/msg" <(without_lines 1 "$d/message"); then ok "remote stand-in: message byte for byte below qmail-queue's Received"
    else not_ok "remote stand-in: message byte for byte below qmail-queue's Received" "$(head -c 300 "$d/message")"; fi
else
    not_ok "remote delivery to someone@remote.example" "$(cat "$T/err")"
fi

# the null sender (a bounce, as srsfilter reverse queues it)
out=$("$QQ_CLIENT" --home "$QMH_HOME" "" bounced@remote.example <"$T/msg" 2>&1)
expect_eq "queue with the null sender: ok" "ok" "$out"
d=$(qmail_wait_remote bounced@remote.example 15 2>"$T/err") || true
expect_eq "remote stand-in: null sender arrives empty" "bounced@remote.example <>" \
    "$( [ -n "$d" ] && echo "$(qmail_remote_rcpt "$d") <$(qmail_remote_sender "$d")>")"

# --- one envelope, local and remote recipients; a large message from stdin ----------
head -c 3000000 /dev/zero | tr '\0' 'y' | fold -w 76 >"$T/big.body"
{ printf 'Subject: big\n\n'; cat "$T/big.body"; } >"$T/big"
out=$("$QQ_CLIENT" --home "$QMH_HOME" b@example.org "$LOCAL" third@remote.example <"$T/big" 2>&1)
expect_eq "queue a 3 MB message to a local and a remote recipient: ok" "ok" "$out"
f=$(qmail_wait_maildir "$QMH_MAILDIR" 2 20 2>"$T/err") || true
if [ -n "$f" ] && cmp -s "$T/big" <(without_lines 3 "$f"); then ok "large message delivered locally, whole"
else not_ok "large message delivered locally, whole" "$f" "$(cat "$T/err")"; fi
d=$(qmail_wait_remote third@remote.example 20 2>"$T/err") || true
if [ -n "$d" ] && [ "$(qmail_remote_rcpt "$d")" = third@remote.example ] && cmp -s "$T/big" <(without_lines 1 "$d/message"); then
    ok "large message to the remote recipient of the same envelope, whole"
else not_ok "large message to the remote recipient of the same envelope, whole" "$d" "$(cat "$T/err")"; fi

# --- $QMAILQUEUE: the exact envelope bytes on fd 1, and its refusals ---------------
rec=$QMH_REC_QQ
out=$(QMAILQUEUE=$QMH_QQ_RECORDER "$QQ_CLIENT" --home "$QMH_HOME" \
    "$SRS" "$LOCAL" other@remote.example <"$T/msg" 2>&1)
expect_eq "\$QMAILQUEUE (recorder, then the real qmail-queue): ok" "ok" "$out"
e=$(find "$rec" -mindepth 2 -maxdepth 2 -name envelope 2>/dev/null | sort | tail -n1)
expect_eq "\$QMAILQUEUE got the exact envelope bytes" \
    "F$SRS|T$LOCAL|Tother@remote.example||" "$( [ -n "$e" ] && tr '\0' '|' <"$e")"
expect_eq "\$QMAILQUEUE got the exact message" "$(od -c "$T/msg" | md5sum)" \
    "$( [ -n "$e" ] && od -c "$(dirname "$e")/message" | md5sum)"
f=$(qmail_wait_maildir "$QMH_MAILDIR" 3 15 2>"$T/err") || true
expect_eq "and the real qmail-queue behind it delivered it" "Return-Path: <$SRS>" "$( [ -n "$f" ] && sed -n 1p "$f")"

echo 31 >"$rec/exitcode"
out=$(QMAILQUEUE=$QMH_QQ_RECORDER "$QQ_CLIENT" --home "$QMH_HOME" a@example.org "$LOCAL" <"$T/msg" 2>&1)
expect_eq "\$QMAILQUEUE exit 31: permanent (exit 100) with qmail-queue(8)'s reason" \
    "rc=100 permanent 31 qq-record exited 31: mail server permanently refuses to send the message to any recipients" \
    "rc=$? $out"
echo 82 >"$rec/exitcode"; printf 'Dqauth: rejected by policy (#5.7.1)' >"$rec/errmsg"
out=$(QMAILQUEUE=$QMH_QQ_RECORDER "$QQ_CLIENT" --home "$QMH_HOME" a@example.org "$LOCAL" <"$T/msg" 2>&1)
expect_eq "\$QMAILQUEUE exit 82 + D on fd 6: permanent with its text" \
    "rc=100 permanent 82 qq-record exited 82: qauth: rejected by policy (#5.7.1)|custom Dqauth: rejected by policy (#5.7.1)" \
    "rc=$? $(printf '%s' "$out" | tr '\n' '|')"
printf 'Zqauth: try later (#4.3.0)' >"$rec/errmsg"
out=$(QMAILQUEUE=$QMH_QQ_RECORDER "$QQ_CLIENT" --home "$QMH_HOME" a@example.org "$LOCAL" <"$T/msg" 2>&1)
expect_eq "\$QMAILQUEUE exit 82 + Z on fd 6: temporary with its text" \
    "rc=111 temporary 82 qq-record exited 82: qauth: try later (#4.3.0)" "rc=$? $(printf '%s' "$out" | head -n1)"
rm -f "$rec/exitcode" "$rec/errmsg"

# --- what qmail-local gives a |command and what its &forward adds ------------------
qmail_dot qmtest-fwd "|$QMH_DOT_RECORDER 0" "&fwd-target@remote.example" >/dev/null
out=$("$QQ_CLIENT" --home "$QMH_HOME" a@example.org qmtest-fwd@qauth.test <"$T/msg" 2>&1)
expect_eq "queue to qmtest-fwd (|command and &forward): ok" "ok" "$out"
check_forwarded "&forward" fwd-target@remote.example a@example.org qmtest-fwd@qauth.test  # NEWSENDER
envf=$(find "$QMH_REC_LOCAL" -mindepth 2 -maxdepth 2 -name env 2>/dev/null | head -n1)
expect_eq "|command: DTLINE is Delivered-To: LOCAL@HOST and a newline" \
    "DTLINE=Delivered-To: qmtest-fwd@qauth.test|" "$( [ -n "$envf" ] && grep -A1 '^DTLINE=' "$envf" | tr '\n' '|' | sed 's/|$//')"
expect_eq "|command: RPLINE is Return-Path: <SENDER> and a newline" \
    "RPLINE=Return-Path: <a@example.org>|" "$( [ -n "$envf" ] && grep -A1 '^RPLINE=' "$envf" | tr '\n' '|' | sed 's/|$//')"

# --- the client run from a .qmail line by qmail-local, as srsfilter forward is -----
# (as user qmtest, in its home; the sender rewritten, $DTLINE on top)
NEW='SRS0=abcd=TT=example.org=a@srs.qauth.test'
qmail_dot qmtest-srsfwd "|$QQ_CLIENT --home $QMH_HOME --dtline -- '$NEW' srs-target@remote.example" >/dev/null
out=$("$QQ_CLIENT" --home "$QMH_HOME" a@example.org qmtest-srsfwd@qauth.test <"$T/msg" 2>&1)
expect_eq "queue to qmtest-srsfwd (|qq-client --dtline): ok" "ok" "$out"
check_forwarded "|qq-client from qmail-local" srs-target@remote.example "$NEW" qmtest-srsfwd@qauth.test
# its statuses as qmail-local sees them: 100 bounces with the reason, 111 defers
qmail_local_status "refused by qmail-queue (31): qmail-local bounces (exit 100) with our reason" qmtest-srsbad 31 \
    'failure: permanent_31_qq-record_exited_31:_mail_server_permanently_refuses'
qmail_local_status "qmail-queue trouble (53): qmail-local defers (exit 111) with our reason" qmtest-srsdefer 53 \
    'deferral: temporary_53_qq-record_exited_53:_write_error;_e.g.,_disk_full'
d=$(qmail_wait_remote a@example.org 15 2>"$T/err") || true
expect_eq "the bounce goes to the original sender, from <>, with our reason" \
    "<> 1" "$( [ -n "$d" ] && echo "<$(qmail_remote_sender "$d")> $(grep -c 'qq-record exited 31: mail server permanently refuses' "$d/message")")"

qmail_stop
expect_eq "only the deferred message is left in the queue" 1 "$(find "$QMH_HOME/queue/mess" -type f | wc -l)"
