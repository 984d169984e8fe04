# qmail-dkimsign as an admin runs it: control files, pass-through cases,
# dual signing, line ends kept, exit statuses.
. "$(dirname "$0")/../lib.sh"
C=$T/control; Z=$T/zone; mkdir -p "$C"; : >"$Z"
make_key "$C" example.com rsa "$Z" rsa
make_key "$C" example.com ed "$Z" ed25519
printf 'rsa\ned\n' >"$C/domainkeys/example.com/selector"
msg=$'From: A <a@Example.com>\nTo: b@example.net\nSubject: test\nDate: Sun, 29 Nov 2026 12:00:00 +0000\nMessage-ID: <1@example.com>\n\nHello\n'
printf '%s' "$msg" >"$T/msg"
verify() { dkimverify --control-dir "$C" --authserv-id t --dns-zone "$Z" "$@"; }

qmail-dkimsign --control-dir "$C" <"$T/msg" >"$T/signed"
expect_eq "dual signing exits 0" 0 $?
expect_eq "two signatures, rsa first" "rsa-sha256 ed25519-sha256" \
    "$(grep -o 'a=[a-z0-9-]*;' "$T/signed" | tr -d 'a=;' | tr '\n' ' ' | sed 's/ $//; s/rs-sh256/rsa-sha256/; s/ed25519-sh256/ed25519-sha256/')"
tail -c "$(wc -c <"$T/msg")" "$T/signed" | cmp -s - "$T/msg"
expect_eq "the message follows the signatures byte for byte" 0 $?
verify <"$T/signed" >"$T/v"
expect_eq "both signatures verify" "pass pass" "$(dkim_results "$T/v")"
expect_match "From is oversigned, defaults signed" 'h=from:to:subject:date:message-id:from;' "$(tr -d '\n\t ' <"$T/signed")"
expect_match "d= is the From domain, lower-case" 'd=example.com;' "$(cat "$T/signed")"
awk '/^[^ \t]/{n=$0} {l=length($0); if (substr($0,1,1)=="\t") l+=7; if (l>78) bad=1} END{exit bad}' "$T/signed"
expect_eq "signature lines fit in 78 columns" 0 $?

# CRLF in, CRLF out (our fields too).
sed 's/$/\r/' "$T/msg" >"$T/msg.crlf"
qmail-dkimsign --control-dir "$C" <"$T/msg.crlf" >"$T/signed.crlf"
expect_eq "CRLF message: every line ends in CRLF" 0 "$(grep -vc $'\r$' "$T/signed.crlf")"
expect_eq "CRLF message verifies" "pass pass" "$(verify <"$T/signed.crlf" | tee "$T/v" >/dev/null; dkim_results "$T/v")"

# Options: one selector, canonicalization, expiry, header list, fixed clock.
qmail-dkimsign --control-dir "$C" --selector rsa --canon simple/simple --expire 3600 --now 1700000000 \
    --headers from:subject <"$T/msg" >"$T/s1"
expect_match "options end up in the tags" 'c=simple/simple;d=example.com;s=rsa;t=1700000000;x=1700003600;h=from:subject;' \
    "$(tr -d '\n\t ' <"$T/s1")"
expect_eq "--selector signs once" 1 "$(grep -c '^DKIM-Signature:' "$T/s1")"
expect_eq "expired signature at x+1" permerror "$(verify --now 1700003601 <"$T/s1" >"$T/v"; dkim_results "$T/v")"
expect_eq "valid before x" pass "$(verify --now 1700003000 <"$T/s1" >"$T/v"; dkim_results "$T/v")"
qmail-dkimsign --control-dir "$C" --domain example.com --selector ed --key "$C/domainkeys/example.com/ed" \
    <"$T/msg" >"$T/s2"
expect_eq "--key with --selector" pass "$(verify <"$T/s2" >"$T/v"; dkim_results "$T/v")"
qmail-dkimsign --control-dir "$C" --selector rsa --body-length <"$T/msg" >"$T/s3"
expect_match "--body-length adds l=" 'l=7;' "$(tr -d '\n\t ' <"$T/s3")"

# Pass-through cases: exit 0, output identical to input.
passthrough() {  # name, then the command's arguments; input from $T/in
    qmail-dkimsign "${@:2}" <"$T/in" >"$T/out" 2>"$T/err"
    local rc=$?
    if [ $rc = 0 ] && cmp -s "$T/in" "$T/out"; then ok "$1"; else not_ok "$1" "exit $rc" "$(head -c 200 "$T/err")"; fi
}
sed 's/[Ee]xample.com/nokeys.example/g' "$T/msg" >"$T/in"
passthrough "domain without keys passes through" --control-dir "$C"
cp "$T/msg" "$T/in"
echo 0 >"$C/dkimsign"
passthrough "control/dkimsign 0 passes through" --control-dir "$C"
rm "$C/dkimsign"
printf 'From: a@example.com\nFrom: b@example.com\n\nx\n' >"$T/in"
passthrough "two From fields: not signed" --control-dir "$C"
expect_match "two From fields: warning on stderr" 'warning: message has 2 From fields' "$(cat "$T/err")"
printf 'Sender: s@example.com\nFrom: undisclosed-recipients:;\n\nx\n' >"$T/in"
qmail-dkimsign --control-dir "$C" <"$T/in" >"$T/out"
expect_match "no From domain: the Sender domain signs" 'd=example.com;' "$(cat "$T/out")"
printf 'Subject: no from\n\nx\n' >"$T/in"
SENDER=bounce@example.com qmail-dkimsign --control-dir "$C" <"$T/in" >"$T/out"
expect_match "no From or Sender: the envelope sender (\$SENDER) domain signs" 'd=example.com;' "$(cat "$T/out")"

# Temporary failures: exit 111, reason on stderr, nothing claimed as success.
chmod 644 "$C/domainkeys/example.com/rsa"
expect_status "world-readable key: exit 111" 111 qmail-dkimsign --control-dir "$C" <"$T/msg"
expect_match "world-readable key: the reason names the file" 'domainkeys/example.com/rsa' "$(cat "$T/err")"
chmod 600 "$C/domainkeys/example.com/rsa"
echo garbage >"$C/domainkeys/example.com/broken"; chmod 600 "$C/domainkeys/example.com/broken"
expect_status "malformed key: exit 111" 111 qmail-dkimsign --control-dir "$C" --selector broken <"$T/msg"
expect_status "listed selector without key: exit 111" 111 qmail-dkimsign --control-dir "$C" --selector missing <"$T/msg"
echo yes >"$C/dkimsign"
expect_status "bad control/dkimsign: exit 111" 111 qmail-dkimsign --control-dir "$C" <"$T/msg"
expect_match "bad control/dkimsign: names the file" 'control/dkimsign' "$(cat "$T/err")"
rm "$C/dkimsign"
expect_status "unknown option: exit 111" 111 qmail-dkimsign --bogus <"$T/msg"
expect_match "unknown option: usage message" '^usage: ' "$(cat "$T/err")"
expect_status "output error (/dev/full): exit 111" 111 sh -c "qmail-dkimsign --control-dir '$C' <'$T/msg' >/dev/full"
expect_status "--help exits 0" 0 qmail-dkimsign --help
ln -s loop.example "$C/domainkeys/loop.example"
sed 's/[Ee]xample.com/loop.example/g' "$T/msg" >"$T/in"
expect_status "key directory that cannot be read (ELOOP): exit 111, not unsigned" 111 \
    qmail-dkimsign --control-dir "$C" <"$T/in"
expect_status "--key without one --selector: usage, exit 111" 111 qmail-dkimsign --key /x <"$T/msg"
expect_match "--key without one --selector: message starts with usage:" '^usage: qmail-dkimsign: ' "$(cat "$T/err")"
expect_status "--headers without From: usage, exit 111" 111 qmail-dkimsign --control-dir "$C" --headers to:subject <"$T/msg"
expect_match "--headers without From: says why" '^usage: qmail-dkimsign: --headers must include From' "$(cat "$T/err")"
expect_status "--domain that is no domain: usage, exit 111" 111 qmail-dkimsign --control-dir "$C" --domain ../etc <"$T/msg"
expect_status "--domain without a key: exit 111, not unsigned" 111 qmail-dkimsign --control-dir "$C" --domain nokeys.example <"$T/msg"
expect_match "--domain without a key: names the directory" 'domainkeys/nokeys.example: no key' "$(cat "$T/err")"
qmail-dkimsign --control-dir "$C" --domain EXAMPLE.COM --selector rsa <"$T/msg" >"$T/out"
expect_match "--domain is lower-cased" 'd=example.com;' "$(cat "$T/out")"
expect_status "--identity outside d=: exit 111" 111 qmail-dkimsign --control-dir "$C" --identity a@example.org <"$T/msg"
qmail-dkimsign --control-dir "$C" --selector rsa --identity news@lists.example.com <"$T/msg" >"$T/out"
expect_eq "--identity in a subdomain of d=: signs and verifies" pass "$(verify <"$T/out" >"$T/v"; dkim_results "$T/v")"
for bad in "--identity x@example.com$(printf '\nBcc: e@x.org')" "--selector a;b" "--headers from:x;y" \
           "--expire 0" "--expire -5" "--expire 99999999999999999999" "--now -1"; do
    expect_status "bad option value (${bad%%$'\n'*}): usage, exit 111" 111 qmail-dkimsign --control-dir "$C" "${bad%% *}" "${bad#* }" <"$T/msg"
    expect_match "bad option value (${bad%%$'\n'*}): usage message" '^usage: qmail-dkimsign: ' "$(head -1 "$T/err")"
done
qmail-dkimsign --control-dir "$C" --selector rsa --identity 'a;b=c@example.com' <"$T/msg" >"$T/out"
expect_match "--identity with ; and = is DKIM-quoted-printable in i=" 'i=a=3Bb=3Dc@example.com;' "$(tr -d '\n\t ' <"$T/out")"
expect_eq "--identity with ; and =: verifies" pass "$(verify <"$T/out" >"$T/v"; dkim_results "$T/v")"
printf 'rsa\ned\nrsa\n' >"$C/domainkeys/example.com/selector"
qmail-dkimsign --control-dir "$C" <"$T/msg" >"$T/out"
expect_eq "a selector listed twice signs once, in list order" "s=rsa; s=ed;" "$(grep -o 's=[a-z]*;' "$T/out" | tr '\n' ' ' | sed 's/ $//')"
printf 'rsa\nselector\n' >"$C/domainkeys/example.com/selector"
expect_status "selector named 'selector': exit 111" 111 qmail-dkimsign --control-dir "$C" <"$T/msg"
expect_match "selector named 'selector': says it is a bad name" 'bad selector name: selector' "$(cat "$T/err")"
printf 'rsa\ned\n' >"$C/domainkeys/example.com/selector"
printf 'Subject: no from\n\nx\n' >"$T/in"
SENDER= QMAILUSER=bounce QMAILHOST=example.com qmail-dkimsign --control-dir "$C" <"$T/in" >"$T/out"
expect_match "empty \$SENDER: QMAILUSER@QMAILHOST gives the domain" 'd=example.com;' "$(cat "$T/out")"
