# spfcheck asking a real DNS server on loopback (tests/lib-dns.sh, NSD)
# with --dns-server: a pass by ip4:, a fail by -all, an mx match (MX, then
# the hosts' A records), a record too big for a UDP answer (TCP), the HELO
# identity of a null sender; then the same server stopped, so that nothing
# answers on its port: temperror within --dns-timeout, which mode 1 writes
# into Received-SPF and passes on (exit 0, message intact) and mode 2 turns
# into exit 111.
. "$(dirname "$0")/../lib.sh"
: "${T:?lib.sh did not load}"
. "$TOP/tests/lib-dns.sh"

mkdir -p "$T/ctl" && echo test.example >"$T/ctl/me"
printf 'From: a@example.com\nSubject: spf over dns\n\nbody line\n' >"$T/msg"

# A TXT record of 80 ip4: terms in strings of 200 bytes, over 1400 bytes with the rest
# of the answer: UDP is truncated and the answer comes by TCP.
big="v=spf1"
for i in $(seq 1 80); do big="$big ip4:198.51.100.$i"; done
big="$big ip4:192.0.2.77 -all"
cat >"$T/spf.zone" <<EOF
\$ORIGIN dns.test.
pass      IN TXT "v=spf1 ip4:192.0.2.1 -all"
mx        IN TXT "v=spf1 mx -all"
mx        IN MX  10 mx1.dns.test.
mx        IN MX  20 mx2.dns.test.
mx1       IN A   192.0.2.31
mx2       IN A   198.51.100.32
mx2       IN AAAA 2001:db8::32
big       IN TXT $(for ((i = 0; i < ${#big}; i += 200)); do printf '"%s" ' "${big:i:200}"; done)
helo      IN TXT "v=spf1 a -all"
helo      IN A   192.0.2.9
EOF
expect_eq "the big record is over 1400 bytes" yes "$([ ${#big} -gt 1400 ] && echo yes)"

# run NAME MODE IP SENDER HELO [OPTION...]: spfcheck on $T/msg; sets rc and
# result (the Received-SPF result word of the first line), out, err.
run() {
    local mode=$1 ip=$2 sender=$3 helo=$4
    shift 4
    "$QAUTH_BIN/spfcheck" --control-dir "$T/ctl" --mode "$mode" --ip "$ip" --sender "$sender" --helo "$helo" "$@" \
        <"$T/msg" >"$T/out" 2>"$T/err"
    rc=$?
    result=$(sed -nE '1s/^Received-SPF: ([a-z]+).*/\1/p' "$T/out")
}

if dns_start "$T/spf.zone" 2>"$T/dns.err"; then ok "dns_start serves the SPF zone"; else
    not_ok "dns_start serves the SPF zone" "$(head -c 300 "$T/dns.err")"
    exit 1  # nothing below can run without the server
fi
port=$DNS_PORT

run 1 192.0.2.1 alice@pass.dns.test mail.example.com --dns-server "$DNS_SERVER"
expect_eq "ip4 match over DNS: pass" "rc=0 pass" "rc=$rc $result"
expect_match "pass: A-R spf=pass smtp.mailfrom" 'spf=pass .*smtp\.mailfrom=pass\.dns\.test' "$(first_ar "$T/out")"
run 3 192.0.2.2 alice@pass.dns.test mail.example.com --dns-server "$DNS_SERVER"
expect_eq "no match over DNS, mode 3: fail refused with 5.7.1" "rc=100 5.7.1" "rc=$rc $(head -c 5 "$T/err")"
run 1 192.0.2.2 alice@pass.dns.test mail.example.com --dns-server "$DNS_SERVER"
expect_eq "no match over DNS, mode 1: fail written, message passed on" "rc=0 fail" "rc=$rc $result"
run 1 198.51.100.32 alice@mx.dns.test mail.example.com --dns-server "$DNS_SERVER"
expect_eq "mx: the second MX host's A record matches: pass" "rc=0 pass" "rc=$rc $result"
expect_match "mx: Received-SPF names the mechanism" 'mechanism="?mx' "$(awk 'NR == 1 || /^[ \t]/ { printf "%s", $0; next } { exit }' "$T/out")"
run 1 2001:db8::32 alice@mx.dns.test mail.example.com --dns-server "$DNS_SERVER"
expect_eq "mx: an IPv6 client against the MX hosts' AAAA records: pass" "rc=0 pass" "rc=$rc $result"
run 1 192.0.2.32 alice@mx.dns.test mail.example.com --dns-server "$DNS_SERVER"
expect_eq "mx: no MX host has the address: fail" "rc=0 fail" "rc=$rc $result"
run 1 192.0.2.77 alice@big.dns.test mail.example.com --dns-server "$DNS_SERVER"
expect_eq "a record over 1400 bytes (TCP after a truncated UDP answer): pass" "rc=0 pass" "rc=$rc $result"
strace -f -e trace=socket -o "$T/strace" "$QAUTH_BIN/spfcheck" --control-dir "$T/ctl" --mode 1 --ip 192.0.2.77 \
    --sender alice@big.dns.test --helo mail.example.com --dns-server "$DNS_SERVER" <"$T/msg" >/dev/null 2>&1
expect_eq "the big record: asked by UDP, then by TCP" "dgram stream" \
    "$(grep -o 'SOCK_DGRAM\|SOCK_STREAM' "$T/strace" | sed 's/SOCK_DGRAM/dgram/; s/SOCK_STREAM/stream/' | uniq | tr '\n' ' ' | sed 's/ $//')"
run 1 192.0.2.9 "" helo.dns.test --dns-server "$DNS_SERVER"
expect_eq "null sender: the HELO identity, a match: pass" "rc=0 pass" "rc=$rc $result"
expect_match "null sender: A-R smtp.helo" 'spf=pass .*smtp\.helo=helo\.dns\.test' "$(first_ar "$T/out")"
run 1 192.0.2.1 alice@nothere.dns.test mail.example.com --dns-server "$DNS_SERVER"
expect_eq "a domain the server does not have (NXDOMAIN): none" "rc=0 none" "rc=$rc $result"

# --- nothing answers on the port: temperror ---------------------------------------
dns_stop
if [ -z "$(ss -Hlnu "( sport = :$port )")" ]; then ok "the server's port is closed"; else
    not_ok "the server's port is closed" "$(ss -Hlnu "( sport = :$port )")"
fi
start=$EPOCHREALTIME
run 1 192.0.2.1 alice@pass.dns.test mail.example.com --dns-server "127.0.0.1@$port" --dns-timeout 1
secs=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%d", b - a + 0.999 }')
expect_eq "no DNS answer, mode 1: temperror written, exit 0" "rc=0 temperror" "rc=$rc $result"
expect_match "no DNS answer, mode 1: A-R spf=temperror" 'spf=temperror' "$(first_ar "$T/out")"
body=$(awk '!/^(Received-SPF|Authentication-Results):/ && !/^[ \t]/ { f = 1 } f' "$T/out")
expect_eq "no DNS answer, mode 1: the message below the fields is intact" "$(cat "$T/msg")" "$body"
expect_eq "--dns-timeout 1: the answer within 5 s (3 tries of 1 s; took at most $secs s)" yes "$([ "$secs" -le 5 ] && echo yes || echo "$secs s")"
run 2 192.0.2.1 alice@pass.dns.test mail.example.com --dns-server "127.0.0.1@$port" --dns-timeout 1
expect_eq "no DNS answer, mode 2: exit 111, nothing on stdout" "rc=111 0" "rc=$rc $(wc -c <"$T/out")"
expect_match "no DNS answer, mode 2: the reason on stderr" '.' "$(head -n1 "$T/err")"
