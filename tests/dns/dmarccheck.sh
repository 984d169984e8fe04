# dmarccheck asking a real DNS server on loopback (tests/lib-dns.sh, NSD)
# with --dns-server: a pass by an aligned DKIM signature of our signer (key
# from dkimkeygen) and a p=reject refusal of an unsigned message from a
# client SPF does not permit; then the server stopped, so that nothing
# answers on its port: temperror within --dns-timeout, exit 111 when
# enforcing, the field only when not.
. "$(dirname "$0")/../lib.sh"
: "${T:?lib.sh did not load}"
. "$TOP/tests/lib-dns.sh"

C=$T/ctl; mkdir -p "$C" && echo mx.dns.test >"$C/me"
dkimkeygen --control-dir "$C" --type ed25519 pass.dns.test >"$T/keys.zone" 2>"$T/err" ||
    not_ok "dkimkeygen" "$(cat "$T/err")"
cat >"$T/dmarc.zone" <<'EOF'
pass.dns.test.        IN TXT "v=spf1 ip4:192.0.2.1 -all"
_dmarc.pass.dns.test. IN TXT "v=DMARC1; p=reject"
rej.dns.test.         IN TXT "v=spf1 ip4:192.0.2.1 -all"
_dmarc.rej.dns.test.  IN TXT "v=DMARC1; p=reject"
EOF
printf 'From: a@pass.dns.test\nSubject: dmarc over dns\n\nbody\n' | qmail-dkimsign --control-dir "$C" >"$T/signed"
printf 'From: a@rej.dns.test\nSubject: dmarc over dns\n\nbody\n' >"$T/rej"

if dns_start "$T/dmarc.zone" "$T/keys.zone" 2>"$T/dns.err"; then ok "dns_start serves the DMARC zone"; else
    not_ok "dns_start serves the DMARC zone" "$(head -c 300 "$T/dns.err")"
    exit 1
fi
port=$DNS_PORT
# run IN ARGS...: dmarccheck on IN; sets rc, out, err.
run() {
    local in=$1; shift
    "$QAUTH_BIN/dmarccheck" --control-dir "$C" "$@" <"$in" >"$T/out" 2>"$T/err"; rc=$?
}

run "$T/signed" --reject --dns-server "$DNS_SERVER" --ip 192.0.2.99 --sender a@pass.dns.test
expect_eq "aligned DKIM over DNS, --reject: exit 0" 0 "$rc"
expect_match "pass: dkim=pass and dmarc=pass in our field" \
    '^Authentication-Results: mx\.dns\.test; spf=fail .* dkim=pass header\.d=pass\.dns\.test .*; dmarc=pass \(p=reject dis=none\) header\.from=pass\.dns\.test policy\.dmarc=reject$' \
    "$(first_ar "$T/out")"
expect_eq "pass: the message below the field is intact" "$(cat "$T/signed")" "$(awk 'f; !/^(Authentication-Results:|[ \t])/ && !f {f=1; print}' "$T/out")"
run "$T/rej" --reject --dns-server "$DNS_SERVER" --ip 192.0.2.99 --sender a@rej.dns.test
expect_eq "p=reject over DNS, unaligned: exit 100, the reason, nothing on stdout" \
    "100|5.7.1 rejected by DMARC policy for rej.dns.test|0" "$rc|$(cat "$T/err")|$(wc -c <"$T/out")"
run "$T/rej" --reject --dns-server "$DNS_SERVER" --ip 192.0.2.1 --sender a@rej.dns.test
expect_eq "p=reject over DNS, aligned SPF pass: exit 0" 0 "$rc"

# --- nothing answers on the port: temperror ---------------------------------------
dns_stop
if [ -z "$(ss -Hlnu "( sport = :$port )")" ]; then ok "the server's port is closed"; else
    not_ok "the server's port is closed" "$(ss -Hlnu "( sport = :$port )")"
fi
start=$EPOCHREALTIME
run "$T/rej" --reject --dns-server "127.0.0.1@$port" --dns-timeout 1 --ip 192.0.2.99 --sender a@rej.dns.test
secs=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%d", b - a + 0.999 }')
expect_eq "no DNS answer, --reject: exit 111, nothing on stdout, one line" "111 0 1" "$rc $(wc -c <"$T/out") $(wc -l <"$T/err")"
expect_match "no DNS answer, --reject: temperror, try again later" 'temperror for rej\.dns\.test.*try again later$' "$(cat "$T/err")"
expect_eq "--dns-timeout 1: the answer within 15 s (took at most $secs s)" yes "$([ "$secs" -le 15 ] && echo yes || echo "$secs s")"
run "$T/rej" --no-reject --dns-server "127.0.0.1@$port" --dns-timeout 1 --ip 192.0.2.99 --sender a@rej.dns.test
expect_eq "no DNS answer, not enforcing: exit 0" 0 "$rc"
expect_match "no DNS answer, not enforcing: dmarc=temperror in the field" 'dmarc=temperror header\.from=rej\.dns\.test' "$(first_ar "$T/out")"
