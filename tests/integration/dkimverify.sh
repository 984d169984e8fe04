# dkimverify as an admin runs it: authserv-id, forged Authentication-Results,
# control switches, --check statuses, usage errors.
. "$(dirname "$0")/../lib.sh"
C=$T/control; Z=$T/zone; mkdir -p "$C"; : >"$Z"
make_key "$C" example.com sel "$Z" rsa
echo sel >"$C/domainkeys/example.com/selector"
printf 'From: a@example.com\nSubject: hi\n\nbody\n' | qmail-dkimsign --control-dir "$C" >"$T/signed"
verify() { dkimverify --control-dir "$C" --dns-zone "$Z" "$@"; }

echo mx.example.net >"$C/me"
verify <"$T/signed" >"$T/out"
expect_match "authserv-id from control/me" '^Authentication-Results: mx.example.net; dkim=pass' "$(first_ar "$T/out")"
verify --authserv-id other.example <"$T/signed" >"$T/out"
expect_match "--authserv-id wins over control/me" '^Authentication-Results: other.example; ' "$(first_ar "$T/out")"

# A field with our authserv-id below the top arrived from outside: forged.
{ printf 'Received: from attacker\nAuthentication-Results: MX.example.net; dkim=pass header.d=bank.example\n'
  printf 'Authentication-Results: elsewhere.example; dkim=pass\n'; cat "$T/signed"; } >"$T/forged"
verify <"$T/forged" >"$T/out"
expect_eq "forged A-R with our authserv-id is removed" 0 "$(grep -ci 'bank.example' "$T/out")"
expect_eq "A-R of other authserv-ids stays" 1 "$(grep -c 'elsewhere.example' "$T/out")"
expect_eq "our own new A-R is on top" "pass" "$(dkim_results "$T/out")"
# Fields our filters wrote above everything else in this pass are kept.
{ printf 'Authentication-Results: mx.example.net; spf=pass smtp.mailfrom=example.com\n'; cat "$T/forged"; } >"$T/chain"
verify <"$T/chain" >"$T/out"
expect_eq "A-R from our own earlier filter (top block) is kept" 1 "$(grep -c 'spf=pass smtp.mailfrom=example.com' "$T/out")"

# --check: 0 pass, 100 none or fail with an SMTP-ready reason, 111 temperror.
expect_status "--check: pass exits 0" 0 verify --check <"$T/signed"
expect_eq "--check writes nothing on stdout" 0 "$(wc -c <"$T/out")"
printf 'From: a@example.com\n\nunsigned\n' >"$T/unsigned"
expect_status "--check: unsigned exits 100" 100 verify --check <"$T/unsigned"
expect_match "--check: unsigned reason" '^5\.7\.1 DKIM none: no DKIM signature' "$(cat "$T/err")"
sed 's/^body$/bodY/' "$T/signed" >"$T/bad"
expect_status "--check: altered body exits 100" 100 verify --check <"$T/bad"
expect_match "--check: altered body reason" '^5\.7\.1 DKIM fail: RFC 6376 6.1.3: body hash did not verify' "$(cat "$T/err")"
printf ';qauth: tempfail sel._domainkey.example.com\n' >"$T/tempfail.zone"
expect_status "--check: DNS trouble exits 111" 111 \
    dkimverify --check --control-dir "$C" --dns-zone "$T/tempfail.zone" <"$T/signed"

# Switches: verification stays on while DMARC is on (DESIGN §5).
echo 0 >"$C/dkimverify"
verify <"$T/signed" >"$T/out"
expect_eq "control/dkimverify 0 with DMARC on: still verifies" pass "$(dkim_results "$T/out")"
echo 0 >"$C/dmarc"
verify <"$T/signed" >"$T/out"
cmp -s "$T/out" "$T/signed"
expect_eq "control/dkimverify 0 and dmarc 0: passes through unchanged" 0 $?
rm "$C/dkimverify" "$C/dmarc"

# Usage and configuration errors are temporary (111) and say so.
for bad in "--dns-timeout 0" "--dns-timeout x" "--dns-server 300.1.1.1" "--dns-server 127.0.0.1@99999" \
           "--max-signatures 0" "--bogus"; do
    expect_status "usage error ($bad): exit 111" 111 dkimverify $bad <"$T/signed"
    expect_match "usage error ($bad): message starts with usage:" '^usage: dkimverify: ' "$(head -1 "$T/err")"
done
expect_status "unreadable zone file: exit 111" 111 verify --dns-zone /nonexistent/zone <"$T/signed"
expect_match "unreadable zone file: names it" '/nonexistent/zone' "$(cat "$T/err")"
expect_status "--help exits 0" 0 dkimverify --help

# Several TXT records at the key name (RFC 6376 6.1.2): the first that is a
# valid key record counts; none valid gives the first one's error.
p=$(openssl pkey -in "$C/domainkeys/example.com/sel" -pubout -outform DER | base64 -w0)
{ printf 'sel._domainkey.example.com. IN TXT "v=spf1 -all"\n'
  printf 'sel._domainkey.example.com. IN TXT ( "v=DKIM1; k=rsa; p=%s" "%s" )\n' "${p:0:200}" "${p:200}"; } >"$T/multi.zone"
dkimverify --control-dir "$C" --dns-zone "$T/multi.zone" <"$T/signed" >"$T/out"
expect_eq "two TXT records, the second a key: pass" pass "$(dkim_results "$T/out")"
{ printf 'sel._domainkey.example.com. IN TXT "v=spf1 -all"\n'
  printf 'sel._domainkey.example.com. IN TXT "v=DKIM1; k=rsa; p=AAAA"\n'; } >"$T/multi.zone"
dkimverify --control-dir "$C" --dns-zone "$T/multi.zone" <"$T/signed" >"$T/out"
expect_match "two TXT records, neither a usable key: permerror" 'dkim=permerror' "$(first_ar "$T/out")"

# The authserv-id must be a token; a forged field with a trailing dot is ours too.
expect_status "authserv-id with a space: exit 111" 111 verify --authserv-id 'mx example;net' <"$T/signed"
expect_match "authserv-id with a space: a usage error naming the option" '^usage: dkimverify: --authserv-id: not a valid authserv-id' "$(cat "$T/err")"
printf '\377\376\n' >"$C/me"
expect_status "control/me with binary junk: exit 111" 111 verify <"$T/signed"
expect_match "control/me with binary junk: names the file" 'control/me: not a valid authserv-id' "$(cat "$T/err")"
echo mx.example.net >"$C/me"
{ printf 'Received: x\nAuthentication-Results: mx.example.net.; dkim=pass header.d=bank.example\n'; cat "$T/signed"; } >"$T/forged"
verify <"$T/forged" >"$T/out"
expect_eq "forged A-R with a trailing dot on our id is removed" 0 "$(grep -c 'bank.example' "$T/out")"
