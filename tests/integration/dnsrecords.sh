#!/usr/bin/env bash
# qauth-dnsrecords as an admin runs it: the exact records printed for a
# domain with two selectors and an alias, the template and its placeholders,
# --check against --dns-zone files (all good, then each finding class, with
# the exact lines), DNS trouble (exit 111), and bad input.
. "$(dirname "$0")/../lib.sh"

P=qauth-dnsrecords
C=$T/ctl
mkdir -p "$C"
K=$C/domainkeys/example.com
mkdir -p "$K"
openssl genrsa -out "$K/rsa1" 2048 2>/dev/null
openssl genpkey -algorithm ed25519 -out "$K/ed1" 2>/dev/null
chmod 600 "$K/rsa1" "$K/ed1"
printf 'rsa1\n' >"$K/selector"
touch "$K/.tmp-junk" && chmod 600 "$K/.tmp-junk"
rsa_p=$(openssl pkey -in "$K/rsa1" -pubout -outform DER | base64 -w0)
ed_p=$(openssl pkey -in "$K/ed1" -pubout -outform DER | tail -c 32 | base64 -w0)
rsa_t="v=DKIM1; k=rsa; p=$rsa_p"
ed_t="v=DKIM1; k=ed25519; p=$ed_p"

# records D: what we expect for domain D with the default template.
records() {
    printf '; %s\n' "$1"
    printf '%s. IN TXT "v=spf1 +a +mx -all"\n' "$1"
    printf '_dmarc.%s. IN TXT "v=DMARC1; p=none"\n' "$1"
    printf '; DKIM ed25519 key, selector ed1 (not active): private key in %s/ed1\n' "$K"
    printf 'ed1._domainkey.%s. IN TXT ( "%s" )\n' "$1" "$ed_t"
    printf '; DKIM rsa 2048-bit key, selector rsa1 (active): private key in %s/rsa1\n' "$K"
    printf 'rsa1._domainkey.%s. IN TXT ( "%s"\n\t"%s" )\n' "$1" "${rsa_t:0:255}" "${rsa_t:255}"
    printf '_domainkey.%s. IN TXT "o=-"\n' "$1"
}
# run ARGS...: the program with the control directory; sets rc, out, err.
run() { "$QAUTH_BIN/$P" --control-dir "$C" "$@" >"$T/out" 2>"$T/err"; rc=$?; out=$(cat "$T/out"); err=$(cat "$T/err"); }

# ---------------------------------------------------------------- printing
run Example.COM --alias example.net
expect_eq "print: exit 0, nothing on stderr" "0 " "$rc $err"
{ records example.com; records example.net; } >"$T/want"
if cmp -s "$T/want" "$T/out"; then ok "print: exact bytes, two selectors and an alias"; else
    not_ok "print: exact bytes, two selectors and an alias" "$(diff "$T/want" "$T/out" | head -20)"; fi
run example.com --alias example.net,example.com
expect_eq "print: an alias given twice or equal to the domain is printed once" "$(cat "$T/want")" "$out"

# The records are what dkimkeygen --print prints for the same key.
dkimkeygen --control-dir "$C" --print --selector rsa1 example.com >"$T/keygen" 2>/dev/null
expect_eq "print: the key record is dkimkeygen's" "$(sed -n 2,3p "$T/keygen")" "$(sed -n 7,8p "$T/out")"

# An alias with a key directory of its own is published with its keys.
mkdir -p "$C/domainkeys/example.org"
cp -p "$K/ed1" "$C/domainkeys/example.org/default"
run example.com --alias example.org
expect_eq "print: an alias's own key directory" 1 "$(grep -c -F "default._domainkey.example.org. IN TXT ( \"$ed_t\" )" "$T/out")"
rm -r "$C/domainkeys/example.org"

# ---------------------------------------------------------------- the template
printf '; our template\n<domain>. TXT "v=spf1 +a +mx ip4:<ip> -all"\n@ 300 IN TXT "google-site-verification=x" "y"\n_dmarc.<domain>. TXT "v=DMARC1; p=quarantine; rua=mailto:dmarc@<domain>"\n' >"$C/dnstemplate"
rm -r "$K.off" 2>/dev/null; mv "$K" "$K.off"
run --ip 192.0.2.25 example.com
expect_eq "template: exit 0" 0 "$rc"
expect_eq "template: <domain>, <ip>, @, joined strings, its own DMARC record" \
"; example.com
example.com. IN TXT \"v=spf1 +a +mx ip4:192.0.2.25 -all\"
example.com. IN TXT \"google-site-verification=xy\"
_dmarc.example.com. IN TXT \"v=DMARC1; p=quarantine; rua=mailto:dmarc@example.com\"" "$out"
run example.com
expect_eq "template: <ip> without --ip is a configuration error" \
    "111 qauth-dnsrecords: fatal: $C/dnstemplate line 2: <ip> in the template needs --ip" "$rc $err"
run --ip 2001:db8::25 example.com
expect_match "template: an IPv6 address in ip4: is refused (the SPF record must parse)" \
    "^111 qauth-dnsrecords: fatal: $C/dnstemplate line 2: RFC 7208" "$rc $err"
run --ip 192.0.2.300 example.com
expect_eq "template: --ip must be an address" "111 usage: qauth-dnsrecords: --ip: not an IP address: 192.0.2.300 (see --help)" "$rc $err"
printf '<domain>. TXT "v=spf1 -all"\r\n' >"$C/dnstemplate"
run example.com
expect_eq "bad input: CR in the template" "111 qauth-dnsrecords: fatal: $C/dnstemplate line 1: control character \\x0d (no NUL, CR or others)" "$rc $err"
printf '<domain>. TXT "v=spf1 \0-all"\n' >"$C/dnstemplate"
run example.com
expect_eq "bad input: NUL in the template" "111 qauth-dnsrecords: fatal: $C/dnstemplate line 1: control character \\x00 (no NUL, CR or others)" "$rc $err"
head -c 70000 /dev/zero | tr '\0' ';' >"$C/dnstemplate"
run example.com
expect_match "bad input: a huge template is refused" "^111 qauth-dnsrecords: fatal: $C/dnstemplate" "$rc $err"
printf '<domain>. MX 10 mx.<domain>.\n' >"$C/dnstemplate"
run example.com
expect_eq "bad input: a type other than TXT" \
    "111 qauth-dnsrecords: fatal: $C/dnstemplate line 1: type 'MX' not supported: the template holds TXT records only" "$rc $err"
rm "$C/dnstemplate"; mv "$K.off" "$K"

# ---------------------------------------------------------------- bad names and options
for bad in 'exa mple.com' 'x-.example' 'a..example' '1.2.3.4' "$(printf 'a\001.example')" "$(printf '%0300d' 0).example"; do
    run "$bad"
    expect_match "bad input: domain $(printf '%q' "$bad") is a usage error" '^111 usage: qauth-dnsrecords: bad domain' "$rc $err"
done
run -- -x.example
expect_match "bad input: domain -x.example after -- is a usage error" '^111 usage: qauth-dnsrecords: bad domain' "$rc $err"
run example.com --alias 'bad..alias'
expect_match "bad input: a bad alias is a usage error" '^111 usage: qauth-dnsrecords: --alias: bad domain' "$rc $err"
"$QAUTH_BIN/$P" --control-dir "$T/nonexistent" example.com >"$T/out" 2>"$T/err"
expect_eq "bad input: a missing control directory" "111 1" "$? $(grep -c "$T/nonexistent" "$T/err")"
run example.com --dns-timeout 0 --check
expect_match "bad input: a bad --dns-timeout is a usage error" '^111 usage:' "$rc $err"

# ---------------------------------------------------------------- --check
# The zone that publishes what we print, and the hosts the SPF record names.
run example.com --alias example.net
cp "$T/out" "$T/good.zone"
printf 'example.com. IN A 192.0.2.1\nexample.com. IN MX 10 mail.example.com.\nmail.example.com. IN A 192.0.2.2\nexample.net. IN A 192.0.2.1\nexample.net. IN MX 10 mail.example.com.\n' >>"$T/good.zone"
run example.com --alias example.net --check --dns-zone "$T/good.zone"
expect_eq "check: all good: exit 0, one ok line" "0 ok: 8 records checked, no findings|" "$rc $out|$err"

# The same zone with one record per line, to replace records by name.
{
    printf 'example.com. IN TXT "v=spf1 +a +mx -all"\n_dmarc.example.com. IN TXT "v=DMARC1; p=none"\n'
    printf 'ed1._domainkey.example.com. IN TXT "%s"\n' "$ed_t"
    printf 'rsa1._domainkey.example.com. IN TXT "%s" "%s"\n' "${rsa_t:0:255}" "${rsa_t:255}"
    printf 'example.com. IN A 192.0.2.1\nexample.com. IN MX 10 mail.example.com.\nmail.example.com. IN A 192.0.2.2\n'
} >"$T/lines.zone"
run example.com --check --dns-zone "$T/lines.zone"
expect_eq "check: all good, one record per line" "0 ok: 4 records checked, no findings|" "$rc $out|$err"

# check NAME ZONE-LINES EXPECTED DROP: --check of example.com against
# lines.zone without the lines starting with DROP and with ZONE-LINES
# added; expects exit 1 and exactly the lines EXPECTED on stdout.
check() {
    local name=$1 lines=$2 want=$3 drop=$4
    awk -v d="$drop" 'index($0, d) != 1' "$T/lines.zone" >"$T/z"
    printf '%s\n' "$lines" >>"$T/z"
    run example.com --check --dns-zone "$T/z"
    expect_eq "check: $name" "1 $want|" "$rc $out|$err"
}
spf11='v=spf1 include:i1.example a mx -all'
chain='i1.example. IN TXT "v=spf1 include:i2.example a:h.example mx:h.example exists:h.example ?all"
i2.example. IN TXT "v=spf1 a:h.example mx:h.example exists:h.example a:h.example ?all"
h.example. IN A 192.0.2.9
h.example. IN MX 0 h.example.'
check "SPF missing" '' 'example.com: RFC 7208 4.5: no SPF record; want "v=spf1 +a +mx -all"' 'example.com. IN TXT'
check "SPF over 10 DNS lookups through includes" "example.com. IN TXT \"$spf11\"
$chain" "example.com: RFC 7208 4.5: published \"$spf11\" differs from ours, \"v=spf1 +a +mx -all\"
example.com: RFC 7208 4.6.4: 11 DNS-querying terms (include, a, mx, ptr, exists, redirect, through every include), over the limit of 10: permerror at every receiver" 'example.com. IN TXT'
check "SPF void lookups" 'example.com. IN TXT "v=spf1 a mx a:gone1.example exists:gone2.example mx:gone3.example -all"' \
"example.com: RFC 7208 4.5: published \"v=spf1 a mx a:gone1.example exists:gone2.example mx:gone3.example -all\" differs from ours, \"v=spf1 +a +mx -all\"
example.com: RFC 7208 4.6.4: 3 void lookups (NXDOMAIN or no data), over the limit of 2: permerror" 'example.com. IN TXT'
check "SPF two records" 'example.com. IN TXT "v=spf1 +a +mx -all"
example.com. IN TXT "v=spf1 -all"' 'example.com: RFC 7208 4.5: several SPF records: permerror at every receiver; publish one, "v=spf1 +a +mx -all"' 'example.com. IN TXT'
check "SPF syntax error" 'example.com. IN TXT "v=spf1 +a +mx -al"' \
    'example.com: RFC 7208 4.6: the SPF record does not parse, permerror at every receiver: RFC 7208 4.6.1: unknown mechanism "al"' 'example.com. IN TXT'
check "DMARC missing" '' '_dmarc.example.com: RFC 9989 4.7: no DMARC record; want "v=DMARC1; p=none"' _dmarc.example.com.
check "DMARC two records" '_dmarc.example.com. IN TXT "v=DMARC1; p=none"
_dmarc.example.com. IN TXT "v=DMARC1; p=reject"' \
    '_dmarc.example.com: RFC 7489 6.6.3: 2 v=DMARC1 records, none applies: receivers apply no policy; publish one, "v=DMARC1; p=none"' _dmarc.example.com.
check "DMARC look-alike" '_dmarc.example.com. IN TXT "v=dmarc1; p=none"' \
'_dmarc.example.com: RFC 7489 6.4: "v=dmarc1; p=none" is no DMARC record: v=DMARC1 must come first, DMARC1 in capitals
_dmarc.example.com: RFC 9989 4.7: no DMARC record; want "v=DMARC1; p=none"' _dmarc.example.com.
check "DMARC rua to an outside domain without authorization" '_dmarc.example.com. IN TXT "v=DMARC1; p=none; rua=mailto:agg@dmarc.example.net"' \
'_dmarc.example.com: RFC 9989 4.7: published "v=DMARC1; p=none; rua=mailto:agg@dmarc.example.net" differs from ours, "v=DMARC1; p=none"
_dmarc.example.com: RFC 9990 3: rua=mailto:agg@dmarc.example.net is outside example.com without the authorization record example.com._report._dmarc.dmarc.example.net TXT "v=DMARC1" (RFC 7489 7.1): receivers send no reports there' _dmarc.example.com.
other_ed=$(openssl genpkey -algorithm ed25519 2>/dev/null | openssl pkey -pubout -outform DER | tail -c 32 | base64 -w0)
check "DKIM key does not match ours" "ed1._domainkey.example.com. IN TXT \"v=DKIM1; k=ed25519; p=$other_ed\"" \
    "ed1._domainkey.example.com: RFC 6376 3.6.1: p= is not the public key of our private key $K/ed1: every signature fails" ed1._domainkey
check "DKIM t=y left on" "ed1._domainkey.example.com. IN TXT \"$ed_t; t=y\"" \
    'ed1._domainkey.example.com: RFC 6376 3.6.1: t=y (testing) is on: verifiers may treat the mail as unsigned; remove it' ed1._domainkey
short=$(openssl genrsa 512 2>/dev/null | openssl pkey -pubout -outform DER | base64 -w0)
check "DKIM short RSA key" "rsa1._domainkey.example.com. IN TXT \"v=DKIM1; k=rsa; p=$short\"" \
"rsa1._domainkey.example.com: RFC 8301 3.2: 512-bit RSA key: verifiers MUST NOT accept keys under 1024 bits
rsa1._domainkey.example.com: RFC 6376 3.6.1: p= is not the public key of our private key $K/rsa1: every signature fails" rsa1._domainkey.example.com.
check "DKIM missing record of the active selector" '' \
    'rsa1._domainkey.example.com: RFC 6376 3.6.2.1: no key record for selector rsa1, which the signer uses: every signature fails' rsa1._domainkey.example.com.
check "DKIM broken record" 'ed1._domainkey.example.com. IN TXT "v=DKIM1; k=ed25519; p=!!"' \
    'ed1._domainkey.example.com: RFC 6376 3.6.1: key p= is not valid base64 (verifiers PERMFAIL every signature)' ed1._domainkey
check "controls from DNS are escaped" "example.com. IN TXT \"v=spf1 +a +mx -all\"
example.com. IN TXT \"v=spf1 \\027[31m -all\"" \
    'example.com: RFC 7208 4.5: several SPF records: permerror at every receiver; publish one, "v=spf1 +a +mx -all"' 'example.com. IN TXT'
check "controls from DNS are escaped in a DMARC look-alike" '_dmarc.example.com. IN TXT "v=dmarc1;\027[2J\008 p=none"' \
'_dmarc.example.com: RFC 7489 6.4: "v=dmarc1;\x1b[2J\x08 p=none" is no DMARC record: v=DMARC1 must come first, DMARC1 in capitals
_dmarc.example.com: RFC 9989 4.7: no DMARC record; want "v=DMARC1; p=none"' _dmarc.example.com.

# ---------------------------------------------------------------- DNS trouble
cp "$T/good.zone" "$T/slow.zone"
printf ';qauth: tempfail _dmarc.example.com TXT\n' >>"$T/slow.zone"
run example.com --check --dns-zone "$T/slow.zone"
expect_eq "DNS trouble: exit 111, nothing on stdout, the lookup named on stderr" \
    "111 |qauth-dnsrecords: warning: DNS trouble: temporary DNS failure: _dmarc.example.com/TXT: simulated failure of _dmarc.example.com/TXT ($T/slow.zone:24)" "$rc $out|$err"
printf ';qauth: tempfail h.example\nexample.com. IN TXT "v=spf1 a:h.example -all"\n' >>"$T/slow.zone"
sed -i '/^example.com. IN TXT "v=spf1 +a/d' "$T/slow.zone"
run example.com --check --dns-zone "$T/slow.zone"
expect_eq "DNS trouble: findings still printed, exit 111" \
    "111 example.com: RFC 7208 4.5: published \"v=spf1 a:h.example -all\" differs from ours, \"v=spf1 +a +mx -all\"" "$rc $out"
expect_eq "DNS trouble: one line per failed lookup" 2 "$(grep -c 'DNS trouble' "$T/err")"
printf 'example.com. IN MX notanumber\n' >"$T/broken.zone"
run example.com --check --dns-zone "$T/broken.zone"
expect_match "bad input: a zone file that does not parse" "^111 qauth-dnsrecords: fatal: .*broken.zone" "$rc $err"
