# dmarccheck as an admin runs it, offline (--dns-zone): the exact A-R field
# for each DMARC result with LF and CRLF input, the chain spfcheck |
# dkimverify | dmarccheck and dmarccheck alone, enforcement (--reject,
# control/dmarcreject), control/dmarc 0, sp=, np=, strict and relaxed
# alignment, t=y, pct= with --discovery psl, the security cases (forged A-R
# with our id, a second From domain, foreign A-R, smtp.mailfrom as an
# address) and --check.
. "$(dirname "$0")/../lib.sh"
C=$T/control; mkdir -p "$C"; echo mx.test >"$C/me"
Z=$T/zone; : >"$Z"
unset TCPREMOTEIP HELO SENDER RELAYCLIENT
PY=/usr/bin/python3
dkimkeygen --control-dir "$C" --type ed25519 pass.example >>"$Z" 2>"$T/err" || not_ok "dkimkeygen ed25519" "$(cat "$T/err")"
dkimkeygen --control-dir "$C" --selector r strict.example >>"$Z" 2>"$T/err" || not_ok "dkimkeygen rsa" "$(cat "$T/err")"
for d in pass none quar rej org strict testy pct0 pct100 temp; do
    echo "$d.example. IN TXT \"v=spf1 ip4:192.0.2.1 -all\""
done >>"$Z"
cat >>"$Z" <<'EOF'
_dmarc.pass.example. IN TXT "v=DMARC1; p=reject"
_dmarc.none.example. IN TXT "v=DMARC1; p=none"
_dmarc.quar.example. IN TXT "v=DMARC1; p=quarantine"
_dmarc.rej.example. IN TXT "v=DMARC1; p=reject"
_dmarc.org.example. IN TXT "v=DMARC1; p=reject; sp=quarantine; np=none"
sub.org.example. IN A 192.0.2.5
_dmarc.strict.example. IN TXT "v=DMARC1; p=reject; adkim=s; aspf=s"
mail.strict.example. IN A 192.0.2.6
mail.strict.example. IN TXT "v=spf1 ip4:192.0.2.1 -all"
_dmarc.testy.example. IN TXT "v=DMARC1; p=reject; t=y"
_dmarc.pct0.example. IN TXT "v=DMARC1; p=reject; pct=0"
_dmarc.pct100.example. IN TXT "v=DMARC1; p=reject; pct=100"
;qauth: tempfail _dmarc.temp.example TXT
_dmarc.spftemp.example. IN TXT "v=DMARC1; p=reject"
;qauth: tempfail spftemp.example TXT
EOF
dm() { dmarccheck --control-dir "$C" --dns-zone "$Z" "$@"; }
msg() { printf 'From: a@%s\nSubject: hi\n\nbody\n' "$1"; }
crlf() { sed 's/$/\r/'; }
# ar1 FILE: the first Authentication-Results field, unfolded (lib.sh's
# first_ar gives the last of adjacent A-R fields).
ar1() {
    awk '/^Authentication-Results:/ && !f {f=1; s=$0; next} f && /^[ \t]/ {sub(/^[ \t]+/, " "); s = s $0; next} f {exit} END {print s}' "$1" | tr -d '\r'
}

# run NAME STATUS INPUT ARGS...: dmarccheck on INPUT into $T/out, $T/err.
run() {
    local name=$1 want=$2 in=$3; shift 3
    dm "$@" <"$in" >"$T/out" 2>"$T/err"; local got=$?
    if [ "$got" = "$want" ]; then ok "$name: exit $want"
    else not_ok "$name: exit $want" "exit $got" "$(head -c 300 "$T/err")"; fi
}
# exact NAME FIELDFILE INPUT ARGS...: exit 0 and output = FIELDFILE + INPUT,
# with LF input, then the same with CRLF (fields end in CRLF too).
exact() {
    local name=$1 f=$2 in=$3; shift 3
    cat "$f" "$in" >"$T/want"
    run "$name, LF" 0 "$in" "$@"
    expect_file "$name, LF: the exact field and the message" "$T/want" "$T/out"
    crlf <"$in" >"$T/in.crlf"; crlf <"$f" | cat - "$T/in.crlf" >"$T/want"
    run "$name, CRLF" 0 "$T/in.crlf" "$@"
    expect_file "$name, CRLF: the exact field and the message" "$T/want" "$T/out"
}
b8() { tr -d '\r\n\t ' <"$1" | sed -n 's/.*;b=\(........\).*/\1/p'; }

msg pass.example | qmail-dkimsign --control-dir "$C" >"$T/signed"
B=$(b8 "$T/signed")
# A value with a tspecial ("/" of base64) is a quoted-string (RFC 8601 2.2).
case $B in */*) B="\"$B\"" ;; esac
expect_match "the signed message has a DKIM-Signature d=pass.example" 'd=pass\.example' "$(head -1 "$T/signed")"
for d in pass none quar rej nodmarc temp testy; do msg $d.example >"$T/m.$d"; done

# == The field for each result, byte for byte.
cat >"$T/f.pass" <<EOF
Authentication-Results: mx.test; spf=fail reason="mechanism -all matched"
	smtp.mailfrom=pass.example; dkim=pass header.d=pass.example
	header.i=@pass.example header.s=default header.a=ed25519-sha256
	header.b=$B; dmarc=pass (p=reject dis=none)
	header.from=pass.example policy.dmarc=reject
EOF
exact "pass by aligned DKIM (SPF fail)" "$T/f.pass" "$T/signed" --ip 192.0.2.99 --sender a@pass.example
cat >"$T/f.spfonly" <<'EOF'
Authentication-Results: mx.test; spf=pass reason="mechanism ip4:192.0.2.1
	matched" smtp.mailfrom=pass.example; dkim=none; dmarc=pass (p=reject
	dis=none) header.from=pass.example policy.dmarc=reject
EOF
exact "pass by aligned SPF only (unsigned)" "$T/f.spfonly" "$T/m.pass" --ip 192.0.2.1 --sender a@pass.example
# The null sender, written '' or <>: SPF checks the HELO identity (RFC 7208 2.4).
run "null sender ''" 0 "$T/m.pass" --ip 192.0.2.1 --sender '' --helo pass.example
cp "$T/out" "$T/null.out"
expect_match "null sender '': SPF for the HELO" '^Authentication-Results: mx.test; spf=[a-z]+ .*smtp.helo=pass.example;' "$(ar1 "$T/null.out")"
run "null sender <>" 0 "$T/m.pass" --ip 192.0.2.1 --sender '<>' --helo pass.example
expect_file "null sender <>: the same as ''" "$T/null.out" "$T/out"
cat >"$T/f.none" <<'EOF'
Authentication-Results: mx.test; spf=fail reason="mechanism -all matched"
	smtp.mailfrom=none.example; dkim=none; dmarc=fail (p=none dis=none)
	header.from=none.example policy.dmarc=none
EOF
exact "fail, p=none" "$T/f.none" "$T/m.none" --ip 192.0.2.99 --sender a@none.example
cat >"$T/f.quar" <<'EOF'
Authentication-Results: mx.test; spf=fail reason="mechanism -all matched"
	smtp.mailfrom=quar.example; dkim=none; dmarc=fail (p=quarantine
	dis=none) header.from=quar.example policy.dmarc=quarantine
EOF
exact "fail, p=quarantine, not enforcing" "$T/f.quar" "$T/m.quar" --ip 192.0.2.99 --sender a@quar.example
cat >"$T/f.rej" <<'EOF'
Authentication-Results: mx.test; spf=fail reason="mechanism -all matched"
	smtp.mailfrom=rej.example; dkim=none; dmarc=fail (p=reject dis=none)
	header.from=rej.example policy.dmarc=reject
EOF
exact "fail, p=reject, not enforcing" "$T/f.rej" "$T/m.rej" --ip 192.0.2.99 --sender a@rej.example
cat >"$T/f.nodmarc" <<'EOF'
Authentication-Results: mx.test; spf=none reason="RFC 7208 4.4: no SPF record
	at \"nodmarc.example\"" smtp.mailfrom=nodmarc.example; dkim=none;
	dmarc=none header.from=nodmarc.example
EOF
exact "none: no _dmarc record" "$T/f.nodmarc" "$T/m.nodmarc" --ip 192.0.2.99 --sender a@nodmarc.example
cat >"$T/f.temp" <<'EOF'
Authentication-Results: mx.test; spf=fail reason="mechanism -all matched"
	smtp.mailfrom=temp.example; dkim=none; dmarc=temperror
	header.from=temp.example
EOF
exact "temperror (tempfail pragma), not enforcing" "$T/f.temp" "$T/m.temp" --ip 192.0.2.99 --sender a@temp.example
printf 'Subject: x\n\nb\n' >"$T/m.nofrom"
cat >"$T/f.nofrom" <<'EOF'
Authentication-Results: mx.test; spf=pass reason="mechanism ip4:192.0.2.1
	matched" smtp.mailfrom=pass.example; dkim=none; dmarc=permerror
	reason="RFC 5322 3.6: no From field"
EOF
exact "permerror: no From" "$T/f.nofrom" "$T/m.nofrom" --ip 192.0.2.1 --sender a@pass.example
printf 'From: undisclosed-recipients:;\nSubject: x\n\nb\n' >"$T/m.nodom"
cat >"$T/f.nodom" <<'EOF'
Authentication-Results: mx.test; spf=pass reason="mechanism ip4:192.0.2.1
	matched" smtp.mailfrom=pass.example; dkim=none; dmarc=permerror
	reason="RFC 5322 3.6.2: From field without an address"
EOF
exact "permerror: From without an address" "$T/f.nodom" "$T/m.nodom" --ip 192.0.2.1 --sender a@pass.example
printf 'From: alice\nSubject: x\n\nb\n' >"$T/m.local"
run "From: alice (no domain), not enforcing" 0 "$T/m.local" --ip 192.0.2.1 --sender a@pass.example
expect_match "From: alice: dmarc=permerror" 'dmarc=permerror' "$(ar1 "$T/out")"
expect_eq "no line of our fields is longer than 78" "" "$(cat "$T"/f.* | awk 'length($0) > 78')"

# == The chain, and dmarccheck alone.
spfcheck --control-dir "$C" --dns-zone "$Z" --ip 192.0.2.1 --sender a@pass.example --helo mail.example.net \
    <"$T/signed" | dkimverify --control-dir "$C" --dns-zone "$Z" >"$T/chain.in"
cat >"$T/f.chain" <<'EOF'
Authentication-Results: mx.test; dmarc=pass (p=reject dis=none)
	header.from=pass.example policy.dmarc=reject
EOF
exact "chain spfcheck | dkimverify | dmarccheck: dmarc= only (spf= and dkim= are above)" "$T/f.chain" "$T/chain.in"
expect_eq "chain: the dkim= and spf= of the earlier stages are still below" "2" \
    "$(grep -c '^Authentication-Results: mx.test; \(spf\|dkim\)=pass' "$T/out")"
cat >"$T/f.alone" <<EOF
Authentication-Results: mx.test; spf=pass reason="mechanism ip4:192.0.2.1
	matched" smtp.mailfrom=pass.example; dkim=pass header.d=pass.example
	header.i=@pass.example header.s=default header.a=ed25519-sha256
	header.b=$B; dmarc=pass (p=reject dis=none)
	header.from=pass.example policy.dmarc=reject
EOF
exact "dmarccheck alone: spf= and dkim= computed here, then dmarc=" "$T/f.alone" "$T/signed" \
    --ip 192.0.2.1 --sender a@pass.example --helo mail.example.net
# Only spfcheck ran: dkim= computed here, spf= taken from above.
spfcheck --control-dir "$C" --dns-zone "$Z" --ip 192.0.2.99 --sender a@pass.example <"$T/signed" >"$T/spf.in"
run "spfcheck (fail) | dmarccheck: DKIM verified here" 0 "$T/spf.in" --ip 192.0.2.1 --sender a@pass.example
expect_match "spfcheck | dmarccheck: dkim=pass added, no second spf=, dmarc=pass" \
    '^Authentication-Results: mx.test; dkim=pass header.d=pass.example .*; dmarc=pass ' "$(ar1 "$T/out")"

# == Enforcement.
run "--reject, p=reject" 100 "$T/m.rej" --reject --ip 192.0.2.99 --sender a@rej.example
expect_eq "--reject, p=reject: the reason, nothing on stdout" "5.7.1 rejected by DMARC policy for rej.example|0" \
    "$(cat "$T/err")|$(wc -c <"$T/out")"
# Enforcing, dis= says what is done: quarantine.
printf 'X-Qauth-DMARC-Quarantine: quar.example\n' | cat - "$T/f.quar" "$T/m.quar" |
    sed 's/^\tdis=none) header.from=quar.example/\tdis=quarantine) header.from=quar.example/' >"$T/want"
run "--reject, p=quarantine" 0 "$T/m.quar" --reject --ip 192.0.2.99 --sender a@quar.example
expect_file "--reject, p=quarantine: the quarantine field on top, then A-R" "$T/want" "$T/out"
crlf <"$T/want" >"$T/want.crlf"; crlf <"$T/m.quar" >"$T/in.crlf"
run "--reject, p=quarantine, CRLF" 0 "$T/in.crlf" --reject --ip 192.0.2.99 --sender a@quar.example
expect_file "--reject, p=quarantine, CRLF: both fields end in CRLF" "$T/want.crlf" "$T/out"
cat "$T/f.none" "$T/m.none" >"$T/want"
run "--reject, p=none" 0 "$T/m.none" --reject --ip 192.0.2.99 --sender a@none.example
expect_file "--reject, p=none: the field only" "$T/want" "$T/out"
run "--reject, temperror" 111 "$T/m.temp" --reject --ip 192.0.2.99 --sender a@temp.example
expect_match "--reject, temperror: one line, try again later" '^dmarccheck: .*temperror for temp\.example.*try again later$' "$(cat "$T/err")"
expect_eq "--reject, temperror: one stderr line, no stdout" "1 0" "$(wc -l <"$T/err") $(wc -c <"$T/out")"
run "--reject, no From: refused" 100 "$T/m.nofrom" --reject --ip 192.0.2.1 --sender a@pass.example
expect_match "--reject, no From: 5.7.1" '^5\.7\.1 DMARC: no usable From domain' "$(cat "$T/err")"
run "--reject, pass" 0 "$T/signed" --reject --ip 192.0.2.99 --sender a@pass.example
expect_file "--reject, pass: the field, no quarantine field" <(cat "$T/f.pass" "$T/signed") "$T/out"
echo 1 >"$C/dmarcreject"
run "control/dmarcreject 1, p=reject" 100 "$T/m.rej" --ip 192.0.2.99 --sender a@rej.example
run "control/dmarcreject 1, p=quarantine: field" 0 "$T/m.quar" --ip 192.0.2.99 --sender a@quar.example
expect_eq "control/dmarcreject 1: quarantine field first" "X-Qauth-DMARC-Quarantine: quar.example" "$(head -1 "$T/out")"
run "control/dmarcreject 1, temperror" 111 "$T/m.temp" --ip 192.0.2.99 --sender a@temp.example
run "control/dmarcreject 1 and --no-reject: not enforcing" 0 "$T/m.rej" --no-reject --ip 192.0.2.99 --sender a@rej.example
expect_file "--no-reject: the field only" <(cat "$T/f.rej" "$T/m.rej") "$T/out"
echo 0 >"$C/dmarcreject"
run "control/dmarcreject 0, p=reject: not enforcing" 0 "$T/m.rej" --ip 192.0.2.99 --sender a@rej.example
run "control/dmarcreject 0, p=quarantine: no quarantine field" 0 "$T/m.quar" --ip 192.0.2.99 --sender a@quar.example
expect_eq "not enforcing: no quarantine field" 0 "$(grep -c '^X-Qauth-DMARC-Quarantine' "$T/out")"
rm "$C/dmarcreject"
echo 0 >"$C/dmarc"
for m in rej temp nofrom; do
    run "control/dmarc 0 ($m), even with --reject" 0 "$T/m.$m" --reject --ip 192.0.2.99 --sender a@rej.example
    expect_file "control/dmarc 0 ($m): unchanged bytes" "$T/m.$m" "$T/out"
done
rm "$C/dmarc"

# == sp=, np=, alignment, t=y, pct=.
msg sub.org.example >"$T/m.sub"; msg nx.org.example >"$T/m.nx"
run "sp=quarantine for an existing subdomain" 0 "$T/m.sub" --reject --ip 192.0.2.99 --sender a@sub.org.example
expect_match "sub.org.example: p=quarantine from sp=" 'dmarc=fail \(p=quarantine dis=quarantine\) header.from=sub.org.example policy.dmarc=quarantine' "$(ar1 <(sed 1d "$T/out"))"
expect_eq "sub.org.example: quarantine field" "X-Qauth-DMARC-Quarantine: sub.org.example" "$(head -1 "$T/out")"
run "np=none for a non-existent subdomain (p=reject, sp=quarantine)" 0 "$T/m.nx" --reject --ip 192.0.2.99 --sender a@nx.org.example
expect_match "nx.org.example: p=none from np=" 'dmarc=fail \(p=none dis=none\) header.from=nx.org.example policy.dmarc=none' "$(ar1 "$T/out")"
msg org.example >"$T/m.org"
run "p=reject at the org domain itself" 100 "$T/m.org" --reject --ip 192.0.2.99 --sender a@org.example
# strict: d=strict.example signs From: mail.strict.example; relaxed would align.
# strict: d=strict.example signs From: a@mail.strict.example; relaxed would align.
msg mail.strict.example | qmail-dkimsign --control-dir "$C" --domain strict.example >"$T/strict"
run "adkim=s, aspf=s: d= and smtp.mailfrom of the org domain do not align" 100 "$T/strict" \
    --reject --ip 192.0.2.1 --sender a@strict.example
expect_match "strict: dkim=pass but dmarc=fail" 'dkim=pass header.d=strict.example' \
    "$(dm --ip 192.0.2.1 --sender a@strict.example <"$T/strict" | ar1 /dev/stdin)"
run "strict: smtp.mailfrom of the From domain itself aligns" 0 "$T/strict" --reject --ip 192.0.2.1 --sender a@mail.strict.example
expect_match "strict: exact SPF domain: dmarc=pass" 'dmarc=pass' "$(ar1 "$T/out")"
msg mail.pass.example | qmail-dkimsign --control-dir "$C" --domain pass.example >"$T/relaxed"
run "relaxed (default): d=pass.example aligns with From mail.pass.example" 0 "$T/relaxed" --reject --ip 192.0.2.99 --sender a@x.example
expect_match "relaxed: dmarc=pass header.from=mail.pass.example" 'dmarc=pass .*header.from=mail.pass.example' "$(ar1 "$T/out")"
run "t=y: p=reject applied one step lower (quarantine)" 0 "$T/m.testy" --reject --ip 192.0.2.99 --sender a@testy.example
expect_eq "t=y: quarantine field" "X-Qauth-DMARC-Quarantine: testy.example" "$(head -1 "$T/out")"
expect_match "t=y: dis=quarantine" '\(p=reject dis=quarantine\)' "$(ar1 <(sed 1d "$T/out"))"
msg pct0.example >"$T/m.pct0"; msg pct100.example >"$T/m.pct100"
run "--discovery psl, pct=0: outside the sample, quarantine" 0 "$T/m.pct0" --discovery psl --reject --ip 192.0.2.99 --sender a@pct0.example
expect_eq "psl pct=0: quarantine field" "X-Qauth-DMARC-Quarantine: pct0.example" "$(head -1 "$T/out")"
expect_match "psl pct=0: dis=quarantine" '\(p=reject dis=quarantine\)' "$(ar1 <(sed 1d "$T/out"))"
run "--discovery psl, pct=100: reject" 100 "$T/m.pct100" --discovery psl --reject --ip 192.0.2.99 --sender a@pct100.example
run "tree walk (RFC 9989): pct=0 is not part of the record, reject" 100 "$T/m.pct0" --reject --ip 192.0.2.99 --sender a@pct0.example
dm --discovery psl --trace --ip 192.0.2.99 --sender a@pct0.example <"$T/m.pct0" >/dev/null 2>"$T/err"
expect_match "--trace names the discovery mode" 'psl|PSL|7489' "$(cat "$T/err")"

# == Security cases.
{ printf 'Received: from attacker\nAuthentication-Results: mx.test; dkim=pass header.d=rej.example\n'
  printf 'Authentication-Results: mx.test; spf=pass smtp.mailfrom=rej.example\n'; cat "$T/m.rej"; } >"$T/forged"
run "forged A-R with our id below Received: not trusted, reject" 100 "$T/forged" --reject --ip 192.0.2.99 --sender a@rej.example
run "forged A-R, not enforcing" 0 "$T/forged" --ip 192.0.2.99 --sender a@rej.example
expect_match "forged: our dmarc=fail" 'dkim=none; dmarc=fail' "$(ar1 "$T/out")"
expect_eq "forged: the forged fields are removed" 0 "$(grep -c 'header.d=rej.example\|smtp.mailfrom=rej.example$' "$T/out")"
{ printf 'Authentication-Results: mx.test; spf=fail smtp.mailfrom=rej.example\nReceived: from attacker\n'
  printf 'Authentication-Results: mx.test; dkim=pass header.d=rej.example\n'; cat "$T/m.rej"; } >"$T/forged2"
run "our own block has spf=fail, a forged dkim=pass below: reject" 100 "$T/forged2" --reject
{ printf 'Authentication-Results: other.example; spf=pass smtp.mailfrom=rej.example; dkim=pass header.d=rej.example\n'
  cat "$T/m.rej"; } >"$T/foreign"
run "A-R of another authserv-id at the top: not trusted, reject" 100 "$T/foreign" --reject --ip 192.0.2.99 --sender a@rej.example
run "A-R of another authserv-id: not enforcing" 0 "$T/foreign" --ip 192.0.2.99 --sender a@rej.example
expect_eq "foreign A-R: kept in the message" 1 "$(grep -c '^Authentication-Results: other.example' "$T/out")"
# A second From with another domain: the signature (without oversigning) covers the
# bottom From; the top one must not pass on it.
msg pass.example | qmail-dkimsign --control-dir "$C" --headers from:subject >"$T/s.noover"
awk 'NR==1{print "From: b@rej.example"} {print}' "$T/s.noover" >"$T/twofrom"
run "second From field (rej.example) over a pass.example signature: reject" 100 "$T/twofrom" --reject --ip 192.0.2.99 --sender a@pass.example
expect_eq "second From: the stricter domain is named" "5.7.1 rejected by DMARC policy for rej.example" "$(cat "$T/err")"
run "second From, not enforcing" 0 "$T/twofrom" --ip 192.0.2.99 --sender a@pass.example
ar=$(ar1 "$T/out")
expect_match "second From: the signature is not used (dkim=policy, two From fields)" 'dkim=policy reason="RFC 5322 3.6: more than one From field" header.d=pass.example' "$ar"
expect_match "second From: dmarc=fail for both domains" 'dmarc=fail \(p=reject dis=none\) header.from=rej.example.*dmarc=fail \(p=reject dis=none\) header.from=pass.example' "$ar"
printf 'From: a@pass.example, B@REJ.example\nSubject: hi\n\nbody\n' | qmail-dkimsign --control-dir "$C" --domain pass.example >"$T/twoaddr"
run "two addresses in one From field: reject by the second" 100 "$T/twoaddr" --reject --ip 192.0.2.99 --sender a@x.example
expect_eq "two addresses: names rej.example" "5.7.1 rejected by DMARC policy for rej.example" "$(cat "$T/err")"
printf 'From: a@pass.example, "b" <A@Pass.Example.>\nSubject: hi\n\nbody\n' | qmail-dkimsign --control-dir "$C" --domain pass.example >"$T/samedom"
run "the same domain twice (case, trailing dot): counted once" 0 "$T/samedom" --reject --ip 192.0.2.99 --sender a@x.example
expect_eq "same domain twice: one dmarc= entry" 1 "$(ar1 "$T/out" | grep -o '; dmarc=' | wc -l)"
for mf in rej.example a@rej.example A@REJ.EXAMPLE 'a.b+c@rej.example'; do
    { printf 'Authentication-Results: mx.test; spf=pass smtp.mailfrom=%s\n' "$mf"; cat "$T/m.rej"; } >"$T/mf"
    run "smtp.mailfrom=$mf from our spfcheck: aligned SPF pass" 0 "$T/mf" --reject
    expect_match "smtp.mailfrom=$mf: dmarc=pass" 'dmarc=pass' "$(ar1 "$T/out")"
done

# spfcheck --helo-check writes both identities: the HELO pass must not count
# when there is a MAIL FROM result; alone (null sender) it does.
{ printf 'Authentication-Results: mx.test; spf=fail smtp.mailfrom=x.example; spf=pass smtp.helo=rej.example\n'; cat "$T/m.rej"; } >"$T/helo"
run "spf=fail for MAIL FROM, spf=pass for HELO of the From domain: reject" 100 "$T/helo" --reject
{ printf 'Authentication-Results: mx.test; spf=pass smtp.helo=rej.example\n'; cat "$T/m.rej"; } >"$T/helo"
run "null sender: spf=pass smtp.helo of the From domain aligns" 0 "$T/helo" --reject

# == --check writes nothing.
for c in "signed 0 --ip 192.0.2.99 --sender a@pass.example" "m.rej 100 --ip 192.0.2.99 --sender a@rej.example" \
         "m.quar 0 --ip 192.0.2.99 --sender a@quar.example" "m.temp 111 --ip 192.0.2.99 --sender a@temp.example" \
         "m.nofrom 100 --ip 192.0.2.1 --sender a@pass.example"; do
    set -- $c; f=$1 want=$2; shift 2
    run "--check, $f" "$want" "$T/$f" --check "$@"
    expect_eq "--check, $f: nothing on stdout" 0 "$(wc -c <"$T/out")"
done
expect_eq "--check, p=reject: the reason on stderr" "5.7.1 rejected by DMARC policy for rej.example" \
    "$(dm --check --ip 192.0.2.99 --sender a@rej.example <"$T/m.rej" 2>&1 >/dev/null)"

# == DNS trouble in an aligned SPF or DKIM check is temperror, never a refusal
# (RFC 8601 2.7.1: a later attempt may pass). A fresh user found these refused.
msg spftemp.example >"$T/m.spftemp"
run "SPF record lookup fails, --reject: exit 111" 111 "$T/m.spftemp" --reject --ip 192.0.2.1 --sender a@spftemp.example
expect_match "SPF temperror, --reject: the reason" 'DMARC temperror for spftemp\.example: no aligned pass, and an aligned SPF temperror' "$(cat "$T/err")"
run "SPF record lookup fails, not enforcing: exit 0" 0 "$T/m.spftemp" --ip 192.0.2.1 --sender a@spftemp.example
expect_match "SPF temperror, not enforcing: dmarc=temperror" '; dmarc=temperror \(p=reject dis=none\) header\.from=spftemp\.example' "$(ar1 "$T/out")"
{ printf 'Authentication-Results: mx.test; spf=fail smtp.mailfrom=other.example; dkim=temperror header.d=rej.example\n'; msg rej.example; } >"$T/m.dkimtemp"
run "an aligned dkim=temperror of this pass, --reject: exit 111" 111 "$T/m.dkimtemp" --reject
{ printf 'Authentication-Results: mx.test; spf=fail smtp.mailfrom=other.example; dkim=temperror header.d=other.example\n'; msg rej.example; } >"$T/m.dkimtemp2"
run "an unaligned dkim=temperror, --reject: still refused, exit 100" 100 "$T/m.dkimtemp2" --reject

# == Usage and configuration errors are temporary.
for bad in "--discovery bogus" "--reject --no-reject" "--dns-timeout 0" "--bogus"; do
    expect_status "usage error ($bad): exit 111" 111 dmarccheck $bad <"$T/m.rej"
    expect_match "usage error ($bad): one line starting usage:" '^usage: dmarccheck: ' "$(head -1 "$T/err")"
done
echo x >"$C/dmarc"
expect_status "control/dmarc not a number: exit 111" 111 dm <"$T/m.rej"
expect_match "control/dmarc not a number: names the file" 'dmarc' "$(cat "$T/err")"
rm "$C/dmarc"
expect_status "--help exits 0" 0 dmarccheck --help
