# qauth-dnsrecords --check asking a real DNS server on loopback (tests/lib-dns.sh,
# NSD) with --dns-server: what it prints, served, checks clean; an SPF record
# of exactly 10 DNS-querying terms through includes passes and one of 11 is
# reported, and pyspf (the peer, asked through the system resolver in
# dns_private) agrees: fail for 10, permerror for 11; a key record that is
# not our key is reported; then the server stopped: DNS trouble, exit 111.
. "$(dirname "$0")/../lib.sh"
: "${T:?lib.sh did not load}"
. "$TOP/tests/lib-dns.sh"

C=$T/ctl; mkdir -p "$C"
dkimkeygen --control-dir "$C" --type ed25519 ok.dns.test >/dev/null 2>"$T/err" || not_ok "dkimkeygen" "$(cat "$T/err")"
dkimkeygen --control-dir "$C" --type ed25519 bad.dns.test >/dev/null 2>"$T/err" || not_ok "dkimkeygen" "$(cat "$T/err")"
qauth-dnsrecords --control-dir "$C" ok.dns.test >"$T/ok.zone" 2>"$T/err" || not_ok "qauth-dnsrecords prints" "$(cat "$T/err")"
other=$(openssl genpkey -algorithm ed25519 2>/dev/null | openssl pkey -pubout -outform DER | tail -c 32 | base64 -w0)
# i1 -> i2: 1 (include:i1) + 1 (include:i2) + 8 in i2 = 10; the 11th is a: in bad.dns.test's record.
terms8=$(for i in 1 2 3 4 5 6 7 8; do printf 'a:h%d.dns.test ' "$i"; done)
cat >"$T/extra.zone" <<EOF
ok.dns.test.        IN A   192.0.2.1
ok.dns.test.        IN MX  10 ok.dns.test.
bad.dns.test.       IN TXT "v=spf1 include:i1.dns.test a -all"
_dmarc.bad.dns.test. IN TXT "v=DMARC1; p=none"
default._domainkey.bad.dns.test. IN TXT "v=DKIM1; k=ed25519; p=$other"
ten.dns.test.       IN TXT "v=spf1 include:i1.dns.test -all"
i1.dns.test.        IN TXT "v=spf1 include:i2.dns.test ?all"
i2.dns.test.        IN TXT "v=spf1 $terms8?all"
$(for i in 1 2 3 4 5 6 7 8; do printf 'h%d.dns.test. IN A 198.51.100.%d\n' "$i" "$i"; done)
EOF
if dns_start "$T/ok.zone" "$T/extra.zone" 2>"$T/dns.err"; then ok "dns_start serves the zones"; else
    not_ok "dns_start serves the zones" "$(head -c 300 "$T/dns.err")"
    exit 1
fi
server=$DNS_SERVER
run() { "$QAUTH_BIN/qauth-dnsrecords" --control-dir "$C" --check --dns-server "$server" --dns-timeout 1 "$@" >"$T/out" 2>"$T/err"; rc=$?; out=$(cat "$T/out"); err=$(cat "$T/err"); }

run ok.dns.test
expect_eq "over DNS: what we print, served, checks clean" "0 ok: 3 records checked, no findings|" "$rc $out|$err"
run bad.dns.test
expect_eq "over DNS: 11 lookups through includes, a key not ours" "1 bad.dns.test: RFC 7208 4.5: published \"v=spf1 include:i1.dns.test a -all\" differs from ours, \"v=spf1 +a +mx -all\"
bad.dns.test: RFC 7208 4.6.4: 11 DNS-querying terms (include, a, mx, ptr, exists, redirect, through every include), over the limit of 10: permerror at every receiver
default._domainkey.bad.dns.test: RFC 6376 3.6.1: p= is not the public key of our private key $C/domainkeys/bad.dns.test/default: every signature fails|" "$rc $out|$err"

# The same count, seen by pyspf: 10 terms evaluate (fail by -all), 11 are a permerror.
if /usr/bin/python3 -c 'import spf' 2>/dev/null; then
    peer=$(printf 'ten|192.0.2.99|a@ten.dns.test|h\nbad|192.0.2.99|a@bad.dns.test|h\n' |
        dns_private /usr/bin/python3 "$TOP/tests/interop/pyspf-check.py" 2>&1 | tee "$T/peer" | cut -f1,2 | tr '\t\n' ': ')
    expect_eq "pyspf agrees: 10 lookups fail by -all, 11 are a permerror" "ten:fail bad:permerror " "$peer"
    expect_match "pyspf: the permerror is the lookup limit" "bad	permerror	.*[Tt]oo many" "$(cat "$T/peer")"
    run ten.dns.test
    expect_eq "10 lookups through includes: no lookup-limit finding" 0 "$(grep -c '4.6.4' "$T/out")"
else
    printf '# missing peer: pyspf (python3-spf)\n'
    skip "pyspf agrees: 10 lookups fail by -all, 11 are a permerror" "no pyspf"
    skip "10 lookups through includes: no lookup-limit finding" "no pyspf"
fi

dns_stop  # nothing answers on its port now
run ok.dns.test
expect_match "server gone: DNS trouble, exit 111" '^111 \|qauth-dnsrecords: warning: DNS trouble: temporary DNS failure: ' "$rc |$err"
