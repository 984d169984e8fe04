# srsfilter's .qmail modes on the REAL notqmail (tests/lib-qmail.sh), set up
# as srsfilter(8) QMAIL describes: control/srs_domain srs.test,
# virtualdomains "srs.test:alias-srs", srs.test in rcpthosts, and
# ~alias/.qmail-srs-default running `|srsfilter reverse`. (users/assign gets
# "+alias-:alias:...", what qmail-getpw does for alias-srs-... without one.)
#   - qmail-local runs `|srsfilter forward ADDR` from a user's .qmail: the
#     copy reaches the recording remote stand-in with the SRS sender, with
#     Delivered-To on top and the message below byte for byte;
#   - a bounce (null sender) to that SRS address at srs.test goes through
#     .qmail-srs-default back to the original remote sender, from <>; with
#     --alwaysrewrite a local sender's bounce lands in its Maildir;
#   - a forged SRS address is refused (qmail-local bounces it; a bounce of a
#     bounce goes to the postmaster, nothing to the forged original);
#   - a non-bounce to a valid SRS address is refused and bounced to its
#     sender, not forwarded;
#   - a bounce to the SRS address in lower case is taken (qmail keeps the
#     local part's case; the hash check falls back to ignoring it).
# Stamps are minted with the real clock, so they are valid.
. "$(dirname "$0")/../lib.sh"
: "${T:?lib.sh did not load}"
. "$TOP/tests/lib-qmail.sh"

qmail_setup || exit 0
CTL=$QMH_HOME/control
SF="$QAUTH_BIN/srsfilter --control-dir $CTL --home $QMH_HOME"
cp "$CTL/rcpthosts" "$T/rcpthosts.saved"
grep -qx srs.test "$CTL/rcpthosts" || echo srs.test >>"$CTL/rcpthosts"
qmail_control srs_domain srs.test
qmail_control virtualdomains srs.test:alias-srs
# read by qmtest (forward) and alias (reverse): 0644, with a warning on stderr
qmail_control srs_secrets "qmail e2e secret"
ua=$(id -u alias); ga=$(id -g alias)
newu() { (cd "$QMH_HOME" && "$QMH_BIN/qmail-newu"); }
cleanup_srs() {
    rm -f "$CTL/srs_domain" "$CTL/srs_secrets" "$CTL/virtualdomains"
    grep -vx srs.test "$T/rcpthosts.saved" >"$CTL/rcpthosts"
    sed -i '/^+alias-:alias:/d' "$QMH_HOME/users/assign" && newu
}
at_exit cleanup_srs
sed -i '/^+alias-:alias:/d' "$QMH_HOME/users/assign"
sed -i "/^+:alias:/i +alias-:alias:$ua:$ga:$QMH_HOME/alias:-::" "$QMH_HOME/users/assign"
newu || not_ok "qmail-newu"
qmail_dot srs-default "|$SF reverse" >/dev/null
if qmail_start; then ok "qmail-send started in $QMH_HOME"; else not_ok "qmail-send started"; exit 1; fi

printf 'From: Alice <alice@example.org>\nTo: qmtest-fwd@qauth.test\nSubject: srs e2e\n\nbody\r\nbare\rcr \xe4\n' >"$T/msg"
without_lines() { tail -n +"$(($1 + 1))" "$2"; }
srs_re='^SRS0=[A-Za-z0-9+/]{4}=[A-Z2-7]{2}='

# --- forward: |srsfilter forward ADDR in qmtest's .qmail-fwd ------------------------
qmail_dot qmtest-fwd "|$SF forward --stop fwd-target@remote.example" ./Maildir/ >/dev/null
out=$("$QQ_CLIENT" --home "$QMH_HOME" alice@example.org qmtest-fwd@qauth.test <"$T/msg" 2>&1)
expect_eq "queue to qmtest-fwd: ok" ok "$out"
d=$(qmail_wait_remote fwd-target@remote.example 15 2>"$T/err") || true
srs=
if [ -n "$d" ]; then
    srs=$(qmail_remote_sender "$d")
    expect_match "forwarded copy: the SRS sender" "${srs_re}example.org=alice@srs.test\$" "$srs"
    expect_eq "forwarded copy: Delivered-To (DTLINE) below qmail-queue's Received" \
        "Delivered-To: qmtest-fwd@qauth.test" "$(sed -n 2p "$d/message")"
    if cmp -s "$T/msg" <(without_lines 3 "$d/message"); then ok "forwarded copy: the message below, byte for byte"
    else not_ok "forwarded copy: the message below, byte for byte" "$(head -c 300 "$d/message")"; fi
    expect_eq "forwarded copy: srsfilter --rewrite agrees (same day)" "$srs" \
        "$("$QAUTH_BIN/srsfilter" --control-dir "$CTL" --rewrite alice@example.org 2>/dev/null)"
else
    not_ok "forwarded copy reached the remote stand-in" "$(cat "$T/err")"
fi
sleep 0.3
expect_eq "--stop: the ./Maildir/ line after it was skipped" 0 "$(find "$QMH_MAILDIR/new" -type f | wc -l)"

# --- reverse: a bounce to the SRS address goes back to the original sender ----------
printf 'From: MAILER-DAEMON@remote.example\nSubject: failure notice\n\nyour message bounced\n' >"$T/bounce"
if [ -n "$srs" ]; then
    out=$("$QQ_CLIENT" --home "$QMH_HOME" "" "$srs" <"$T/bounce" 2>&1)
    expect_eq "queue the bounce to $srs: ok" ok "$out"
    d=$(qmail_wait_remote alice@example.org 15 2>"$T/err") || true
    if [ -n "$d" ]; then
        expect_eq "reversed bounce: from the null sender" "<>" "<$(qmail_remote_sender "$d")>"
        expect_eq "reversed bounce: Delivered-To the SRS address (virtualdomains prefix)" \
            "Delivered-To: alias-srs-$srs" "$(sed -n 2p "$d/message")"
        if cmp -s "$T/bounce" <(without_lines 3 "$d/message"); then ok "reversed bounce: the bounce below, byte for byte"
        else not_ok "reversed bounce: the bounce below, byte for byte" "$(head -c 300 "$d/message")"; fi
    else
        not_ok "reversed bounce reached alice@example.org" "$(cat "$T/err")"
    fi
else
    not_ok "reverse: no SRS address to bounce to (the forward failed)"
fi

# --- a local sender (--alwaysrewrite): its bounce lands in its Maildir --------------
qmail_dot qmtest-fwd2 "|$SF --alwaysrewrite forward loc-target@remote.example" >/dev/null
out=$("$QQ_CLIENT" --home "$QMH_HOME" qmtest@qauth.test qmtest-fwd2@qauth.test <"$T/msg" 2>&1)
expect_eq "queue from qmtest to qmtest-fwd2: ok" ok "$out"
d=$(qmail_wait_remote loc-target@remote.example 15 2>"$T/err") || true
lsrs=$( [ -n "$d" ] && qmail_remote_sender "$d")
expect_match "local sender forwarded with --alwaysrewrite: SRS sender" "${srs_re}qauth.test=qmtest@srs.test\$" "$lsrs"
if [ -n "$lsrs" ]; then
    "$QQ_CLIENT" --home "$QMH_HOME" "" "$lsrs" <"$T/bounce" >/dev/null 2>&1
    f=$(qmail_wait_maildir "$QMH_MAILDIR" 1 15 2>"$T/err") || true
    if [ -n "$f" ]; then
        expect_eq "bounce for the local sender: in qmtest's Maildir, Return-Path <>" "Return-Path: <>" "$(sed -n 1p "$f")"
        expect_eq "bounce for the local sender: srsfilter's Delivered-To below qmail-local's" \
            "Delivered-To: qmtest@qauth.test|Delivered-To: alias-srs-$lsrs" "$(sed -n '2p;4p' "$f" | paste -sd'|')"
        if cmp -s "$T/bounce" <(without_lines 5 "$f"); then ok "bounce for the local sender: byte for byte"
        else not_ok "bounce for the local sender: byte for byte" "$(head -c 300 "$f")"; fi
    else
        not_ok "bounce for the local sender reached qmtest's Maildir" "$(cat "$T/err")"
    fi
fi

# --- a forged SRS address: refused, bounced to the postmaster, not forwarded --------
forged=SRS0=abcd=JV=evil.example=victim@srs.test
"$QQ_CLIENT" --home "$QMH_HOME" "" "$forged" <"$T/bounce" >/dev/null 2>&1
expect_match "forged SRS address: qmail-local's failure with srsfilter's reason" \
    'failure: 5.1.1_SRS:_invalid_hash' "$(qmh wait-log "$QMH_HOME" 'failure: 5.1.1_SRS:_invalid_hash' 15 2>&1)"
amd=$QMH_HOME/alias/Maildir
f=$(qmail_wait_maildir "$amd" 1 15 2>"$T/err") || true
expect_eq "forged SRS address: the double bounce went to the postmaster, with the reason" 1 \
    "$( [ -n "$f" ] && grep -c '5.1.1 SRS: invalid hash' "$f")"
expect_eq "forged SRS address: nothing reached victim@evil.example" "" \
    "$(grep -lx 'victim@evil.example' "$QMH_REC_REMOTE"/*/args 2>/dev/null)"

# --- a non-bounce to a valid SRS address: refused, bounced to its sender ------------
if [ -n "$srs" ]; then
    "$QQ_CLIENT" --home "$QMH_HOME" spammer@remote.example "$srs" <"$T/msg" >/dev/null 2>&1
    d=$(qmail_wait_remote spammer@remote.example 15 2>"$T/err") || true
    expect_eq "non-bounce to an SRS address: bounced to its sender with the reason" "<> 1" \
        "$( [ -n "$d" ] && echo "<$(qmail_remote_sender "$d")> $(grep -c 'an SRS address takes only bounces' "$d/message")")"
    expect_eq "non-bounce to an SRS address: not forwarded to alice again" 1 \
        "$(grep -lx 'alice@example.org' "$QMH_REC_REMOTE"/*/args 2>/dev/null | wc -l)"
fi

# --- a relay that smashed the case: qmail passes the local part as it came, and the
# hash check's case-insensitive fallback takes it
if [ -n "$srs" ]; then
    lower=$(printf '%s' "$srs" | tr 'A-Z' 'a-z')
    "$QQ_CLIENT" --home "$QMH_HOME" "" "$lower" <"$T/bounce" >/dev/null 2>&1
    n=0
    for ((i = 0; i < 300 && n < 2; i++)); do
        n=$(grep -lx 'alice@example.org' "$QMH_REC_REMOTE"/*/args 2>/dev/null | wc -l); [ "$n" -ge 2 ] || sleep 0.05
    done
    expect_eq "a bounce to the lower-cased SRS address ($lower) reaches alice too (tag, stamp and hash read ignoring case)" 2 "$n"
fi

qmail_stop
expect_eq "nothing left in the queue" 0 "$(find "$QMH_HOME/queue/mess" -type f | wc -l)"
