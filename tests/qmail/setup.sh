# scripts/qmail-setup run as root on the REAL notqmail home (tests/lib-qmail.sh),
# and the three flows through what it wrote, unchanged but for one thing:
# the incoming chain gets --dns-zone (offline DNS) at the end of each line.
#   - the users and groups: the key group made, qmailr in it (qmail-start
#     gives qmailr its groups), domainkeys qmaild:GROUP 0750, srs_secrets
#     alias:FORWARD-GROUP 0640, users/assign's +alias-srs- line for the SRS
#     domain (the harness has a +: catch-all), and a second run changes
#     nothing, also after dkimkeygen made a key there;
#   - users/assign as admins have it: the wildcard that wins for alias-srs-
#     (longer, another user's, behind a second '.') gets the line or a warning;
#   - incoming: qmail-smtpd under tcpserver with the rules cdb qmail-setup
#     built (127.0.0.1 outside --relay-net 10.): a DKIM-signed SPF-pass
#     message reaches the Maildir with Received-SPF and spf, dkim and dmarc
#     pass; a remote recipient is refused there (no RELAYCLIENT);
#   - outgoing: the submission rules (RELAYCLIENT): the message leaves
#     signed by the outgoing chain as qmaild, and dkimpy verifies it; the
#     signer as qmailr with its groups reads the key too (qmail-authremote);
#   - forwarding: |srsfilter forward (a user's .qmail) sends the copy with
#     the SRS sender; a bounce to it goes through virtualdomains and the
#     .qmail-srs-default qmail-setup wrote back to the original sender; a
#     forged SRS address is a failed delivery.
. "$(dirname "$0")/../lib.sh"
: "${T:?lib.sh did not load}"
. "$TOP/tests/lib-qmail.sh"

qmail_setup || exit 0
CTL=$QMH_HOME/control
KG=qauthtestkeys                 # the key group (not a real system's dkim group)
D=$QMH_HOME/setuptest            # what qmaild must read
rm -rf "$D"; mkdir -p "$D"; chmod 755 "$D"
cp -a "$CTL" "$T/control.saved"; cp -a "$QMH_HOME/users" "$T/users.saved"
PIDS=()
cleanup_setup() {
    local p
    for p in "${PIDS[@]}"; do kill -- "-$p" 2>/dev/null; done
    pkill -f "tcpserver .*-x $D/tcp\." 2>/dev/null  # setsid may have forked: by its rules file
    rm -rf "$CTL" "$QMH_HOME/users" "$D" "$QMH_HOME/bin/qmail-authqueue" "$QMH_HOME/bin/qmail-authremote"
    cp -a "$T/control.saved" "$CTL"; cp -a "$T/users.saved" "$QMH_HOME/users"
    gpasswd -d qmailr "$KG" >/dev/null 2>&1; groupdel "$KG" >/dev/null 2>&1
    true
}
at_exit cleanup_setup

setup() { "$TOP/scripts/qmail-setup" --qmail-home "$QMH_HOME" --bindir "$QAUTH_BIN" --smtp-rules "$D/tcp.smtp" \
    --relay-net 10. --submission-rules "$D/tcp.sub" --srs-domain srs.test --forward-group qmtest --send-rc none \
    --key-group "$KG" >"$T/out" 2>"$T/err"; }
expect_status "qmail-setup as root: exit 0" 0 setup
[ -s "$T/err" ] && not_ok "qmail-setup as root: no warning" "$(cat "$T/err")"
expect_match "the key group is made" "^$KG:" "$(getent group "$KG")"
expect_match "qmailr is in the key group" "(^| )$KG( |\$)" "$(id -nG qmailr)"
expect_eq "domainkeys: qmaild:$KG 750" "qmaild:$KG 750" "$(stat -c '%U:%G %a' "$CTL/domainkeys")"
expect_eq "srs_secrets: alias:qmtest 640" "alias:qmtest 640" "$(stat -c '%U:%G %a' "$CTL/srs_secrets")"
ua=$(id -u alias); ga=$(id -g alias)
expect_eq "users/assign: +alias-srs- before the final line" "+alias-srs-:alias:$ua:$ga:$QMH_HOME/alias:-:srs-:|." \
    "$(tail -n 2 "$QMH_HOME/users/assign" | tr '\n' '|' | sed 's/|$//')"
expect_eq "users/cdb rebuilt" yes "$([ "$QMH_HOME/users/cdb" -nt "$T/users.saved/cdb" ] && echo yes)"
"$QAUTH_BIN/dkimkeygen" --control-dir "$CTL" --type ed25519 --selector s1 good.example >"$D/keys.zone" 2>"$T/err" ||
    not_ok "dkimkeygen" "$(cat "$T/err")"
expect_eq "a new key: qmaild:$KG 640, from its directory" "qmaild:$KG 640" "$(stat -c '%U:%G %a' "$CTL/domainkeys/good.example/s1")"
expect_status "second run: exit 0" 0 setup
expect_match "second run: nothing to change" '^qmail-setup: nothing to change$' "$(cat "$T/out")"

# users/assign as the admin may have it (files only, on a scratch tree; the
# user alias is the harness's): the wildcard that wins for alias-srs-.
A=$D/assign-tree
# (the real qmail-newu works on the home it was built for: a stand-in)
newu_stub() { printf '#!/bin/sh\ntouch users/cdb\n' >"$A/bin/qmail-newu"; chmod 755 "$A/bin/qmail-newu"; }
assign_case() {  # NAME ASSIGN-LINES: users/assign after qmail-setup, '|'-joined
    rm -rf "$A"; mkdir -p "$A/control" "$A/bin" "$A/users" "$A/alias"
    newu_stub; printf '%s\n' "$@" >"$A/users/assign"
    "$TOP/scripts/qmail-setup" --qmail-home "$A" --bindir "$QAUTH_BIN" --smtp-rules none --send-rc none \
        --srs-domain srs.test --no-users >"$T/out" 2>"$T/err" || echo "exit $?"
    tr '\n' '|' <"$A/users/assign" | sed 's/|$//'
}
ours="+alias-srs-:alias:$ua:$ga:$A/alias:-:srs-:"
expect_eq "users/assign: a longer wildcard +alias-s to joe gets alias-srs- its own line" \
    "+alias-s:joe:1:1:/home/joe:-::|$ours|." "$(assign_case '+alias-s:joe:1:1:/home/joe:-::' .)"
expect_eq "users/assign: +alias- to joe: alias-srs- its own line, with a note" \
    "+alias-:joe:1:1:/home/joe:-::|$ours|." "$(assign_case '+alias-:joe:1:1:/home/joe:-::' .)"
expect_match "users/assign: +alias- to joe: the note" "\+alias-:joe\.\.\. catches alias-srs-: it gets its own line" "$(cat "$T/out")"
expect_eq "users/assign: two '.' lines: the line once, before the first" \
    "+:nobody:2:2:/x:-::|$ours|.|." "$(assign_case '+:nobody:2:2:/x:-::' . .)"
expect_eq "users/assign: +alias-srs- to joe: left as it is" "+alias-srs-:joe:1:1:/home/joe:-::|." \
    "$(assign_case '+alias-srs-:joe:1:1:/home/joe:-::' .)"
expect_match "users/assign: +alias-srs- to joe: the warning" "\+alias-srs- is not ~alias/\.qmail-srs-: left as it is" "$(cat "$T/err")"
expect_eq "users/assign: +alias- to alias (an earlier run's line): kept" "+:nobody:2:2:/x:-::|+alias-:alias:$ua:$ga:$A/alias:-::|." \
    "$(assign_case '+:nobody:2:2:/x:-::' "+alias-:alias:$ua:$ga:$A/alias:-::" .)"
expect_eq "users/assign: a wildcard behind the '.' is not read" "=x:x:1:1:/x:::|.|+:nobody:2:2:/x:-::" \
    "$(assign_case '=x:x:1:1:/x:::' . '+:nobody:2:2:/x:-::')"
# A qmail-newu that failed is run again by the next run (users/cdb older than assign).
assign_case '+:nobody:2:2:/x:-::' . >/dev/null
# (dated apart: two writes within one kernel clock tick share an mtime)
printf '#!/bin/sh\nexit 1\n' >"$A/bin/qmail-newu"
touch -d '2 minutes ago' "$A/users/cdb"; touch -d '1 minute ago' "$A/users/assign"
"$TOP/scripts/qmail-setup" --qmail-home "$A" --bindir "$QAUTH_BIN" --smtp-rules none --send-rc none \
    --srs-domain srs.test --no-users >"$T/out" 2>"$T/err"
expect_eq "users/assign: a failed qmail-newu is 111" 111 "$?"
newu_stub
"$TOP/scripts/qmail-setup" --qmail-home "$A" --bindir "$QAUTH_BIN" --smtp-rules none --send-rc none \
    --srs-domain srs.test --no-users >"$T/out" 2>"$T/err"
expect_eq "users/assign: the next run runs qmail-newu again" "yes" "$([ "$A/users/cdb" -nt "$A/users/assign" ] && grep -q 'run: .*qmail-newu' "$T/out" && echo yes)"
"$TOP/scripts/qmail-setup" --qmail-home "$A" --bindir "$QAUTH_BIN" --smtp-rules none --send-rc none \
    --srs-domain srs.test --no-users >"$T/out" 2>"$T/err"
expect_eq "users/assign: and the one after it not" "" "$(grep 'qmail-newu' "$T/out")"
rm -rf "$A"

# The only change to what qmail-setup wrote: DNS from a zone file.
Z=$D/dns.zone
cat "$D/keys.zone" - >"$Z" <<'ZONE'
good.example.           IN TXT "v=spf1 ip4:127.0.0.1 -all"
_dmarc.good.example.    IN TXT "v=DMARC1; p=reject"
ZONE
chmod 644 "$Z"
sed -i "s|\$| --dns-zone $Z|" "$CTL/authqueue/incoming"
if qmail_start; then ok "qmail-send started (it reads virtualdomains)"; else not_ok "qmail-send started"; exit 1; fi

# tcpserver RULES: qmail-smtpd as the harness runs it, with the rules cdb
# qmail-setup built; prints the port.
tcpserver_with() {
    local p log
    for p in $(seq 2601 2700); do
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && continue
        log=$T/tcpserver-$p.log
        (cd "$QMH_HOME" && exec setsid env - PATH="$QMH_BIN:/usr/bin:/bin" tcpserver -v -R -H -l "$QMH_ME" \
            -x "$1.cdb" -u "$(id -u qmaild)" -g "$(id -g qmaild)" 127.0.0.1 "$p" "$QMH_BIN/qmail-smtpd" \
            </dev/null >"$log" 2>&1) &
        PIDS+=($!)
        for _ in $(seq 100); do grep -q 'status: 0/' "$log" 2>/dev/null && { echo "$p"; return 0; }; sleep 0.05; done
        grep -q 'unable to bind' "$log" || { cat "$log" >&2; return 1; }
    done
    return 1
}
smtp() { qmh smtp "$1" "$2" "$3" "$4" >"$T/dialogue" 2>&1; }
reply() { grep -E '^<- [245][0-9][0-9] ' "$T/dialogue" | sed -n '$!p' | tail -n1 | sed 's/^<- //'; }

# --- incoming ----------------------------------------------------------------------
IN=$(tcpserver_with "$D/tcp.smtp") || not_ok "tcpserver with tcp.smtp.cdb" "$(cat "$T"/tcpserver-*.log)"
printf 'From: Alice <alice@good.example>\nTo: qmtest@qauth.test\nSubject: in\nDate: Tue, 1 Dec 2026 10:00:00 +0000\n\nHello.\n' >"$T/plain"
"$QAUTH_BIN/qmail-dkimsign" --control-dir "$CTL" --selector s1 <"$T/plain" >"$T/signed"
smtp "$IN" alice@good.example qmtest@qauth.test "$T/signed"
expect_eq "incoming: accepted (250)" "0 250" "$? $(reply | cut -c1-3)"
if f=$(qmail_wait_maildir "$QMH_MAILDIR" 1 15 2>"$T/err"); then
    ar=$(awk '/^$/{exit} /^[ \t]/{sub(/^[ \t]+/, " "); s=s $0; next} {if (s != "") print s; s=$0} END{print s}' "$f")
    expect_match "incoming: Received-SPF: pass" '^Received-SPF: pass ' "$ar"
    expect_match "incoming: spf=pass" "^Authentication-Results: $QMH_ME; spf=pass" "$ar"
    expect_match "incoming: dkim=pass" "^Authentication-Results: $QMH_ME; dkim=pass header.d=good.example" "$ar"
    expect_match "incoming: dmarc=pass" "^Authentication-Results: $QMH_ME; dmarc=pass" "$ar"
else
    not_ok "incoming: delivered to the Maildir" "$(cat "$T/err")"
fi
smtp "$IN" alice@good.example someone@remote.example "$T/signed"
expect_match "incoming: no relaying (no RELAYCLIENT for 127.0.0.1 outside 10.)" '^553 ' "$(grep -E '^<- 553 ' "$T/dialogue" | sed 's/^<- //')"

# --- outgoing ----------------------------------------------------------------------
SUB=$(tcpserver_with "$D/tcp.sub") || not_ok "tcpserver with tcp.sub.cdb" "$(cat "$T"/tcpserver-*.log)"
printf 'From: Alice <alice@good.example>\nTo: rcpt@remote.example\nSubject: out\nDate: Tue, 1 Dec 2026 10:00:00 +0000\n\nGoing out.\n' >"$T/out.eml"
smtp "$SUB" alice@good.example rcpt@remote.example "$T/out.eml"
expect_eq "submission: relayed (250)" "0 250" "$? $(reply | cut -c1-3)"
if d=$(qmail_wait_remote rcpt@remote.example 15 2>"$T/err"); then
    expect_eq "submission: one DKIM-Signature, d=good.example" "1 good.example" \
        "$(grep -c '^DKIM-Signature:' "$d/message") $(grep -o 'd=good\.example' "$d/message" | head -1 | cut -c3-)"
    if /usr/bin/python3 -c 'import dkim' 2>/dev/null; then
        expect_match "submission: dkimpy passes it" ' pass$' "$(/usr/bin/python3 "$TOP/tests/interop/dkimpy-verify.py" "$Z" "$d/message")"
    else
        skip "submission: dkimpy passes it" "no python3-dkim"
    fi
else
    not_ok "submission: reached the remote stand-in" "$(cat "$T/err")"
fi
expect_match "qmailr with its groups signs (qmail-authremote's signer reads the key)" '^DKIM-Signature:' \
    "$(setpriv --reuid=qmailr --regid=qmail --init-groups "$QAUTH_BIN/qmail-dkimsign" --control-dir "$CTL" <"$T/plain" 2>&1 | head -n1)"

# --- forwarding ---------------------------------------------------------------------
qmail_dot qmtest-fwd "|$QAUTH_BIN/srsfilter --control-dir $CTL --home $QMH_HOME forward --stop fwd@remote.example" >/dev/null
printf 'From: Bob <bob@remote.example>\nTo: qmtest-fwd@qauth.test\nSubject: fwd\n\nforward me\n' >"$T/fwd"
"$QQ_CLIENT" --home "$QMH_HOME" bob@remote.example qmtest-fwd@qauth.test <"$T/fwd" >/dev/null 2>&1
srs=
if d=$(qmail_wait_remote fwd@remote.example 15 2>"$T/err"); then
    srs=$(qmail_remote_sender "$d")
    expect_match "forward: the SRS sender at srs.test" '^SRS0=[A-Za-z0-9+/]{4}=[A-Z2-7]{2}=remote\.example=bob@srs\.test$' "$srs"
else
    not_ok "forward: reached the remote stand-in" "$(cat "$T/err")"
fi
if [ -n "$srs" ]; then
    printf 'From: MAILER-DAEMON@remote.example\nTo: %s\nSubject: failure notice\n\nbounced\n' "$srs" >"$T/bounce"
    "$QQ_CLIENT" --home "$QMH_HOME" '' "$srs" <"$T/bounce" >/dev/null 2>&1
    if d=$(qmail_wait_remote bob@remote.example 15 2>"$T/err"); then
        expect_eq "bounce to the SRS address: back to the original sender, from <>" "" "$(qmail_remote_sender "$d")"
        # Compared as a string: the SRS hash is base64 and may hold '+'.
        expect_eq "bounce: delivered through alias-srs (virtualdomains)" "Delivered-To: alias-srs-$srs" "$(grep -m1 '^Delivered-To:' "$d/message")"
    else
        not_ok "bounce to the SRS address: reached the original sender" "$(cat "$T/err")"
    fi
fi
"$QQ_CLIENT" --home "$QMH_HOME" '' 'SRS0=AAAA=AB=remote.example=eve@srs.test' <"$T/bounce" >/dev/null 2>&1
expect_status "a forged SRS address: a failed delivery" 0 qmh wait-log "$QMH_HOME" 'failure: .*SRS' 15
