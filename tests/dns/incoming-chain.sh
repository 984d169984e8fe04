# The incoming chain spfcheck | dkimverify | dmarccheck as a .qmail line or
# the QMAILQUEUE wrapper runs it, every program asking a real DNS server on
# loopback (tests/lib-dns.sh, NSD) with --dns-server, on messages signed by
# our signer (Ed25519, RSA) and by dkimpy (rsa-sha256, relaxed and simple,
# with a key from dkimkeygen). dmarccheck must take the SPF and DKIM results
# of the two filters above it, not compute them again (--trace says when it
# does), and decide as RFC 9989 §4.4 says: an aligned SPF or DKIM pass passes.
. "$(dirname "$0")/../lib.sh"
: "${T:?lib.sh did not load}"
. "$TOP/tests/lib-dns.sh"

C=$T/ctl; mkdir -p "$C" && echo mx.chain.test >"$C/me"
keys() { "$QAUTH_BIN/dkimkeygen" --control-dir "$C" "$@" >>"$T/keys.zone" 2>"$T/err" || not_ok "dkimkeygen $*" "$(cat "$T/err")"; }
keys --type ed25519 ours.chain.test
keys --type ed25519 chain.test
keys --type rsa --selector rsa rsa.chain.test
keys --type rsa --selector py py.chain.test
keys --type rsa --selector py other.test
cat >"$T/chain.zone" <<'EOF'
ours.chain.test.          IN TXT "v=spf1 ip4:192.0.2.1 -all"
_dmarc.ours.chain.test.   IN TXT "v=DMARC1; p=reject"
rsa.chain.test.           IN TXT "v=spf1 ip4:192.0.2.1 -all"
_dmarc.rsa.chain.test.    IN TXT "v=DMARC1; p=reject; adkim=s"
chain.test.               IN TXT "v=spf1 ip4:192.0.2.1 -all"
_dmarc.chain.test.        IN TXT "v=DMARC1; p=quarantine; sp=reject"
py.chain.test.            IN TXT "v=spf1 ip4:192.0.2.1 -all"
strict.chain.test.        IN TXT "v=spf1 ip4:192.0.2.1 -all"
_dmarc.strict.chain.test. IN TXT "v=DMARC1; p=reject; adkim=s; aspf=s"
other.test.               IN TXT "v=spf1 ip4:198.51.100.7 -all"
EOF

if dns_start "$T/chain.zone" "$T/keys.zone" 2>"$T/dns.err"; then ok "dns_start serves the chain's zones"; else
    not_ok "dns_start serves the chain's zones" "$(head -c 300 "$T/dns.err")"
    exit 1
fi

# msg NAME FROM: an unsigned message in $T/NAME.
msg() { printf 'From: Someone <a@%s>\nTo: b@mx.chain.test\nSubject: the incoming chain\nDate: Tue, 1 Dec 2026 10:00:00 +0000\nMessage-ID: <%s@chain.test>\n\nA body line.\n  with  odd   spacing  \n\n\n' "$2" "$1" >"$T/$1"; }
msg ours ours.chain.test
msg rsa rsa.chain.test
msg sub sub.chain.test
msg pyrelaxed py.chain.test
msg pysimple py.chain.test
msg pysub strict.chain.test
msg pyother py.chain.test
msg pyaltered py.chain.test
"$QAUTH_BIN/qmail-dkimsign" --control-dir "$C" <"$T/ours" >"$T/ours.s"
"$QAUTH_BIN/qmail-dkimsign" --control-dir "$C" <"$T/rsa" >"$T/rsa.s"
# A subdomain's mail signed with the parent's key: relaxed alignment (§4.4.1).
"$QAUTH_BIN/qmail-dkimsign" --control-dir "$C" --domain chain.test <"$T/sub" >"$T/sub.s"
k=$C/domainkeys
cat >"$T/jobs" <<EOF
$T/pyrelaxed $T/pyrelaxed.s py py.chain.test $k/py.chain.test/py relaxed relaxed rsa-sha256
$T/pysimple $T/pysimple.s py py.chain.test $k/py.chain.test/py simple simple rsa-sha256
$T/pysub $T/pysub.s py py.chain.test $k/py.chain.test/py relaxed simple rsa-sha256
$T/pyother $T/pyother.s py other.test $k/other.test/py relaxed relaxed rsa-sha256
$T/pyaltered $T/pyaltered.s py py.chain.test $k/py.chain.test/py relaxed relaxed rsa-sha256
EOF
if /usr/bin/python3 "$TOP/tests/interop/dkimpy-sign.py" <"$T/jobs" 2>"$T/err"; then ok "dkimpy signs five messages"; else
    not_ok "dkimpy signs five messages" "$(head -c 300 "$T/err")"
fi
sed -i 's/^A body line\./A body line, changed after signing./' "$T/pyaltered.s"

# chain NAME IP SENDER [DMARCCHECK OPTION...]: the three filters on $T/NAME.s;
# sets st (their exit statuses), out, and trace (dmarccheck's stderr). The
# options default to --reject.
chain() {
    local in=$T/$1.s ip=$2 sender=$3
    shift 3
    [ $# -gt 0 ] || set -- --reject
    "$QAUTH_BIN/spfcheck" --control-dir "$C" --dns-server "$DNS_SERVER" --ip "$ip" --sender "$sender" --helo mail.chain.test <"$in" 2>"$T/spf.err" |
        "$QAUTH_BIN/dkimverify" --control-dir "$C" --dns-server "$DNS_SERVER" 2>"$T/dkim.err" |
        "$QAUTH_BIN/dmarccheck" --control-dir "$C" --dns-server "$DNS_SERVER" --trace "$@" >"$T/out" 2>"$T/trace"
    st="${PIPESTATUS[*]}"
}
# field N: the Nth header field of $T/out, unfolded.
field() { awk -v n="$1" '/^[^ \t]/ { i++ } i == n { sub(/^[ \t]+/, " "); printf "%s", $0 } i > n { exit }' "$T/out" | tr -s ' '; }
# body_intact NAME: the output ends with the signed input, byte for byte.
body_intact() {
    expect_eq "$1: the message below our fields is the input, byte for byte" \
        "$(sha256sum <"$T/$1.s")" "$(tail -c "$(wc -c <"$T/$1.s")" "$T/out" | sha256sum)"
}
no_recompute() {
    expect_eq "$1: dmarccheck took both results from the filters above it" "" \
        "$(grep -E 'no (spf|dkim)= result of this pass' "$T/trace")"
}

chain ours 192.0.2.1 a@ours.chain.test
expect_eq "ours: all three exit 0" "0 0 0" "$st"
expect_match "ours: dmarc=pass first, header.from and the policy" \
    '^Authentication-Results: mx\.chain\.test; dmarc=pass \(p=reject dis=none\) header\.from=ours\.chain\.test policy\.dmarc=reject$' "$(field 1)"
expect_match "ours: dkim=pass by the Ed25519 signature second" \
    '^Authentication-Results: mx\.chain\.test; dkim=pass header\.d=ours\.chain\.test .*header\.a=ed25519-sha256' "$(field 2)"
expect_match "ours: Received-SPF pass third" '^Received-SPF: pass \(mx\.chain\.test: domain of a@ours\.chain\.test designates 192\.0\.2\.1' "$(field 3)"
expect_match "ours: spf=pass fourth" '^Authentication-Results: mx\.chain\.test; spf=pass .*smtp\.mailfrom=ours\.chain\.test$' "$(field 4)"
body_intact ours
no_recompute ours

# Strict DKIM alignment, our RSA signature: d= is the From domain, a pass.
chain rsa 198.51.100.9 a@rsa.chain.test
expect_eq "rsa, SPF fail, adkim=s with d= the From domain: all exit 0" "0 0 0" "$st"
expect_match "rsa: dmarc=pass on the aligned DKIM pass alone" 'dmarc=pass \(p=reject dis=none\) header\.from=rsa\.chain\.test' "$(field 1)"
expect_match "rsa: spf=fail above" '; spf=fail ' "$(field 4)"
no_recompute rsa

# sub.chain.test has no record: the organizational domain's, with sp=reject
# (§4.7); d=chain.test is aligned under relaxed alignment.
chain sub 198.51.100.9 a@sub.chain.test
expect_eq "sub: signed by the parent, SPF fail: exit 0" "0 0 0" "$st"
expect_match "sub: dmarc=pass under the org record, policy sp=reject" \
    'dmarc=pass \(p=reject dis=none\) header\.from=sub\.chain\.test policy\.dmarc=reject$' "$(field 1)"

chain pyrelaxed 198.51.100.9 a@py.chain.test
expect_eq "dkimpy relaxed/relaxed, SPF fail: exit 0" "0 0 0" "$st"
expect_match "dkimpy relaxed: dkim=pass by dkimpy's signature" 'dkim=pass header\.d=py\.chain\.test .*header\.s=py header\.a=rsa-sha256' "$(field 2)"
expect_match "dkimpy relaxed: dmarc=pass under the org's p=quarantine, sp=reject" \
    'dmarc=pass \(p=reject dis=none\) header\.from=py\.chain\.test policy\.dmarc=reject$' "$(field 1)"
body_intact pyrelaxed
no_recompute pyrelaxed

chain pysimple 192.0.2.1 bounce@py.chain.test
expect_eq "dkimpy simple/simple, SPF pass: exit 0" "0 0 0" "$st"
expect_match "dkimpy simple: dkim=pass and dmarc=pass" 'dmarc=pass .*header\.from=py\.chain\.test' "$(field 1)"
expect_match "dkimpy simple: dkim=pass" '; dkim=pass header\.d=py\.chain\.test' "$(field 2)"

# adkim=s aspf=s on strict.chain.test, signed by d=py.chain.test, SPF pass
# for py.chain.test: both are relaxed-aligned only, so strict fails (§4.4.1, §4.4.2).
chain pysub 192.0.2.1 a@py.chain.test
expect_eq "strict alignment, both only relaxed-aligned: spfcheck and dkimverify 0, dmarccheck 100" "0 0 100" "$st"
expect_eq "strict: the reason on stderr" "5.7.1 rejected by DMARC policy for strict.chain.test" "$(grep -v '^dmarccheck: trace' "$T/trace")"
expect_eq "strict: nothing on stdout" 0 "$(wc -c <"$T/out")"
chain pysub 192.0.2.1 a@py.chain.test --no-reject
expect_match "strict, --no-reject: dmarc=fail, dis=none" 'dmarc=fail \(p=reject dis=none\) header\.from=strict\.chain\.test' "$(field 1)"

# A third party's valid signature (d=other.test), SPF fail: not aligned.
chain pyother 198.51.100.9 a@py.chain.test
expect_eq "third-party signature, SPF fail: dmarccheck 100" "0 0 100" "$st"
chain pyother 198.51.100.9 a@py.chain.test --no-reject
expect_match "third-party: dkim=pass for other.test" '; dkim=pass header\.d=other\.test' "$(field 2)"
expect_match "third-party: dmarc=fail" 'dmarc=fail \(p=reject dis=none\) header\.from=py\.chain\.test' "$(field 1)"

# The body changed after dkimpy signed it; SPF fail; quarantine applies on
# the org domain: accepted, with our quarantine mark on top.
sed -i 's/^_dmarc.chain.test. .*/_dmarc.chain.test. IN TXT "v=DMARC1; p=quarantine"/' "$T/chain.zone"
if dns_start "$T/chain.zone" "$T/keys.zone" 2>"$T/dns.err"; then ok "dns_start serves the changed zone"; else
    not_ok "dns_start serves the changed zone" "$(head -c 300 "$T/dns.err")"
    exit 1
fi
chain pyaltered 198.51.100.9 a@py.chain.test
expect_eq "altered body, p=quarantine: all exit 0" "0 0 0" "$st"
expect_eq "altered: the quarantine mark first" "X-Qauth-DMARC-Quarantine: py.chain.test" "$(field 1)"
expect_match "altered: dmarc=fail, dis=quarantine" 'dmarc=fail \(p=quarantine dis=quarantine\) header\.from=py\.chain\.test policy\.dmarc=quarantine$' "$(field 2)"
expect_match "altered: dkim=fail (body hash)" '; dkim=fail .*header\.d=py\.chain\.test' "$(field 3)"
body_intact pyaltered
