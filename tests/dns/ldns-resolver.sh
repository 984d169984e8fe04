# The ldns resolver against a real DNS server: serves our zones and the
# shared RFC 8463 one with tests/lib-dns.sh, then runs the unit-test cases
# named *ldns* with QAUTH_TEST_DNS_SERVER set (and QAUTH_TEST_DNS_DELAYED,
# the same server behind tests/dns/delay-proxy.py, 50 ms a reply), and
# checks that every one of them ran and passed: the live ones skip
# themselves without the variables, and must not pass here by skipping.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
. "$TOP/tests/lib-dns.sh"

unit=$QAUTH_BIN/unit-tests
if [ ! -x "$unit" ]; then not_ok "ldns resolver: $unit is built"; exit 0; fi

zones=$TOP/tests/data/dns
if ! need_testdata dkim/rfc8463.zone && [ -n "$SKIPPING" ]; then
    ok "ldns resolver: dns_start serves the zones"  # all reported as skipped
    ok "ldns resolver: all *ldns* unit cases ran and passed against nsd"
    ok "ldns resolver: query_all's 12 questions were with the server at once"
    exit 0
fi
if ! dns_start "$zones/basic.zone" "$zones/chain.zone" "$zones/origin.zone" "$zones/cross.zone" \
        "$TESTDATA/dkim/rfc8463.zone" 2>"$T/start.err"; then
    not_ok "ldns resolver: dns_start" "$(cat "$T/start.err")"
    exit 0
fi
ok "ldns resolver: dns_start serves the zones at $DNS_SERVER"
if ! dns_delay_start 50 2>"$T/delay.err"; then
    not_ok "ldns resolver: dns_delay_start" "$(cat "$T/delay.err")"
    exit 0
fi

# Every *ldns* case, the ones that skip themselves included, must pass.
listed=$("$unit" --list-test-cases --test-case='*ldns*' --no-skip=true --no-colors=true | grep -c '^ldns ')
QAUTH_TEST_DNS_SERVER=$DNS_SERVER QAUTH_TEST_DNS_DELAYED=$DELAY_SERVER "$unit" --test-case='*ldns*' --no-colors=true >"$T/unit.log" 2>&1
rc=$?
summary=$(grep -E '^\[doctest\] test cases:' "$T/unit.log")
passed=$(sed -nE 's/.*\| *([0-9]+) passed.*/\1/p' <<<"$summary")
failed=$(sed -nE 's/.*\| *([0-9]+) failed.*/\1/p' <<<"$summary")
if [ "$rc" = 0 ] && [ "${failed:-x}" = 0 ] && [ "$listed" -ge 1 ] && [ "${passed:-0}" = "$listed" ]; then
    ok "ldns resolver: all $listed *ldns* unit cases ran and passed against nsd"
else
    not_ok "ldns resolver: all $listed *ldns* unit cases ran and passed against nsd" \
        "exit $rc; ${summary:-no doctest summary}" "$(grep -B2 -A6 'ERROR' "$T/unit.log" | head -40)"
fi
# The query_all case's batch of 12 went out together: one question at a time
# the proxy would hold one at most. (A proxy slowed by load may answer the
# first before it has read the last, hence not exactly 12.)
peak=$(dns_delay_peak)
expect_eq "ldns resolver: query_all's 12 questions were with the server at once" yes \
    "$([ "$peak" -ge 6 ] && [ "$peak" -le 12 ] && echo yes || echo "held at most $peak")"
