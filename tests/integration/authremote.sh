# qmail-authremote as qmail-send runs it ($QMAILREMOTE: host sender recip...,
# the message on fd 0) with a recording stand-in for the real qmail-remote
# (AUTHREMOTE_NEXT): the message is passed on signed with the same
# arguments; a bounce is signed for bouncehost (else me); a message signed
# here already is not signed twice; every failure is qmail-remote's
# temporary report on fd 1, exit 0, and nothing reaches the next qmail-remote.
. "$(dirname "$0")/../lib.sh"
AR=$QAUTH_BIN/qmail-authremote
C=$T/control; F=$T/filters; R=$T/rec
mkdir -p "$C" "$F" "$R"
export QMAIL_CONTROL=$C AUTHREMOTE_NEXT=$T/next
unset QMAILQUEUE QMAILREMOTE
"$QAUTH_BIN/dkimkeygen" --control-dir "$C" --type ed25519 --selector s1 example.com >"$T/keys.zone" 2>"$T/err" ||
    not_ok "dkimkeygen example.com" "$(cat "$T/err")"
"$QAUTH_BIN/dkimkeygen" --control-dir "$C" --type ed25519 --selector b1 bounce.example >>"$T/keys.zone" 2>"$T/err" ||
    not_ok "dkimkeygen bounce.example" "$(cat "$T/err")"
echo mx.example.com >"$C/me"

# The next qmail-remote: records its arguments (one a line), fd 0 and
# whether QMAILREMOTE reached it, then prints a success report as
# qmail-remote does (one r per recipient, then K).
cat >"$T/next" <<NEXT
#!/bin/bash
printf '%s\n' "\$@" >"$R/args"; cat >"$R/msg"; echo "\${QMAILREMOTE-unset}" >"$R/qr"
for r in "\${@:3}"; do printf 'r\0'; done; printf 'Kok\0'
NEXT
chmod +x "$T/next"
filter() { printf '#!/bin/bash\n%s\n' "$2" >"$F/$1"; chmod +x "$F/$1"; }
filter fail 'cat >/dev/null; echo "no luck" >&2; echo "more on stderr" >&2; exit 1'
filter crash 'cat >/dev/null; kill -SEGV $$'
filter hang 'sleep 31.4159 & sleep 31.4159'
filter vars 'env >"'"$R"'/fvars"; echo "a warning" >&2; cat'

printf 'From: a@example.com\nTo: x@example.net\nSubject: ar\n\nbody\n' >"$T/msg"
printf 'From: MAILER-DAEMON@mx.example.org\nTo: a@example.net\nSubject: failure notice\n\nbounce\n' >"$T/bounce"

reset_rec() { rm -rf "$R"; mkdir -p "$R"; }
# ar FILE ARGS...: the wrapper with FILE on fd 0, its stdout in $T/out and
# fd 2 a copy of fd 1, as qmail-rspawn runs qmail-remote (fd_copy(2,1)): a
# byte on stderr would be part of the report. Sets $rc.
ar() { reset_rec; local f=$1; shift; QMAILREMOTE=$AR "$AR" "$@" <"$f" >"$T/out" 2>&1; rc=$?; }
sent() { [ -f "$R/args" ] && echo sent || echo "not sent"; }
dkim_d() { grep -o '^DKIM-Signature:.*' "$1" | head -1 | grep -o ' d=[^;]*' | tr -d ' '; }
verify() { "$QAUTH_BIN/dkimverify" --control-dir "$C" --dns-zone "$T/keys.zone" <"$1" | grep -o 'dkim=[a-z]*' | head -1; }

# --- signed and passed on ---------------------------------------------------------
ar "$T/msg" mx.example.net a@example.com x@example.net y@example.net
expect_eq "signed: exit 0, the next qmail-remote's report" "0 $(printf 'r r Kok ')" "$rc $(tr '\0' ' ' <"$T/out")"
expect_eq "same arguments for the next qmail-remote" "mx.example.net a@example.com x@example.net y@example.net" \
    "$(tr '\n' ' ' <"$R/args" | sed 's/ $//')"
expect_eq "signed with d=example.com" "d=example.com" "$(dkim_d "$R/msg")"
expect_eq "the rest of the message unchanged" "$(cat "$T/msg")" "$(sed '/^DKIM-Signature:/,/^[^ \t]/{/^DKIM-Signature:/d;/^[ \t]/d}' "$R/msg")"
expect_eq "the signature verifies" "dkim=pass" "$(verify "$R/msg")"
expect_eq "QMAILREMOTE unset for the next qmail-remote" unset "$(cat "$R/qr")"
printf 'r\0r\0Kok\0' | cmp -s - "$T/out"
expect_eq "fd 1 and 2 hold exactly the next qmail-remote's report" 0 $?

# --- bounces ------------------------------------------------------------------------
ar "$T/bounce" mx.example.net "" a@example.net
expect_eq "bounce, no bouncehost, me (mx.example.com) without a key: passed on unsigned" "0 sent " \
    "$rc $(sent) $(dkim_d "$R/msg")"
echo bounce.example >"$C/bouncehost"
ar "$T/bounce" mx.example.net "" a@example.net
expect_eq "bounce (null sender): signed with d=bouncehost" "0 d=bounce.example" "$rc $(dkim_d "$R/msg")"
expect_eq "bounce: sender argument still empty" "$(printf 'mx.example.net\n\na@example.net')" "$(cat "$R/args")"
expect_eq "bounce: the signature verifies" "dkim=pass" "$(verify "$R/msg")"
ar "$T/bounce" mx.example.net "#@[]" a@example.net
expect_eq "double bounce (#@[]): signed with d=bouncehost" "d=bounce.example" "$(dkim_d "$R/msg")"
rm "$C/bouncehost"; echo bounce.example >"$C/me"
ar "$T/bounce" mx.example.net "" a@example.net
expect_eq "bounce, no bouncehost: d=me" "d=bounce.example" "$(dkim_d "$R/msg")"
ar "$T/msg" mx.example.net "" a@example.net
expect_eq "null sender, From domain ours: d=the From domain" "d=example.com" "$(dkim_d "$R/msg")"
ar "$T/bounce" mx.example.net a@example.com a@example.net
expect_eq "not a bounce, From domain not ours: passed on unsigned" "0 sent 0" "$rc $(sent) $(grep -c '^DKIM-Signature:' "$R/msg")"

# --- signed here already ------------------------------------------------------------
"$QAUTH_BIN/qmail-dkimsign" <"$T/msg" | { printf 'Received: (qmail 1 invoked from network); 2 Dec 2026 07:00:00 -0000\n'; cat; } >"$T/signed"
ar "$T/signed" mx.example.net a@example.com x@example.net
cmp -s "$T/signed" "$R/msg"
expect_eq "signed by the smtpd chain: passed on unchanged, one signature" "0 0 1" "$rc $? $(grep -c '^DKIM-Signature:' "$R/msg")"
{ printf 'Delivered-To: u@example.com\n'; cat "$T/signed"; } >"$T/fwd"
ar "$T/fwd" mx.example.net a@example.com x@example.net
expect_eq "a forward of it (Delivered-To on top): signed again for this hop" "2" "$(grep -c '^DKIM-Signature:' "$R/msg")"

# --- the chain file and the variables ------------------------------------------------
mkdir -p "$C/authremote"; printf '%s\n' "$F/vars" "qmail-dkimsign" >"$C/authremote/chain"
ar "$T/msg" mx.example.net a@example.com x@example.net y@example.net
expect_eq "authremote/chain: the filters' SENDER and RECIPIENT" "SENDER=a@example.com RECIPIENT=x@example.net d=example.com" \
    "$(grep '^SENDER=' "$R/fvars") $(grep '^RECIPIENT=' "$R/fvars") $(dkim_d "$R/msg")"
expect_eq "QMAILREMOTE unset for the filters" "" "$(grep '^QMAILREMOTE=' "$R/fvars")"
expect_eq "a filter's warning on stderr does not reach the report" "$(printf 'r r Kok ')" "$(tr '\0' ' ' <"$T/out")"
rm "$C/authremote/chain"

# --- failures: the temporary report, nothing sent ------------------------------------
# tmp_ok NAME REASON: stdout is exactly qmail-remote's Z report for REASON, exit 0, nothing sent.
tmp_ok() {
    expect_eq "$1: exit 0, nothing sent" "0 not sent" "$rc $(sent)"
    printf 'Zqmail-authremote: %s. (#4.3.0)\n\0' "$2" | cmp -s - "$T/out"
    expect_eq "$1: exactly the temporary report on fd 1" "0" "$?" "got: $(od -c "$T/out" | head -3)"
}
printf '%s\n' "$F/fail" >"$C/authremote/chain"
ar "$T/msg" mx.example.net a@example.com x@example.net y@example.net
tmp_ok "a filter exits 1" "fail: no luck"
printf '%s\n' "$F/crash" >"$C/authremote/chain"
ar "$T/msg" mx.example.net a@example.com x@example.net
tmp_ok "a filter crashes" "crash was killed by signal 11"
mkdir -p "$C/authqueue"; echo 1 >"$C/authqueue/timeout"
printf '%s\n' "$F/hang" >"$C/authremote/chain"
ar "$T/msg" mx.example.net a@example.com x@example.net
tmp_ok "a filter hangs past authqueue/timeout" "hang timed out after 1 s"
expect_eq "... and its process group is gone" "" "$(pgrep -f "sleep 31[.]4159" || true)"
rm "$C/authqueue/timeout" "$C/authremote/chain"
echo "$T/no-such-spool" >"$C/authqueue/spooldir"
ar "$T/msg" mx.example.net a@example.com x@example.net
expect_eq "the spool directory missing: temporary, nothing sent" "0 not sent Z" "$rc $(sent) $(head -c1 "$T/out")"
rm "$C/authqueue/spooldir"
: >"$C/authremote/chain"
ar "$T/msg" mx.example.net a@example.com x@example.net
cmp -s "$T/msg" "$R/msg"
expect_eq "an empty authremote/chain: passed on unchanged" "0 0" "$rc $?"
rm "$C/authremote/chain"
AUTHREMOTE_NEXT=$T/missing ar "$T/msg" mx.example.net a@example.com x@example.net
tmp_ok "the next qmail-remote missing" "cannot run $T/missing: No such file or directory"
ar "$T/msg" mx.example.net a@example.com
tmp_ok "no recipient" "invoked improperly: usage: qmail-authremote host sender recip"
chmod 644 "$C/domainkeys/example.com/s1"
ar "$T/msg" mx.example.net a@example.com x@example.net
expect_eq "a world-readable key: qmail-dkimsign refuses, nothing sent" "0 not sent Z" "$rc $(sent) $(head -c1 "$T/out")"
chmod 600 "$C/domainkeys/example.com/s1"
QMAIL_CONTROL=$T/nowhere ar "$T/msg" mx.example.net a@example.com x@example.net
expect_eq "no control directory: temporary, nothing sent" "0 not sent Z" "$rc $(sent) $(head -c1 "$T/out")"

# --- start-up: it runs for every remote delivery and needs no crypto itself
expect_eq "qmail-authremote loads no crypto or DNS library" "" \
    "$(ldd "$AR" | grep -oE 'lib(crypto|ssl|sodium|ldns)[^ ]*' | tr '\n' ' ')"
