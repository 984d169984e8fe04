#!/usr/bin/env bash
# scripts/qmail-setup on a qmail tree of its own (files only, --no-users;
# the run with users, groups and a real qmail is tests/qmail/setup.sh):
# --dry-run lists every change and changes nothing; a run writes exactly
# the expected files (chains, switches, tcprules lines and their cdb,
# QMAILREMOTE in qmail-send's rc, never QMAILQUEUE there; the SRS domain's
# rcpthosts, virtualdomains and .qmail-srs-default lines), backs up each
# file it changes once; a second run changes nothing; what is in place
# (a chain, a value, another QMAILQUEUE) is kept; bad usage exits 111.
. "$(dirname "$0")/../lib.sh"

SETUP=$TOP/scripts/qmail-setup
B=$QAUTH_BIN
Q=$T/q
CTL=$Q/control
AQ=$Q/bin/qmail-authqueue
# the environment the rules give a qmail home other than /var/qmail
QENV=",QMAIL_CONTROL=\"$CTL\",AUTHQUEUE_NEXT=\"$Q/bin/qmail-queue\""

fresh_tree() {
    rm -rf "$Q" "$T"/tcp.*
    mkdir -p "$CTL" "$Q/bin" "$Q/alias" "$Q/users"
    echo mx.test >"$CTL/me"
    printf 'mx.test\nqauth.test\n' >"$CTL/rcpthosts"
    printf '#!/bin/sh\n\nexec env - PATH="%s/bin:$PATH" \\\nqmail-start ./Maildir/ splogger qmail\n' "$Q" >"$Q/rc"
    chmod 755 "$Q/rc"
    printf '127.:allow,RELAYCLIENT=""\n10.1.:deny\n# a comment\n:allow\n' >"$T/tcp.smtp"
}
setup() { "$SETUP" --qmail-home "$Q" --bindir "$B" --smtp-rules "$T/tcp.smtp" --submission-rules "$T/tcp.sub" \
    --srs-domain SRS.test --no-users "$@" >"$T/out" 2>"$T/err"; }
# listing of the tree: path, type, mode, content hash
snapshot() { (cd "$T" && find q tcp.* -printf '%p %y %m %l\n' 2>/dev/null | sort; find q tcp.* -type f -exec md5sum {} + 2>/dev/null | sort); }

# --- usage ------------------------------------------------------------------------
expect_status "--help exits 0" 0 "$SETUP" --help
expect_match "--help names --dry-run" '--dry-run' "$(cat "$T/out")"
fresh_tree
expect_status "an unknown argument: 111" 111 "$SETUP" --bogus
expect_status "no qmail home: 111" 111 "$SETUP" --qmail-home "$T/nothing" --bindir "$B"
expect_match "no qmail home: says which" "$T/nothing/control is not a directory" "$(cat "$T/err")"
expect_status "a relative --bindir: 111" 111 "$SETUP" --qmail-home "$Q" --bindir build/bin
expect_status "a --bindir without the programs: 111" 111 "$SETUP" --qmail-home "$Q" --bindir /usr
expect_status "a bad --relay-net: 111" 111 "$SETUP" --qmail-home "$Q" --bindir "$B" --relay-net '1.2:allow'
expect_status "a bad --srs-domain: 111" 111 "$SETUP" --qmail-home "$Q" --bindir "$B" --srs-domain 'a..b'
expect_status "--srs-domain without a value: 111" 111 "$SETUP" --qmail-home "$Q" --bindir "$B" --srs-domain
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    chmod 755 "$T"
    expect_status "groups and owners without root: 111" 111 \
        setpriv --reuid=65534 --regid=65534 --clear-groups "$SETUP" --qmail-home "$Q" --bindir "$B" --smtp-rules none
    expect_match "without root: says so" 'need root \(or --no-users\)' "$(cat "$T/err")"
fi

# --- --dry-run: every change shown, nothing changed --------------------------------
before=$(snapshot)
expect_status "--dry-run: exit 0" 0 setup --dry-run
expect_eq "--dry-run: nothing changed" "$before" "$(snapshot)"
out=$(cat "$T/out")
for f in control/authqueue/incoming control/authqueue/outgoing control/authremote/chain control/dkimsign \
         control/dkimverify control/dmarc control/spfbehavior control/srs_domain control/rcpthosts \
         control/virtualdomains alias/.qmail-srs-default rc; do
    expect_match "--dry-run shows $f" "would write $Q/$f" "$out"
done
expect_match "--dry-run shows the rules change as a diff" "^\+:allow,QMAILQUEUE=\"$AQ\"" "$out"
expect_match "--dry-run shows the cdb rebuild" "would run: .*tcprules $T/tcp.smtp" "$out"
expect_match "--dry-run shows the links" "would run: ln -s $B/qmail-authqueue $AQ" "$out"
expect_match "--dry-run never shows the new secret" 'srs_secrets \(mode 0600; a new random secret, not shown\)' "$out"
expect_eq "--dry-run: no diff of srs_secrets" "" "$(grep -A3 'srs_secrets' "$T/out" | grep '^+[^+]')"
expect_match "--dry-run: counts the changes" '21 changes \(dry run: nothing changed\)' "$out"

# --- the run --------------------------------------------------------------------
expect_status "the run: exit 0" 0 setup
expect_match "the run: counts the changes" '21 changes made' "$(cat "$T/out")"
expect_eq "authqueue/incoming: the incoming chain" \
    "$B/spfcheck --trust-received
$B/dkimverify
$B/dmarccheck" "$(cat "$CTL/authqueue/incoming")"
expect_eq "authqueue/outgoing: the signer" "$B/qmail-dkimsign" "$(cat "$CTL/authqueue/outgoing")"
expect_eq "authremote/chain: the signer" "$B/qmail-dkimsign" "$(cat "$CTL/authremote/chain")"
expect_eq "the switches at their defaults" "1 1 1 1" "$(cat "$CTL/dkimsign" "$CTL/dkimverify" "$CTL/dmarc" "$CTL/spfbehavior" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "authqueue/ and authremote/ are mode 755 (qmaild reads them)" "755 755" "$(stat -c %a "$CTL/authqueue" "$CTL/authremote" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "the wrappers are linked into qmail's bin" "$B/qmail-authqueue $B/qmail-authremote" \
    "$(readlink "$AQ") $(readlink "$Q/bin/qmail-authremote")"
expect_eq "tcp.smtp: QMAILQUEUE on every allow line, deny and comments as they were" \
    "127.:allow,RELAYCLIENT=\"\",QMAILQUEUE=\"$AQ\"$QENV
10.1.:deny
# a comment
:allow,QMAILQUEUE=\"$AQ\"$QENV" "$(cat "$T/tcp.smtp")"
expect_eq "tcp.smtp: the original is backed up" \
    "$(printf '127.:allow,RELAYCLIENT=""\n10.1.:deny\n# a comment\n:allow')" "$(cat "$T"/tcp.smtp.qauth-*)"
expect_eq "a new submission rules file: every client relays" \
    "# submission: every client relays, so this port must take authenticated clients only
:allow,RELAYCLIENT=\"\",QMAILQUEUE=\"$AQ\"$QENV" "$(cat "$T/tcp.sub")"
if command -v tcprulescheck >/dev/null; then
    expect_eq "tcp.smtp.cdb: a relay client gets RELAYCLIENT and the wrapper" \
        "rule 127.:
set environment variable RELAYCLIENT=
set environment variable QMAILQUEUE=$AQ
set environment variable QMAIL_CONTROL=$CTL
set environment variable AUTHQUEUE_NEXT=$Q/bin/qmail-queue
allow connection" "$(TCPREMOTEIP=127.0.0.1 tcprulescheck "$T/tcp.smtp.cdb")"
    expect_eq "tcp.smtp.cdb: a remote client gets the wrapper only" \
        "rule :
set environment variable QMAILQUEUE=$AQ
set environment variable QMAIL_CONTROL=$CTL
set environment variable AUTHQUEUE_NEXT=$Q/bin/qmail-queue
allow connection" "$(TCPREMOTEIP=192.0.2.1 tcprulescheck "$T/tcp.smtp.cdb")"
    expect_eq "tcp.smtp.cdb: a denied network stays denied" "rule 10.1.:
deny connection" "$(TCPREMOTEIP=10.1.2.3 tcprulescheck "$T/tcp.smtp.cdb")"
    expect_match "tcp.sub.cdb: a remote client relays" 'RELAYCLIENT=' "$(TCPREMOTEIP=192.0.2.1 tcprulescheck "$T/tcp.sub.cdb")"
else
    not_ok "tcprulescheck is installed (ucspi-tcp: scripts/install-deps)"
fi
expect_eq "rc: QMAILREMOTE inside qmail's env - (it clears the environment)" \
    "exec env - QMAIL_CONTROL=$CTL AUTHREMOTE_NEXT=$Q/bin/qmail-remote QMAILREMOTE=$Q/bin/qmail-authremote PATH=\"$Q/bin:\$PATH\" \\" \
    "$(sed -n 3p "$Q/rc")"
# qmail-start as rc starts it: a stand-in that prints its environment
mkdir -p "$T/stub"; printf '#!/bin/sh\nenv | sort\n' >"$T/stub/qmail-start"; chmod 755 "$T/stub/qmail-start"
env_out=$(PATH="$T/stub:$PATH" QMAILQUEUE=/leaked sh "$Q/rc")
expect_match "rc: qmail-send gets QMAILREMOTE" "^QMAILREMOTE=$Q/bin/qmail-authremote\$" "$env_out"
expect_eq "rc: qmail-send never gets QMAILQUEUE" "" "$(printf '%s\n' "$env_out" | grep '^QMAILQUEUE=')"
expect_eq "rc: mode and backup kept" "755 yes" "$(stat -c %a "$Q/rc") $(cmp -s "$Q"/rc.qauth-* <(printf '#!/bin/sh\n\nexec env - PATH="%s/bin:$PATH" \\\nqmail-start ./Maildir/ splogger qmail\n' "$Q") && echo yes)"
expect_eq "srs_domain: lower case" "srs.test" "$(cat "$CTL/srs_domain")"
expect_match "srs_secrets: a random secret" '^[A-Za-z0-9+/]{32}$' "$(cat "$CTL/srs_secrets")"
expect_eq "srs_secrets: mode 600 without --no-users's chown" "600" "$(stat -c %a "$CTL/srs_secrets")"
expect_eq "rcpthosts: the SRS domain added" "$(printf 'mx.test\nqauth.test\nsrs.test')" "$(cat "$CTL/rcpthosts")"
expect_eq "virtualdomains: the SRS domain to alias-srs" "srs.test:alias-srs" "$(cat "$CTL/virtualdomains")"
expect_eq "~alias/.qmail-srs-default: srsfilter reverse" "|$B/srsfilter --control-dir $CTL --home $Q reverse" \
    "$(cat "$Q/alias/.qmail-srs-default")"
expect_eq "backups: one for each file that existed and changed" "3" \
    "$(find "$T" -maxdepth 3 -name "*.qauth-*" | wc -l)"
expect_eq "no temporary file left" "" "$(find "$Q" "$T" -name '*.qauth-new.*')"

# --- a second run: nothing --------------------------------------------------------
before=$(snapshot)
expect_status "second run: exit 0" 0 setup
expect_match "second run: nothing to change" 'nothing to change' "$(cat "$T/out")"
expect_eq "second run: no file touched, no backup" "$before" "$(snapshot)"
expect_status "--dry-run after it: exit 0" 0 setup --dry-run
expect_match "--dry-run after it: nothing to change" 'nothing to change' "$(cat "$T/out")"
touch -d '2 minutes' "$T/tcp.smtp"
expect_status "rules newer than their cdb: exit 0" 0 setup
expect_match "rules newer than their cdb: the cdb is rebuilt" "run: .*tcprules $T/tcp.smtp" "$(cat "$T/out")"

# --- what is in place is kept -----------------------------------------------------
fresh_tree
mkdir -p "$CTL/authqueue"; echo "$B/spfcheck" >"$CTL/authqueue/incoming"; echo 3 >"$CTL/spfbehavior"
echo 'other.test:someone' >"$CTL/virtualdomains"
printf ':allow,QMAILQUEUE="/var/qmail/bin/qmail-scanner-queue.pl"\n' >"$T/tcp.smtp"
printf '#!/bin/sh\nQMAILQUEUE=/x; export QMAILQUEUE\nexec qmail-start ./Maildir/\n' >"$Q/rc"
expect_status "a tree with settings: exit 0" 0 setup
expect_eq "an existing chain is kept" "$B/spfcheck" "$(cat "$CTL/authqueue/incoming")"
expect_eq "an existing value is kept" "3" "$(cat "$CTL/spfbehavior")"
expect_eq "another QMAILQUEUE is kept" ':allow,QMAILQUEUE="/var/qmail/bin/qmail-scanner-queue.pl"' "$(cat "$T/tcp.smtp")"
err=$(cat "$T/err")
expect_match "another QMAILQUEUE: a warning" "has its own QMAILQUEUE: left as it is" "$err"
expect_match "QMAILQUEUE in rc: a warning" "sets QMAILQUEUE for qmail-send" "$err"
expect_eq "another domain's virtualdomains line: kept, ours added" "other.test:someone
srs.test:alias-srs" "$(cat "$CTL/virtualdomains")"
expect_eq "rc without env -: QMAILREMOTE exported after line 1" \
    "export QMAIL_CONTROL=$CTL AUTHREMOTE_NEXT=$Q/bin/qmail-remote QMAILREMOTE=$Q/bin/qmail-authremote" "$(sed -n 2p "$Q/rc")"
expect_status "a tree with settings, second run: exit 0" 0 setup
expect_match "a tree with settings, second run: nothing to change" 'nothing to change' "$(cat "$T/out")"

# --- failures: 111, and what was not reached is as it was -------------------------
fresh_tree
mkdir "$CTL/virtualdomains"
expect_status "virtualdomains is a directory: 111" 111 setup
expect_match "virtualdomains is a directory: says so" "virtualdomains exists and is not a regular file" "$(cat "$T/err")"
expect_eq "virtualdomains is a directory: .qmail-srs-default not reached" "" "$(ls -A "$Q/alias")"

# --- a linked rc: the file it names is changed, the link stays -------------------
fresh_tree
mv "$Q/rc" "$Q/rc.real"; ln -s rc.real "$Q/rc"
expect_status "a linked rc: exit 0" 0 setup
expect_eq "a linked rc: still a link" "rc.real" "$(readlink "$Q/rc")"
expect_match "a linked rc: its target has QMAILREMOTE" "QMAILREMOTE=$Q/bin/qmail-authremote" "$(cat "$Q/rc.real")"

# --- found by a review: root's umask on the cdb, env -i, comments in rc ------------
fresh_tree
printf '#!/bin/sh\n# we use env - to clean; QMAILREMOTE=old is not set here\nexec /usr/bin/env -i PATH="%s/bin:$PATH" qmail-start ./Maildir/\n' "$Q" >"$Q/rc"
(umask 077; setup) ; expect_eq "under umask 077: exit 0" 0 $?
expect_eq "the cdb is 0644 whatever the umask (tcpserver reads it as qmaild)" 644 "$(stat -c %a "$T/tcp.smtp.cdb")"
expect_eq "rc: the comment is left alone" "# we use env - to clean; QMAILREMOTE=old is not set here" "$(sed -n 2p "$Q/rc")"
expect_match "rc: QMAILREMOTE inside /usr/bin/env -i" "^exec /usr/bin/env -i QMAIL_CONTROL=.* QMAILREMOTE=$Q/bin/qmail-authremote PATH=" "$(sed -n 3p "$Q/rc")"
expect_status "an option's value that is an option: 111, nothing done" 111 "$SETUP" --qmail-home "$Q" --bindir "$B" --no-users --smtp-rules --dry-run
expect_status "a relative --smtp-rules: 111" 111 "$SETUP" --qmail-home "$Q" --bindir "$B" --no-users --smtp-rules tcp.smtp
fresh_tree
printf '127.:allow ,X="y"\n:allow\n' >"$T/tcp.smtp"; cp "$T/tcp.smtp" "$T/crlf"
expect_status "rules tcprules refuses (a space before a comma): 111" 111 setup
expect_eq "rules tcprules refuses: the file is as it was, no backup" "yes 0" \
    "$(cmp -s "$T/tcp.smtp" "$T/crlf" && echo yes) $(find "$T" -maxdepth 1 -name 'tcp.smtp.qauth-*' | wc -l)"

# --- found by the second review ---------------------------------------------------
# tcprules' quotes: a comma inside them is the value's, not a new variable.
fresh_tree
printf ':allow,X="a,QMAILQUEUE=b"\n10.2.:allow,QMAILQUEUE=/other/ \n' >"$T/tcp.smtp"
expect_status "a quoted comma in a rules value: exit 0" 0 setup
expect_eq "a quoted comma: the line gets our QMAILQUEUE; a /-quoted one is the line's own" \
    ":allow,X=\"a,QMAILQUEUE=b\",QMAILQUEUE=\"$AQ\"$QENV
10.2.:allow,QMAILQUEUE=/other/ " "$(cat "$T/tcp.smtp")"
expect_match "a /-quoted QMAILQUEUE: the warning" "has its own QMAILQUEUE" "$(cat "$T/err")"
if command -v tcprulescheck >/dev/null; then
    expect_match "a quoted comma: tcpserver sets X and our QMAILQUEUE" \
        "variable X=a,QMAILQUEUE=b
set environment variable QMAILQUEUE=$AQ" "$(TCPREMOTEIP=192.0.2.1 tcprulescheck "$T/tcp.smtp.cdb")"
fi

# Everything the run would refuse is refused before its first change, and
# the dry run refuses it too.
fresh_tree
printf '=joe:joe:1:1:/home/joe:::\n+:nobody:2:2:/nonexistent:-::\n' >"$Q/users/assign"
before=$(snapshot)
expect_status "users/assign without its final '.': --dry-run 111" 111 setup --dry-run
expect_status "users/assign without its final '.': 111" 111 setup
expect_match "users/assign without its final '.': says so" "assign has no final '.' line" "$(cat "$T/err")"
expect_eq "users/assign without its final '.': nothing changed at all" "$before" "$(snapshot)"
fresh_tree
mkdir "$CTL/virtualdomains"
before=$(snapshot)
expect_status "a directory where a file belongs: --dry-run 111 too" 111 setup --dry-run
expect_status "a directory where a file belongs: 111" 111 setup
expect_eq "a directory where a file belongs: nothing changed, not even the chains" "$before" "$(snapshot)"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    fresh_tree
    mv "$T/tcp.smtp" "$Q/tcp.smtp"; chown -R 65534:65534 "$Q"; chmod 000 "$CTL/rcpthosts"
    before=$(snapshot)
    asnobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
    expect_status "an unreadable rcpthosts: --dry-run 111" 111 asnobody "$SETUP" --qmail-home "$Q" --bindir "$B" \
        --smtp-rules "$Q/tcp.smtp" --srs-domain srs.test --no-users --dry-run
    expect_status "an unreadable rcpthosts: 111" 111 asnobody "$SETUP" --qmail-home "$Q" --bindir "$B" \
        --smtp-rules "$Q/tcp.smtp" --srs-domain srs.test --no-users
    expect_match "an unreadable rcpthosts: says so" "rcpthosts: cannot read it" "$(cat "$T/err")"
    expect_eq "an unreadable rcpthosts: nothing changed" "$before" "$(snapshot)"
fi

# qmail compares domains in any case and drops a control line's trailing blanks (not a CR).
fresh_tree
printf 'SRS.Test\n' >"$CTL/srs_domain"
printf 'mx.test\nSRS.TEST\t\n' >"$CTL/rcpthosts"
printf 'srs.test:alias-srs \t\n' >"$CTL/virtualdomains"
expect_status "upper case and trailing blanks: exit 0" 0 setup
expect_eq "upper case srs_domain: no warning" "" "$(grep 'srs_domain' "$T/err")"
expect_eq "rcpthosts SRS.TEST: not added again" "$(printf 'mx.test\nSRS.TEST\t')" "$(cat "$CTL/rcpthosts")"
expect_eq "virtualdomains with trailing blanks: not added again" "$(printf 'srs.test:alias-srs \t')" "$(cat "$CTL/virtualdomains")"
fresh_tree
printf 'mx.test\r\nsrs.test\r\n' >"$CTL/rcpthosts"; printf 'SRS.TEST:alias-srs\n' >"$CTL/virtualdomains"
expect_status "CRLF rcpthosts, SRS.TEST to alias-srs: exit 0" 0 setup
expect_eq "CRLF rcpthosts: srs.test\\r is not srs.test to qmail: added" "$(printf 'mx.test\r\nsrs.test\r\nsrs.test')" "$(cat "$CTL/rcpthosts")"
expect_eq "virtualdomains SRS.TEST:alias-srs: not added again" "SRS.TEST:alias-srs" "$(cat "$CTL/virtualdomains")"

# Empty SRS files and world-readable keys are left, with a warning.
fresh_tree
: >"$CTL/srs_domain"; : >"$CTL/srs_secrets"
mkdir -p "$CTL/domainkeys/a.test"; echo key >"$CTL/domainkeys/a.test/s1"; chmod 644 "$CTL/domainkeys/a.test/s1"
echo s1 >"$CTL/domainkeys/a.test/selector"
expect_status "empty srs files, an open key: exit 0" 0 setup
err=$(cat "$T/err")
expect_match "an empty srs_domain: the warning" "srs_domain is empty" "$err"
expect_match "an empty srs_secrets: the warning" "srs_secrets holds no secret" "$err"
expect_match "a key readable by everyone: the warning names it (not the selector list)" "make new ones \(dkimkeygen --force\): a.test/s1\$" "$err"
expect_eq "empty srs files: left as they were" "0 0" "$(stat -c %s "$CTL/srs_domain" "$CTL/srs_secrets" | tr '\n' ' ' | sed 's/ $//')"

# A rules file whose last line has no newline, and nothing else to change.
fresh_tree
printf ':allow,QMAILQUEUE="%s"%s' "$AQ" "$QENV" >"$T/tcp.smtp"; cp "$T/tcp.smtp" "$T/nonl"
expect_status "rules without a final newline: exit 0" 0 setup
expect_eq "rules without a final newline: not rewritten, no backup" "yes 0" \
    "$(cmp -s "$T/tcp.smtp" "$T/nonl" && echo yes) $(find "$T" -maxdepth 1 -name 'tcp.smtp.qauth-*' | wc -l)"

# Option values.
fresh_tree
expect_status "--relay-net 192.168 (matches no client): 111" 111 setup --relay-net 192.168
expect_status "--relay-net 10.0.0.1-9 and 192.168.: exit 0" 0 setup --relay-net 10.0.0.1-9 --relay-net 192.168.
expect_eq "--relay-net: the new rules" "10.0.0.1-9:allow,RELAYCLIENT=\"\",QMAILQUEUE=\"$AQ\"$QENV
192.168.:allow,RELAYCLIENT=\"\",QMAILQUEUE=\"$AQ\"$QENV
:allow,QMAILQUEUE=\"$AQ\"$QENV" "$(rm -f "$T/tcp.smtp" "$T/tcp.smtp.cdb"; setup --relay-net 10.0.0.1-9 --relay-net 192.168.; cat "$T/tcp.smtp")"
expect_status "an --srs-domain label of 64 octets: 111" 111 setup --srs-domain "$(printf 'a%.0s' {1..64}).test"
fresh_tree
"$SETUP" --qmail-home "$Q//" --bindir "$B/" --smtp-rules "$T/tcp.smtp" --no-users >/dev/null 2>&1
expect_eq "--qmail-home and --bindir with trailing slashes: the same paths" \
    "$B/qmail-dkimsign $AQ" "$(cat "$CTL/authqueue/outgoing") $(sed -n '1s/.*QMAILQUEUE="\([^"]*\)".*/\1/p' "$T/tcp.smtp")"

# Two runs at once: one waits for the other (one secret, no shared temporary file).
fresh_tree
setup & p1=$!
"$SETUP" --qmail-home "$Q" --bindir "$B" --smtp-rules "$T/tcp.smtp" --submission-rules "$T/tcp.sub" \
    --srs-domain SRS.test --no-users >"$T/out2" 2>"$T/err2" & p2=$!
wait $p1; s1=$?; wait $p2; s2=$?
expect_eq "two runs at once: both exit 0" "0 0" "$s1 $s2"
expect_match "two runs at once: one made the changes, the other found nothing" "nothing to change" "$(cat "$T/out" "$T/out2")"
expect_eq "two runs at once: one secret, no backup of it" "0" "$(find "$CTL" -name 'srs_secrets.qauth-*' | wc -l)"

# --- found by the third review ----------------------------------------------------
# What only the real run used to find out: refused by the dry run, nothing changed.
refused() {  # NAME PREPARATION [OPTIONS]: both runs exit 111, the tree as it was
    local name=$1 prep=$2; shift 2
    fresh_tree; eval "$prep"
    local before; before=$(snapshot)
    expect_status "$name: --dry-run 111" 111 setup --dry-run "$@"
    expect_status "$name: 111" 111 setup "$@"
    expect_eq "$name: nothing changed" "$before" "$(snapshot)"
}
refused "no ~alias directory" 'rmdir "$Q/alias"'
refused "a file where authremote/ belongs" 'touch "$CTL/authremote"'
refused "no qmail bin directory" 'rm -rf "$Q/bin"'
refused "a directory where the cdb belongs" 'mkdir "$T/tcp.smtp.cdb"'
refused "rules in a directory that is not there" ':' --smtp-rules "$T/nodir/tcp.smtp"
for f in control/srs_secrets control/srs_domain control/dkimsign alias/.qmail-srs-default control/locals; do
    refused "a directory where $f belongs" "mkdir '$Q/$f'"
done
refused "rules with a NUL byte" 'printf "#nul\0here\n" >>"$T/tcp.smtp"'
expect_match "rules with a NUL byte: says so" "holds NUL bytes" "$(cat "$T/err")"
fresh_tree
expect_status "--key-group -sfiles (a value like an option): 111" 111 setup --key-group -sfiles
for v in 999.1. 1.2.3.04 10.0.0.9-1 01.; do
    expect_status "--relay-net $v (matches no client): 111" 111 setup --relay-net "$v"
done
fresh_tree
"$SETUP" --qmail-home "$Q/." --bindir "$B/./" --smtp-rules "$T/tcp.smtp" --no-users >/dev/null 2>&1
expect_eq "--qmail-home DIR/. is DIR" "$B/qmail-dkimsign $AQ" \
    "$(cat "$CTL/authqueue/outgoing") $(sed -n '1s/.*QMAILQUEUE="\([^"]*\)".*/\1/p' "$T/tcp.smtp")"

# Of two virtualdomains lines for the domain, qmail uses the later.
refused "virtualdomains, a later line elsewhere" "printf 'srs.test:alias-srs\nsrs.test:foo\n' >\"\$CTL/virtualdomains\""
expect_match "virtualdomains, a later line elsewhere: says which" "sends it elsewhere \('srs.test:foo'\)" "$(cat "$T/err")"

# A rules line of a megabyte (tcprules has no limit): read in linear time.
fresh_tree
{ printf ':allow,X="'; head -c 1000000 /dev/zero | tr '\0' a; printf '"\n'; } >"$T/tcp.smtp"
expect_status "a rules line of 1 MB: exit 0" 0 setup
expect_eq "a rules line of 1 MB: our QMAILQUEUE at its end" ",QMAILQUEUE=\"$AQ\"$QENV" "$(tail -c $((${#AQ} + ${#QENV} + 15)) "$T/tcp.smtp")"

# rc: QMAILREMOTE only where it reaches qmail-send, else a warning.
rc_case() {  # RC-TEXT: rc after the run, and the warning if any
    fresh_tree; printf '%b' "$1" >"$Q/rc"
    setup; printf '%s\n' "$(cat "$Q/rc")"; grep -oE "cannot tell where qmail-send's environment is made|env takes more options there" "$T/err"
}
V="QMAIL_CONTROL=$CTL AUTHREMOTE_NEXT=$Q/bin/qmail-remote QMAILREMOTE=$Q/bin/qmail-authremote"
expect_eq "rc: an env after other commands (here an echo's text): left, with a warning" "#!/bin/sh
echo \"starting env - now\"
exec env - PATH=/bin qmail-start
cannot tell where qmail-send's environment is made" "$(rc_case '#!/bin/sh\necho "starting env - now"\nexec env - PATH=/bin qmail-start\n')"
expect_eq "rc: env --ignore-environment" "exec env --ignore-environment $V PATH=/bin qmail-start" \
    "$(rc_case 'exec env --ignore-environment PATH=/bin qmail-start\n')"
expect_eq "rc: env - at a line's end, continued" "exec env - $V \\
  PATH=/bin qmail-start" "$(rc_case 'exec env -\\\n  PATH=/bin qmail-start\n')"
expect_eq "rc: env -u FOO -: left, with a warning" "exec env -u FOO - PATH=/bin qmail-start
cannot tell where qmail-send's environment is made" "$(rc_case 'exec env -u FOO - PATH=/bin qmail-start\n')"
expect_eq "rc: env after something else on its line: left, with a warning" "echo \"#\"; exec env - qmail-start
cannot tell where qmail-send's environment is made" "$(rc_case 'echo "#"; exec env - qmail-start\n')"
expect_eq "rc without #!, line 1 continued: the export before it" "export $V
exec qmail-start ./Mailbox \\
 splogger qmail" "$(rc_case 'exec qmail-start ./Mailbox \\\n splogger qmail\n')"
expect_eq "rc of one command: the export before it" "export $V
exec qmail-start ./Mailbox" "$(rc_case 'exec qmail-start ./Mailbox\n')"
expect_eq "rc: env -i -u FOO: left, with a warning" "exec env -i -u FOO PATH=/bin qmail-start
env takes more options there" "$(rc_case 'exec env -i -u FOO PATH=/bin qmail-start\n')"
expect_eq "rc: env - continued, -u on the next line: left" "exec env - \\
  -u FOO qmail-start" "$(rc_case 'exec env - \\\n  -u FOO qmail-start\n' | head -n 2)"
expect_eq "rc: a commented env line is not the command" "#!/bin/sh
#/usr/bin/env - PATH=x qmail-start
exec env - $V PATH=/bin qmail-start" "$(rc_case '#!/bin/sh\n#/usr/bin/env - PATH=x qmail-start\nexec env - PATH=/bin qmail-start\n')"
expect_status "rc: a commented env line: the second run changes nothing" 0 setup
expect_match "rc: a commented env line: nothing to change" "nothing to change" "$(cat "$T/out")"

# --- found by the fourth review ---------------------------------------------------
refused "a directory where tcprules' temporary file goes" 'mkdir "$T/tcp.smtp.tmp"'
refused "a dangling link where tcprules' temporary file goes" 'ln -s "$T/nowhere/x" "$T/tcp.sub.tmp"'
refused "no bin/qmail-newu for a users/assign that needs the line" \
    'printf "+:nobody:1:1:/n:-::\n.\n" >"$Q/users/assign"'
refused "a directory where users/assign belongs" 'mkdir "$Q/users/assign"'
fresh_tree
{ printf ':allow'; yes ',A="b"' | head -n 300000 | tr -d '\n'; echo; } >"$T/tcp.smtp"
expect_status "a rules line of 300000 variables: exit 0" 0 setup
expect_eq "a rules line of 300000 variables: our QMAILQUEUE at its end" ",A=\"b\",QMAILQUEUE=\"$AQ\"$QENV" \
    "$(tail -c $((${#AQ} + ${#QENV} + 21)) "$T/tcp.smtp")"
fresh_tree
"$SETUP" --qmail-home "$Q/./" --bindir "$B/" --smtp-rules "$T/tcp.smtp" --no-users >/dev/null 2>&1
expect_eq "--qmail-home DIR/./: QMAIL_CONTROL is DIR/control" "$QENV" \
    "$(sed -n '1s/.*QMAILQUEUE="[^"]*"//p' "$T/tcp.smtp")"
fresh_tree
expect_status "--submission-rules none: no submission rules, exit 0" 0 setup --submission-rules none
expect_eq "--submission-rules none: no file 'none' anywhere" "" "$(find "$T" "$Q" -name none)"

# --- found by the fifth review ----------------------------------------------------
expect_eq "rc: an env in an if before the plain one: left, with a warning" "#!/bin/sh
if [ -d ./Maildir ]; then exec env - qmail-start ./Maildir/; fi
exec env - qmail-start ./Mailbox
cannot tell where qmail-send's environment is made" \
    "$(rc_case '#!/bin/sh\nif [ -d ./Maildir ]; then exec env - qmail-start ./Maildir/; fi\nexec env - qmail-start ./Mailbox\n')"
expect_eq "rc: -u two continued lines on: left, with a warning" "exec env - \\
  \\
  -u FOO qmail-start
env takes more options there" "$(rc_case 'exec env - \\\n  \\\n  -u FOO qmail-start\n')"
expect_eq "rc: a quoted \"-u\": left, with a warning" "exec env - \"-u\" FOO qmail-start
env takes more options there" "$(rc_case 'exec env - "-u" FOO qmail-start\n')"
fresh_tree; : >"$Q/rc"
expect_status "an empty rc: exit 0" 0 setup
expect_match "an empty rc: the warning" "rc is empty: left as it is" "$(cat "$T/err")"
fresh_tree
printf ':allow,QMAILQUEUE="%s",QMAILQUEUE="/evil"\n' "$AQ" >"$T/tcp.smtp"
expect_status "our QMAILQUEUE, then another: exit 0" 0 setup
expect_match "our QMAILQUEUE, then another (tcpserver keeps the last): the warning" "has its own QMAILQUEUE" "$(cat "$T/err")"
expect_eq "our QMAILQUEUE, then another: left as it is" ":allow,QMAILQUEUE=\"$AQ\",QMAILQUEUE=\"/evil\"" "$(cat "$T/tcp.smtp")"
fresh_tree
{
    printf ':allow,QMAILQUEUE="%s",QMAIL_CONTROL="%s"\n' "$AQ" "$CTL"
    printf '10.3.:allow,QMAILQUEUE="%s"%s\n' "$AQ" "$QENV"
    printf '10.4.:allow,QMAILQUEUE="%s",QMAIL_CONTROL="",AUTHQUEUE_NEXT="%s/bin/qmail-queue"\n' "$AQ" "$Q"
    printf '10.5.:allow,QMAILQUEUE="%s"\n' "$AQ"
} >"$T/tcp.smtp"
cp "$T/tcp.smtp" "$T/tcp.want"
expect_status "our QMAILQUEUE without the other home's variables: exit 0" 0 setup
expect_file "our QMAILQUEUE without the other home's variables: left as it is" "$T/tcp.want" "$T/tcp.smtp"
W="qmail-setup: warning: $T/tcp.smtp: ':allow,QMAILQUEUE=\"$AQ\""
expect_eq "our QMAILQUEUE without the other home's variables: a warning per line, naming what is missing" \
    "$W,QMAIL_CONTROL=\"$CTL\"' runs qmail-authqueue without AUTHQUEUE_NEXT: it queues through /var/qmail/bin/qmail-queue (add AUTHQUEUE_NEXT=\"$Q/bin/qmail-queue\")
qmail-setup: warning: $T/tcp.smtp: '10.4.:allow,QMAILQUEUE=\"$AQ\",QMAIL_CONTROL=\"\",AUTHQUEUE_NEXT=\"$Q/bin/qmail-queue\"' runs qmail-authqueue without QMAIL_CONTROL: it reads /var/qmail/control (add QMAIL_CONTROL=\"$CTL\")
qmail-setup: warning: $T/tcp.smtp: '10.5.:allow,QMAILQUEUE=\"$AQ\"' runs qmail-authqueue without QMAIL_CONTROL or AUTHQUEUE_NEXT: it reads /var/qmail/control and queues through /var/qmail/bin/qmail-queue (add ${QENV#,})" \
    "$(grep 'tcp.smtp:' "$T/err")"
fresh_tree
for i in 0 1 2 3 4 5 6 7 8 9; do ln -sf /nonexistent/x "$T/tcp.smtp.qauth-$(date -d "$i second" +%Y%m%d-%H%M%S)"; done
expect_status "a dangling link at the backup's name: exit 0 (the next name)" 0 setup
expect_match "a dangling link at the backup's name: the next name" "backup: $T/tcp.smtp -> $T/tcp.smtp.qauth-[0-9-]*\.1\$" "$(cat "$T/out")"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    fresh_tree
    mkdir -m 1777 "$Q/st"; echo :allow >"$Q/st/tcp.smtp"
    chown -R 65534:65534 "$Q"; chown root:root "$Q/st" "$Q/st/tcp.smtp"; chmod 1777 "$Q/st"
    before=$(snapshot)
    expect_status "a root's rules file in a sticky directory, as another user: 111" 111 \
        setpriv --reuid=65534 --regid=65534 --clear-groups "$SETUP" --qmail-home "$Q" --bindir "$B" --smtp-rules "$Q/st/tcp.smtp" --send-rc none --no-users
    expect_match "a root's rules file in a sticky directory: says so" "another user's file in a sticky directory" "$(cat "$T/err")"
    expect_eq "a root's rules file in a sticky directory: nothing changed" "$before" "$(snapshot)"
    fresh_tree
    printf '#!/bin/sh\ntouch users/cdb\n' >"$Q/bin/qmail-newu"; chmod 755 "$Q/bin/qmail-newu"
    touch -d '1 hour ago' "$Q/users/cdb"; printf '+alias-srs-:alias:1:1:%s/alias:-:srs-:\n.\n' "$Q" >"$Q/users/assign"
    chown -R 65534:65534 "$Q"; chown root:root "$Q/users" "$Q/users/cdb"
    before=$(snapshot)
    expect_status "users/cdb to rebuild in a root's users/, as another user: --dry-run 111" 111 \
        setpriv --reuid=65534 --regid=65534 --clear-groups "$SETUP" --qmail-home "$Q" --bindir "$B" --smtp-rules none --send-rc none --srs-domain srs.test --no-users --dry-run
    expect_eq "users/cdb to rebuild in a root's users/: nothing changed" "$before" "$(snapshot)"
    fresh_tree
    mkdir "$CTL/authqueue"; touch "$CTL/authqueue/incoming" "$CTL/authqueue/outgoing"
    chown -R 65534:65534 "$Q"; chown root:root "$CTL/authqueue"; chmod 0711 "$CTL/authqueue"
    expect_status "a root's authqueue/ 0711, as another user: 111" 111 \
        setpriv --reuid=65534 --regid=65534 --clear-groups "$SETUP" --qmail-home "$Q" --bindir "$B" --smtp-rules none --send-rc none --no-users --dry-run
fi

# --- found by the sixth review: what is the admin's is refused, not replaced -----
refused "virtualdomains sends the SRS domain to another user" "echo 'SRS.TEST:joe' >\"\$CTL/virtualdomains\""
expect_match "virtualdomains to another user: says why" "SRS bounces would not reach srsfilter reverse: .*sends it elsewhere \('SRS.TEST:joe'\)" "$(cat "$T/err")"
refused "srs_domain holds another domain" "echo other.test >\"\$CTL/srs_domain\""
expect_match "srs_domain holds another domain: says which" "srs_domain holds other.test" "$(cat "$T/err")"
refused "the SRS domain in locals" "echo srs.test >\"\$CTL/locals\""
refused "a cdb without its source" 'printf ":allow,RBLSMTPD=\"-go away\"\n" | tcprules "$T/tcp.smtp.cdb" "$T/x.tmp"; rm "$T/tcp.smtp"'
expect_match "a cdb without its source: says so" "tcp.smtp.cdb exists without its source" "$(cat "$T/err")"
refused "rules tcprules refuses already" "printf '127.:allow,RELAYCLIENT=\"\n' >\"\$T/tcp.smtp\""
expect_match "rules tcprules refuses already: says so" "tcp.smtp: tcprules refuses it already" "$(cat "$T/err")"
fresh_tree; echo '|/old/srsfilter reverse' >"$Q/alias/.qmail-srs-default"
expect_status "another .qmail-srs-default: exit 0" 0 setup
expect_match "another .qmail-srs-default: the warning" "qmail-srs-default does not run \|$B/srsfilter" "$(cat "$T/err")"
expect_eq "another .qmail-srs-default: kept" "|/old/srsfilter reverse" "$(cat "$Q/alias/.qmail-srs-default")"
expect_eq "rc with two env - lines (an else): left, with a warning" "if [ -s x ]; then
exec env - qmail-start x
else
exec env - qmail-start ./Mailbox
fi
cannot tell where qmail-send's environment is made" "$(rc_case 'if [ -s x ]; then\nexec env - qmail-start x\nelse\nexec env - qmail-start ./Mailbox\nfi\n')"

# --- found by the seventh review ---------------------------------------------------
fresh_tree
expect_status "--relay-net with an existing rules file: exit 0" 0 setup --relay-net 192.168.
expect_match "--relay-net with an existing rules file: the warning" "tcp.smtp exists: --relay-net 192.168. is for a new file, not added" "$(cat "$T/err")"
expect_eq "--relay-net with an existing rules file: no line for it" "" "$(grep '^192\.168\.' "$T/tcp.smtp")"
refused "CRLF rules" "printf '127.:allow,RELAYCLIENT=\"\"\r\n' >\"\$T/tcp.smtp\""
expect_match "CRLF rules: says so" "it has CR line ends" "$(cat "$T/err")"
