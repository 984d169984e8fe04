# The SPF part of scripts/bench (sourced by it; uses its B, bin, RUNS,
# QUICK, PY, record, fig, say, M and target): spfcheck against libspf2
# (spfquery.libspf2) and pyspf (python3 -m spf) on the same cases and the
# same DNS server, NSD on loopback inside dns_private (tests/lib-dns.sh),
# where all three use 127.0.0.1:53 from /etc/resolv.conf.
#
# Per case and tool: the result (the three must agree, or the case is
# reported FAILED), the DNS queries the server received (the counting proxy
# of tests/dns/delay-proxy.py at 127.0.0.1:53, delay 0), callgrind's
# instructions of one run (pyspf: of the first case only; it is slow under
# callgrind), and the mean wall time of RUNS x 4 runs.

SPF_CASES="ip4-pass:192.0.2.10:u@ip4.bench
mx-fail:203.0.113.200:u@mx.bench
mx-match2:198.51.100.2:u@mx.bench
mx6-fail:2001:db8::99:u@mx.bench
include-pass:192.0.2.77:u@inc.bench
fail:203.0.113.99:u@fail.bench
ptr-pass:198.51.100.7:u@ptr.bench
redirect-pass:192.0.2.10:u@redir.bench"

spf_zone() {
    local i
    cat <<'Z'
ip4.bench.   IN TXT "v=spf1 ip4:192.0.2.0/24 -all"
mx.bench.    IN TXT "v=spf1 mx -all"
inc.bench.   IN TXT "v=spf1 include:i1.bench include:i2.bench -all"
i1.bench.    IN TXT "v=spf1 ip4:203.0.113.0/28 -all"
i2.bench.    IN TXT "v=spf1 a:host.i2.bench -all"
host.i2.bench. IN A 192.0.2.77
fail.bench.  IN TXT "v=spf1 a mx include:i1.bench -all"
fail.bench.  IN A  192.0.2.200
fail.bench.  IN MX 10 m1.bench.
ptr.bench.   IN TXT "v=spf1 ptr -all"
redir.bench. IN TXT "v=spf1 redirect=ip4.bench"
Z
    for i in 1 2 3 4 5; do
        printf 'mx.bench. IN MX %d m%d.bench.\nm%d.bench. IN A 198.51.100.%d\nm%d.bench. IN AAAA 2001:db8::%d\n' \
            "$((i * 10))" "$i" "$i" "$i" "$i" "$i"
    done
    for i in 1 2 3 4; do
        printf '7.100.51.198.in-addr.arpa. IN PTR p%d.ptr.bench.\n' "$i"
        printf 'p%d.ptr.bench. IN A 198.51.100.%d\n' "$i" "$([ "$i" = 4 ] && echo 7 || echo $((69 + i)))"
    done
}

# spf_cmd TOOL IP SENDER: the command line, for bash -c inside dns_private;
# it prints the result word.
spf_cmd() {
    case $1 in
        qauth) printf '%q --control-dir %q --ip %q --sender %q --helo h.bench --mode 1 </dev/null | sed -n "s/^Received-SPF: \\([a-z]*\\).*/\\1/p"' \
            "$bin/spfcheck" "$B/ctl" "$2" "$3" ;;
        libspf2) printf 'spfquery.libspf2 -ip %q -sender %q -helo h.bench </dev/null | head -n1' "$2" "$3" ;;
        pyspf) printf '%q -W ignore -m spf %q %q h.bench </dev/null 2>/dev/null | sed -n "s/^\\([Rr]esult: \\)\\{0,1\\}(.\\([a-z]*\\).*/\\2/p"' \
            "$PY" "$2" "$3" ;;
    esac
}

spf_measure() {
    local c name ip sender tool cmd n runs=$((RUNS * 4)) first=yes
    spf_zone >"$B/spf.zone"
    dns_start "$B/spf.zone" 2>"$B/err" || { say "spf: NSD did not start: $(cat "$B/err")"; FAILED=1; return; }
    while IFS= read -r c; do
        name=${c%%:*} sender=${c##*:} ip=${c#*:} ip=${ip%:*}
        for tool in qauth libspf2 pyspf; do
            cmd=$(spf_cmd "$tool" "$ip" "$sender")
            record "spf.$name.$tool.result" \
                "$(DNS_PRIVATE_DELAY_MS=0 DNS_PRIVATE_COUNT_FILE="$B/count" dns_private bash -c "$cmd" 2>/dev/null)"
            record "spf.$name.$tool.queries" "$(cat "$B/count" 2>/dev/null || echo n/a)"
            if [ "$tool" != pyspf ] || [ -n "$first" ]; then
                n=$(dns_private bash -c "valgrind --tool=callgrind --callgrind-out-file=/dev/null ${cmd%%|*} 2>&1 >/dev/null" |
                    sed -n 's/.*Collected : \([0-9]*\).*/\1/p' | tail -n1)
                record "spf.$name.$tool.ir" "${n:-n/a}"
            fi
            record "spf.$name.$tool.ms" "$(dns_private bash -c "s=\$(date +%s%N); for i in \$(seq $runs); do ${cmd%%|*} >/dev/null 2>&1; done; e=\$(date +%s%N); echo \$(( (e - s) / $runs / 10000 ))" |
                awk '{ printf "%.2f\n", $1 / 100 }')"
        done
        first=
        if [ "$(fig "spf.$name.qauth.result")" != "$(fig "spf.$name.libspf2.result")" ] ||
            [ "$(fig "spf.$name.qauth.result")" != "$(fig "spf.$name.pyspf.result")" ]; then
            say "spf $name: results differ: spfcheck $(fig "spf.$name.qauth.result"), libspf2 $(fig "spf.$name.libspf2.result"), pyspf $(fig "spf.$name.pyspf.result")"
            FAILED=1
        fi
    done <<<"$SPF_CASES"
    dns_stop
}

spf_report() {
    local c name tool
    printf '\n-- SPF: spfcheck, libspf2, pyspf on the same cases, NSD on loopback\n'
    printf '  %-14s %-9s | %-26s | %-26s | %-26s\n' "" "" "queries  instructions  ms" "libspf2" "pyspf"
    while IFS= read -r c; do
        name=${c%%:*}
        printf '  %-14s %-9s' "$name" "$(fig "spf.$name.qauth.result")"
        for tool in qauth libspf2 pyspf; do
            printf ' | %7s %12s %5s' "$(fig "spf.$name.$tool.queries")" "$(M "$(fig "spf.$name.$tool.ir")")" "$(fig "spf.$name.$tool.ms")"
        done
        printf '\n'
    done <<<"$SPF_CASES"
    printf '  (ms: mean wall time per check; pyspf instructions for the first case only)\n'
    printf '  mx-match2: the 2nd of 5 MX hosts matches. spfcheck asks the 5 address lookups of the term\n'
    printf '  at once (one round trip, issue 7); libspf2 asks one at a time and stops at the match.\n'
}

spf_targets() {
    local c name worst=0 most=0 q l n
    while IFS= read -r c; do
        name=${c%%:*}
        n=$(fig "spf.$name.qauth.ir")
        case $n in *[!0-9]* | "") most=n/a ;; *) [ "$most" != n/a ] && [ "$n" -gt "$most" ] && most=$n ;; esac
        [ "$name" = mx-match2 ] && continue  # more queries by design, fewer round trips
        q=$(fig "spf.$name.qauth.queries") l=$(fig "spf.$name.libspf2.queries")
        case "$q$l" in *[!0-9]* | "") worst=n/a ;; *) [ "$worst" != n/a ] && [ $((q - l)) -gt "$worst" ] && worst=$((q - l)) ;; esac
    done <<<"$SPF_CASES"
    target "spfcheck instructions per check, largest case (M)" "$(ratio "$most" 1000000)" le 4
    target "spfcheck DNS queries beyond libspf2's, any case" "$worst" le 0 "all but mx-match2: see above"
}
