# qmail-authremote as $QMAILREMOTE of the REAL notqmail qmail-send
# (tests/lib-qmail.sh), with the harness's recording remote stand-in
# (fake-remote) behind it as AUTHREMOTE_NEXT: a bounce (null sender) leaves
# signed for control/bouncehost, a .qmail &forward leaves signed for its
# From domain, and both signatures verify with dkimpy (keys from dkimkeygen,
# DNS from its zone output).
. "$(dirname "$0")/../lib.sh"
: "${T:?lib.sh did not load}"
. "$TOP/tests/lib-qmail.sh"

qmail_setup || exit 0
AR=$QAUTH_BIN/qmail-authremote
CTL=$QMH_HOME/control
ME=$(cat "$CTL/me")
D=$QMH_HOME/artest; rm -rf "$D"; mkdir -p "$D"; chmod 755 "$D"
# the harness's reset keeps control/: no keys, bouncehost or chain of an earlier run
rm -rf "$CTL/domainkeys" "$CTL/authremote" "$CTL/bouncehost"
# and none of this run for the next suites (qmail-send's environment above all)
_authremote_cleanup() {
    rm -rf "$CTL/domainkeys" "$CTL/authremote" "$CTL/bouncehost" "$QMH_ENV_SEND/QMAILREMOTE" \
        "$QMH_ENV_SEND/AUTHREMOTE_NEXT" "$QMH_ENV_SEND/QMAIL_CONTROL"
}
at_exit _authremote_cleanup
"$QAUTH_BIN/dkimkeygen" --control-dir "$CTL" --type ed25519 --selector b1 bounce.example >"$D/keys.zone" 2>"$T/err" ||
    not_ok "dkimkeygen bounce.example" "$(cat "$T/err")"
"$QAUTH_BIN/dkimkeygen" --control-dir "$CTL" --type rsa --selector s1 good.example >>"$D/keys.zone" 2>"$T/err" ||
    not_ok "dkimkeygen good.example" "$(cat "$T/err")"
chown -R qmailr "$CTL/domainkeys"; chmod 755 "$CTL/domainkeys"
qmail_control bouncehost bounce.example
mkdir -p "$QMH_ENV_SEND"
printf '%s\n' "$AR" >"$QMH_ENV_SEND/QMAILREMOTE"
printf '%s\n' "$QMH_HOME/harness/bin/fake-remote" >"$QMH_ENV_SEND/AUTHREMOTE_NEXT"
printf '%s\n' "$CTL" >"$QMH_ENV_SEND/QMAIL_CONTROL"
if qmail_start; then ok "qmail-send started with QMAILREMOTE=$AR"; else not_ok "qmail-send started"; exit 1; fi

# signed_ok WHAT FILE DOMAIN: FILE carries one DKIM-Signature with d=DOMAIN that dkimpy verifies.
signed_ok() {
    expect_eq "$1: one signature, d=$3" "1 d=$3" \
        "$(grep -c '^DKIM-Signature:' "$2") $(grep -A3 '^DKIM-Signature:' "$2" | grep -o 'd=[a-z.]*' | head -1)"
    if /usr/bin/python3 -c 'import dkim' 2>/dev/null; then
        expect_match "$1: dkimpy passes it" ' pass$' "$(/usr/bin/python3 "$TOP/tests/interop/dkimpy-verify.py" "$D/keys.zone" "$2")"
    else
        skip "$1: dkimpy passes it" "no python3-dkim"
    fi
}

# --- a bounce: a local delivery fails for good, the bounce goes out to a remote sender
printf 'From: someone@remote.example\nTo: nosuchuser@%s\nSubject: will bounce\n\nbody\n' "$ME" |
    qmail_queue someone@remote.example "nosuchuser@$ME" >/dev/null
if d=$(qmail_wait_remote someone@remote.example 20); then
    expect_eq "bounce: null sender passed on to qmail-remote" "" "$(qmail_remote_sender "$d")"
    signed_ok "bounce" "$d/message" bounce.example
else
    not_ok "bounce reached the remote stand-in" "$(tail -n 5 "$QMH_SEND_LOG")"
fi

# --- a .qmail &forward of our own domain's mail
qmail_dot qmtest-far "&friend@remote.example" >/dev/null
printf 'From: a@good.example\nTo: qmtest-far@%s\nSubject: forwarded\n\nforward body\n' "$ME" |
    qmail_queue a@good.example "qmtest-far@$ME" >/dev/null
if d=$(qmail_wait_remote friend@remote.example 20); then
    expect_eq "forward: the sender passed on" "a@good.example" "$(qmail_remote_sender "$d")"
    expect_match "forward: qmail-local's Delivered-To is in it" '^Delivered-To: ' "$(cat "$d/message")"
    signed_ok "forward" "$d/message" good.example
else
    not_ok "forward reached the remote stand-in" "$(tail -n 5 "$QMH_SEND_LOG")"
fi

# --- a failure: a broken chain defers (qmail-send logs the Z report), nothing sent
mkdir -p "$CTL/authremote"; printf '/bin/false\n' >"$CTL/authremote/chain"; chmod -R a+rX "$CTL/authremote"
printf 'From: a@good.example\nTo: friend2@remote.example\nSubject: deferred\n\nx\n' |
    qmail_queue a@good.example friend2@remote.example >/dev/null
for i in $(seq 100); do grep -q 'deferral:.*qmail-authremote' "$QMH_SEND_LOG" && break; sleep 0.1; done
expect_match "a failing chain: qmail-send defers with our reason" 'deferral: .*qmail-authremote:_false_exited_1' "$(cat "$QMH_SEND_LOG")"
expect_eq "... and nothing reached the remote stand-in" "" "$(grep -l friend2@remote.example "$QMH_REC_REMOTE"/*/args 2>/dev/null)"
rm -rf "$CTL/authremote"
