# dkimverify asking a real DNS server on loopback (tests/lib-dns.sh,
# NSD) with --dns-server: the RFC 8463 example passes as it does offline;
# a missing selector (NXDOMAIN), a selector name with no TXT (NODATA) are
# permerror; a selector behind a CNAME and a key record too big for UDP
# (TCP fallback) pass; a server that does not answer gives temperror within
# --dns-timeout, and the message still goes through (exit 0, intact), while
# --check exits 111.
. "$(dirname "$0")/../lib.sh"
: "${T:?lib.sh did not load}"
. "$TOP/tests/lib-dns.sh"
D=$TESTDATA/dkim
SIGNED=$D/rfc8463-signed.lf.eml
need_testdata dkim/rfc8463.zone dkim/rfc8463-signed.lf.eml dkim/rfc8463-signed.crlf.eml dkim/rfc8463-unsigned.lf.eml

# check NAME WANT FILE [OPTION...]: dkimverify exits 0, its first A-R field
# has the dkim= words WANT, and below that field the message is unchanged.
check() {
    local name=$1 want=$2 f=$3 rc n intact=
    shift 3
    "$QAUTH_BIN/dkimverify" --control-dir "$T" --authserv-id test.example "$@" <"$f" >"$T/out" 2>"$T/err"
    rc=$?
    n=$(awk 'NR == 1 { print; next } /^[ \t]/ { print; next } { exit }' "$T/out" | wc -c)
    head -c 23 "$T/out" | grep -q '^Authentication-Results:' || intact=" (no A-R field on top)"
    tail -c +"$((n + 1))" "$T/out" | cmp -s - "$f" || intact="$intact (message changed)"
    expect_eq "$name" "rc=0 $want" "rc=$rc $(dkim_results "$T/out")$intact"
}

# --- the RFC 8463 records, served as they are -----------------------------------
if dns_start "$D/rfc8463.zone" 2>"$T/dns.err"; then ok "dns_start serves rfc8463.zone"; else
    not_ok "dns_start serves rfc8463.zone" "$(head -c 300 "$T/dns.err")"
    [ -n "$SKIPPING" ] || exit 1  # nothing below can run without the server
    DNS_SERVER=127.0.0.1@1        # skipping: the cases below report as skipped
fi
for f in lf crlf; do
    check "rfc8463 $f over DNS: both signatures pass" "pass pass" "$D/rfc8463-signed.$f.eml" --dns-server "$DNS_SERVER"
done
check "rfc8463 lf offline (--dns-zone)" "pass pass" "$SIGNED" --dns-zone "$D/rfc8463.zone"
cp "$T/out" "$T/offline"
check "rfc8463 lf over DNS again" "pass pass" "$SIGNED" --dns-server "$DNS_SERVER"
expect_eq "same Authentication-Results over DNS as from the zone file" "$(first_ar "$T/offline")" "$(first_ar "$T/out")"
expect_status_in "--check over DNS: exit 0" 0 "$SIGNED" \
    "$QAUTH_BIN/dkimverify" --check --control-dir "$T" --dns-server "$DNS_SERVER"

# --- records written here: the Ed25519 key behind a CNAME, the RSA selector
# only as an A record (NODATA for TXT), then absent (NXDOMAIN), and a key
# record padded with n= notes past any UDP size (the answer comes by TCP) -----
ed_rec='"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="'  # RFC 8463 A.2
cat >"$T/cname.zone" <<EOF
brisbane._domainkey.football.example.com. IN CNAME ed.keys.example.net.
ed.keys.example.net. IN TXT $ed_rec
test._domainkey.football.example.com. IN A 192.0.2.1
EOF
(umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$T/big.pem") 2>/dev/null
"$QAUTH_BIN/qmail-dkimsign" --control-dir "$T" --key "$T/big.pem" --selector big --domain football.example.com \
    <"$D/rfc8463-unsigned.lf.eml" >"$T/big.eml" 2>"$T/err"
p=$(openssl pkey -in "$T/big.pem" -pubout -outform DER | base64 -w0)
{
    printf 'big._domainkey.football.example.com. IN TXT'
    printf 'v=DKIM1; k=rsa; n=%s; p=%s\n' "$(printf 'padding%.0s' $(seq 200))" "$p" |
        fold -w 250 | while IFS= read -r s; do printf ' "%s"' "$s"; done
    printf '\n'
} >"$T/big.zone"
expect_eq "big key record is larger than 1400 bytes" yes "$([ "$(wc -c <"$T/big.zone")" -gt 1400 ] && echo yes)"

if dns_start "$T/cname.zone" "$T/big.zone" 2>"$T/dns.err"; then ok "dns_start serves the CNAME and big zones"; else
    not_ok "dns_start serves the CNAME and big zones" "$(head -c 300 "$T/dns.err")"
    exit 1  # nothing below can run without the server
fi
check "selector behind a CNAME passes; selector with only an A record (NODATA) is permerror" \
    "pass permerror" "$SIGNED" --dns-server "$DNS_SERVER"
expect_match "NODATA: the reason says there is no key" 'dkim=permerror reason="[^"]*key' "$(first_ar "$T/out")"
check "key record over 1400 bytes (TCP after a truncated UDP answer) passes" pass "$T/big.eml" --dns-server "$DNS_SERVER"

# Only the Ed25519 record: the RSA selector is NXDOMAIN.
printf 'brisbane._domainkey.football.example.com. IN TXT %s\n' "$ed_rec" >"$T/one.zone"
if dns_start "$T/one.zone" 2>"$T/dns.err"; then ok "dns_start serves one key"; else
    not_ok "dns_start serves one key" "$(head -c 300 "$T/dns.err")"
    exit 1  # nothing below can run without the server
fi
check "selector missing from the server (NXDOMAIN): permerror, the other passes" "pass permerror" \
    "$SIGNED" --dns-server "$DNS_SERVER"
expect_match "NXDOMAIN: header.s=test is the permerror" 'dkim=permerror .*header\.s=test' "$(first_ar "$T/out")"
dns_stop

# --- a server that does not answer: a UDP/TCP port nobody listens on --------------
port=
for i in $(seq 50); do
    p=$((20000 + RANDOM % 40000))
    if [ -z "$(ss -Hantu "( sport = :$p )")" ]; then port=$p; break; fi
done
start=$SECONDS
check "no answer (--dns-timeout 1): temperror for both, exit 0, message intact" "temperror temperror" \
    "$SIGNED" --dns-server "127.0.0.1@$port" --dns-timeout 1
took=$((SECONDS - start))
# One query's budget (1 s x 3 tries) bounds the whole process, not each of
# the two signatures' lookups (which would take 6 s); $SECONDS counts whole seconds.
expect_eq "no answer: dkimverify gives up within 5 s with --dns-timeout 1 (took ${took}s)" yes \
    "$([ "$took" -le 5 ] && echo yes)"
expect_match "no answer: the reason says the lookup failed" 'dkim=temperror reason="key lookup failed' "$(first_ar "$T/out")"
# DESIGN 2: the fields we write are folded at 78 columns; the reason is a
# quoted-string with spaces in it, so it can be folded too.
awk 'NR == 1 { print; next } /^[ \t]/ { print; next } { exit }' "$T/out" |
    awk 'length($0) > 78 { print length($0) ": " $0 }' >"$T/long"
expect_eq "no answer: no line of the A-R field is longer than 78 characters" "" "$(head -c 300 "$T/long")"
expect_status_in "no answer: --check exits 111 (try again later)" 111 "$T/big.eml" \
    "$QAUTH_BIN/dkimverify" --check --control-dir "$T" --dns-server "127.0.0.1@$port" --dns-timeout 1
