# qmail-authqueue as QMAILQUEUE of the REAL notqmail qmail-smtpd under
# tcpserver (tests/lib-qmail.sh), with the incoming chain spfcheck,
# dkimverify, dmarccheck answering DNS from a zone file: an SPF-pass,
# DKIM-signed message (qmail-dkimsign, a key from dkimkeygen) reaches the
# Maildir with Received-SPF and the three Authentication-Results, envelope
# unchanged; a DMARC p=reject failure and an SPF fail under spfbehavior 3
# get 554 with our 5.7.1 reason (fd 6), a DNS timeout 451; nothing is queued
# then. Fault injection behind it: the next qmail-queue missing, killed,
# exiting 53; a filter crashing or hanging past the timeout; the spool disk
# full: always 451, nothing half-queued.
. "$(dirname "$0")/../lib.sh"
: "${T:?lib.sh did not load}"
. "$TOP/tests/lib-qmail.sh"

qmail_setup || exit 0
if qmail_start; then ok "qmail-send started in $QMH_HOME"; else not_ok "qmail-send started"; exit 1; fi
AQ=$QAUTH_BIN/qmail-authqueue
CTL=$QMH_HOME/control
D=$QMH_HOME/aqtest            # what qmaild (qmail-smtpd's user) must read or run
rm -rf "$D"; mkdir -p "$D" "$CTL/authqueue"; chmod 755 "$D" "$CTL/authqueue"  # the harness resets control/* to 0644
Z=$D/dns.zone

# --- keys, DNS, the chain -----------------------------------------------------------
S=$T/signctl; mkdir -p "$S"
"$QAUTH_BIN/dkimkeygen" --control-dir "$S" --type ed25519 --selector s1 good.example >"$D/keys.zone" 2>"$T/err" ||
    not_ok "dkimkeygen" "$(cat "$T/err")"
cat "$D/keys.zone" - >"$Z" <<'ZONE'
good.example.           IN TXT "v=spf1 ip4:127.0.0.1 -all"
_dmarc.good.example.    IN TXT "v=DMARC1; p=reject"
other.example.          IN TXT "v=spf1 ip4:127.0.0.1 -all"
_dmarc.reject.example.  IN TXT "v=DMARC1; p=reject"
fail.example.           IN TXT "v=spf1 -all"
;qauth: tempfail slow.example
ZONE
chmod 644 "$Z" "$D/keys.zone"
chain() { printf '%s\n' "$@" >"$CTL/authqueue/incoming"; chmod 644 "$CTL/authqueue/incoming"; }
chain "$QAUTH_BIN/spfcheck --trust-received --dns-zone $Z" \
      "$QAUTH_BIN/dkimverify --dns-zone $Z" \
      "$QAUTH_BIN/dmarccheck --dns-zone $Z"
qmail_control spfbehavior 3
qmail_control dmarcreject 1
ME=$(cat "$CTL/me")

# smtpd_env NAME VALUE...: qmail-smtpd's environment (harness env/smtpd files);
# start_smtpd: (re)start it with QMAILQUEUE=qmail-authqueue. Sets PORT.
mkdir -p "$QMH_ENV_SMTPD"
smtpd_env() { printf '%s\n' "$2" >"$QMH_ENV_SMTPD/$1"; }
start_smtpd() {
    qmh start-smtpd "$QMH_HOME" auto "$AQ" >"$T/smtpd.out" 2>&1 || { not_ok "qmail-smtpd started" "$(cat "$T/smtpd.out")"; exit 1; }
    eval "$(qmh env "$QMH_HOME")"; PORT=$QMH_PORT
}
smtpd_env QMAIL_CONTROL "$CTL"
smtpd_env AUTHQUEUE_NEXT "$QMH_BIN/qmail-queue"
start_smtpd
ok "qmail-smtpd on 127.0.0.1:$PORT with QMAILQUEUE=$AQ"

# smtp FROM RCPT FILE: the SMTP dialogue in $T/dialogue; its status
smtp() { qmh smtp "$PORT" "$1" "$2" "$3" >"$T/dialogue" 2>&1; }
reply() { grep -E '^<- [245][0-9][0-9] ' "$T/dialogue" | sed -n '$!p' | tail -n1 | sed 's/^<- //'; }  # the reply to DATA's end
queued() { find "$QMH_HOME/queue/mess" -type f | wc -l; }
delivered() { find "$QMH_MAILDIR/new" -type f | wc -l; }

# --- SPF pass, DKIM signed: delivered with the results -----------------------------
printf 'From: Alice <alice@good.example>\nTo: qmtest@qauth.test\nSubject: signed\nDate: Tue, 1 Dec 2026 10:00:00 +0000\nMessage-ID: <1@good.example>\n\nHello from good.example.\n' >"$T/plain"
"$QAUTH_BIN/qmail-dkimsign" --control-dir "$S" --selector s1 <"$T/plain" >"$T/signed" 2>"$T/err" ||
    not_ok "qmail-dkimsign signs" "$(cat "$T/err")"
smtp alice@good.example qmtest@qauth.test "$T/signed"
expect_eq "signed, SPF-pass message: accepted (250)" "0 250" "$? $(reply | cut -c1-3)"
f=$(qmail_wait_maildir "$QMH_MAILDIR" 1 15 2>"$T/err") || not_ok "delivered to the Maildir" "$(cat "$T/err")"
if [ -n "$f" ]; then
    expect_eq "envelope unchanged: Return-Path and Delivered-To" "Return-Path: <alice@good.example>|Delivered-To: qmtest@qauth.test|" \
        "$(sed -n 1,2p "$f" | tr '\n' '|')"
    expect_match "Received-SPF: pass" '^Received-SPF: pass ' "$(grep '^Received-SPF:' "$f")"
    ar=$(awk '/^$/{exit} /^[ \t]/{sub(/^[ \t]+/, " "); s=s $0; next} {if (s != "") print s; s=$0} END{print s}' "$f" |
        grep '^Authentication-Results:')
    expect_eq "three Authentication-Results fields with our authserv-id" 3 "$(grep -c "^Authentication-Results: $ME;" <<<"$ar")"
    expect_match "spf=pass" 'spf=pass' "$ar"
    expect_match "dkim=pass header.d=good.example" 'dkim=pass header.d=good.example' "$ar"
    expect_match "dmarc=pass header.from=good.example" 'dmarc=pass.*header.from=good.example' "$ar"
    expect_match "qmail-queue's Received line below our fields: the real qmail-queue queued it" \
        '^Received: \(qmail [0-9]+ invoked from network\)' "$(grep '^Received: (qmail' "$f")"
    tail -n +2 "$T/signed" | cmp -s - <(tail -n "$(($(wc -l <"$T/signed") - 1))" "$f")
    expect_eq "the signed message below, byte for byte" 0 $?
fi
qmh wait-queue "$QMH_HOME" 15 >/dev/null 2>&1
base=$(delivered)

# refused WHAT FROM FILE WANT-REGEX: the reply to the message matches, and
# nothing is queued or delivered.
refused() {
    smtp "$2" qmtest@qauth.test "$3"
    expect_match "$1" "$4" "$(reply)"
    sleep 0.3
    expect_eq "$1: nothing queued or delivered" "0 $base" "$(queued) $(delivered)"
}

# --- DMARC p=reject, SPF fail, DNS timeout ---------------------------------------
printf 'From: CEO <ceo@reject.example>\nTo: qmtest@qauth.test\nSubject: pay now\n\nWire the money.\n' >"$T/forged"
refused "DMARC p=reject failure: 554 with our 5.7.1 reason" bob@other.example "$T/forged" '^554 5\.7\.1 .*DMARC'
printf 'From: x@fail.example\nTo: qmtest@qauth.test\nSubject: s\n\nx\n' >"$T/spffail"
refused "SPF fail under spfbehavior 3: 554 5.7.1 SPF fail" x@fail.example "$T/spffail" '^554 5\.7\.1 SPF fail'
printf 'From: x@slow.example\nTo: qmtest@qauth.test\nSubject: s\n\nx\n' >"$T/slow"
refused "DNS timeout: 451 with a 4.x.x reason" x@slow.example "$T/slow" '^451 4\.[0-9]+\.[0-9]+ '

# A real DNS timeout: a server address nothing answers on.
chain "$QAUTH_BIN/spfcheck --trust-received --dns-server 127.0.0.1@9 --dns-timeout 1"
refused "no DNS answer (closed port): 451" alice@good.example "$T/plain" '^451 '

# --- fault injection --------------------------------------------------------------
chain "$QAUTH_BIN/spfcheck --trust-received --dns-zone $Z"
cat >"$D/crash" <<'S'
#!/bin/sh
cat >/dev/null; kill -SEGV $$
S
cat >"$D/hang" <<'S'
#!/bin/sh
exec sleep 30
S
cat >"$D/next53" <<'S'
#!/bin/sh
cat >/dev/null; exit 53
S
cat >"$D/nextkill" <<'S'
#!/bin/sh
cat >/dev/null; kill -KILL $$
S
chmod 755 "$D"/crash "$D"/hang "$D"/next53 "$D"/nextkill
chain "$D/crash"
refused "a crashing filter: 451 with the reason" alice@good.example "$T/plain" '^451 4\.3\.0 crash was killed by signal 11'
qmail_control authqueue/timeout 1
chain "$D/hang"
refused "a filter hanging past the timeout: 451" alice@good.example "$T/plain" '^451 4\.3\.0 hang timed out after 1 s'
rm -f "$CTL/authqueue/timeout"
chain "$QAUTH_BIN/spfcheck --trust-received --dns-zone $Z"
for next in "$D/next53:53:451 qq write error or disk full" "$D/nextkill:killed:451 qq crashed" \
            "$D/nonexistent:missing:451 4\.3\.0 cannot run"; do
    smtpd_env AUTHQUEUE_NEXT "${next%%:*}"; start_smtpd
    w=${next#*:}
    refused "the next qmail-queue ${w%%:*}: ${w#*:}" alice@good.example "$T/plain" "^${w#*:}"
done
smtpd_env AUTHQUEUE_NEXT "$QMH_BIN/qmail-queue"
if mkdir -p "$D/tiny" && mount -t tmpfs -o size=64k,mode=1777 tmpfs "$D/tiny" 2>/dev/null; then
    _aq_umount() { umount "$D/tiny" 2>/dev/null; }
    at_exit _aq_umount
    qmail_control authqueue/spooldir "$D/tiny"
    start_smtpd
    { printf 'From: Alice <alice@good.example>\nTo: qmtest@qauth.test\nSubject: big\n\n'; head -c 200000 /dev/zero | tr '\0' 'x' | fold -w 76; } >"$T/big"
    refused "the spool disk full (64k tmpfs): 451" alice@good.example "$T/big" '^451 4\.3\.0 .*No space left on device'
    rm -f "$CTL/authqueue/spooldir"
    _aq_umount
else
    skip "the spool disk full" "cannot mount a tmpfs here"
fi

# --- and after all that, mail flows again -----------------------------------------
start_smtpd
smtp alice@good.example qmtest@qauth.test "$T/plain"
expect_eq "afterwards a message is accepted again" "0 250" "$? $(reply | cut -c1-3)"
f=$(qmail_wait_maildir "$QMH_MAILDIR" $((base + 1)) 15 2>"$T/err") || not_ok "... and delivered" "$(cat "$T/err")"

# --- the outgoing chain: qmail-inject with QMAILQUEUE, and relay clients ------------
cp -r "$S/domainkeys" "$CTL/" && chown -R qmaild "$CTL/domainkeys" && chmod 755 "$CTL/domainkeys" "$CTL/domainkeys/good.example"
printf '%s\n' "$QAUTH_BIN/qmail-dkimsign" >"$CTL/authqueue/outgoing"; chmod 644 "$CTL/authqueue/outgoing"
chain "$QAUTH_BIN/spfcheck --trust-received --dns-zone $Z"
# signed_ok WHAT FILE: FILE (a Maildir copy) has a DKIM-Signature that our
# dkimverify and dkimpy both verify.
signed_ok() {
    expect_match "$1: signed by qmail-dkimsign (d=good.example)" 'd=good\.example' "$(grep -A3 '^DKIM-Signature:' "$2")"
    expect_eq "$1: dkimverify passes it" pass "$("$QAUTH_BIN/dkimverify" --control-dir "$CTL" --dns-zone "$Z" <"$2" | tee "$T/v" >/dev/null; dkim_results "$T/v")"
    if /usr/bin/python3 -c 'import dkim' 2>/dev/null; then
        expect_match "$1: dkimpy passes it" ' pass$' "$(/usr/bin/python3 "$TOP/tests/interop/dkimpy-verify.py" "$Z" "$2")"
    else
        skip "$1: dkimpy passes it" "no python3-dkim"
    fi
}
n=$(delivered)
printf 'From: Alice <alice@good.example>\nTo: qmtest@qauth.test\nSubject: injected\n\nLocal mail.\n' |
    (unset TCPREMOTEIP; export QMAILQUEUE=$AQ QMAIL_CONTROL=$CTL AUTHQUEUE_NEXT=$QMH_BIN/qmail-queue
     qmh inject "$QMH_HOME" -f alice@good.example qmtest@qauth.test) 2>"$T/err"
expect_eq "qmail-inject with QMAILQUEUE=qmail-authqueue: accepted" 0 $?
f=$(qmail_wait_maildir "$QMH_MAILDIR" $((n + 1)) 15 2>"$T/err") || not_ok "injected message delivered" "$(cat "$T/err")"
[ -n "$f" ] && signed_ok "qmail-inject (no TCPREMOTEIP: the outgoing chain)" "$f"
n=$(delivered)
QMH_RELAYCLIENT= start_smtpd
printf 'From: Alice <alice@good.example>\nTo: qmtest@qauth.test\nSubject: relayed\nMessage-ID: <2@good.example>\n\nSubmitted.\n' >"$T/relay"
smtp alice@good.example qmtest@qauth.test "$T/relay"
expect_eq "relay client (RELAYCLIENT): accepted" "0 250" "$? $(reply | cut -c1-3)"
f=$(qmail_wait_maildir "$QMH_MAILDIR" $((n + 1)) 15 2>"$T/err") || not_ok "relayed message delivered" "$(cat "$T/err")"
if [ -n "$f" ]; then
    signed_ok "relay client over SMTP (the outgoing chain)" "$f"
    expect_eq "relay client: the incoming chain did not run (no Received-SPF)" 0 "$(grep -c '^Received-SPF:' "$f")"
fi
rm -rf "$CTL/authqueue" "$CTL/domainkeys" "$CTL/spfbehavior" "$CTL/dmarcreject"
