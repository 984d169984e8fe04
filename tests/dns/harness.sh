# tests/lib-dns.sh itself: what dns_start serves, and what dns_private
# changes (inside) and leaves alone (outside). Asks with drill (ldnsutils),
# and through the system resolver with getent, Debian's python3-dnspython and
# Net::DNS, as the peer tools do.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
. "$TOP/tests/lib-dns.sh"

zones=$TOP/tests/data/dns
py=/usr/bin/python3  # Debian's, with python3-dnspython (a python3-dkim dependency)

# ask PORT NAME TYPE: "RCODE ANCOUNT" from 127.0.0.1@PORT, then one line
# "OWNER TYPE RDATA" per answer RR.
ask() {
    drill -p "$1" @127.0.0.1 "$2" "$3" 2>&1 | awk '
        /rcode:/ { sub(/.*rcode: /, ""); sub(/,.*/, ""); rcode = $0 }
        /^;; ANSWER SECTION/ { on = 1; next }
        /^$/ { on = 0 }
        on && !/^;/ { n++; sub(/\t[0-9]+\tIN\t/, " "); sub(/\t/, " "); rrs = rrs "\n" $0 }
        END { printf "%s %d%s", rcode, n, rrs }'
}

# The sockets bound to 127.0.0.1:PORT, if any.
listening() { ss -Hlnut "( sport = :$1 )"; }

if ! dns_start "$zones/basic.zone" "$zones/origin.zone" "$zones/cross.zone" 2>"$T/err"; then
    not_ok "dns_start" "$(cat "$T/err")"
    exit 0
fi
expect_match "dns_start sets DNS_PORT and DNS_SERVER" '^127\.0\.0\.1@[0-9]+ [0-9]+$' "$DNS_SERVER $DNS_PORT"
port=$DNS_PORT

expect_eq "several character-strings stay apart" \
    "$(printf 'NOERROR 1\nmulti.example.com. TXT "part one;" " part two" "" " end"')" \
    "$(ask "$port" multi.example.com TXT)"
expect_eq "an empty TXT string is served" \
    "$(printf 'NOERROR 1\nempty.example.com. TXT ""')" "$(ask "$port" empty.example.com TXT)"
expect_eq "A records" "$(printf 'NOERROR 2\nhost.example.com. A 192.0.2.1\nhost.example.com. A 192.0.2.2')" \
    "$(ask "$port" host.example.com A)"
expect_eq "AAAA record" "$(printf 'NOERROR 1\nhost.example.com. AAAA 2001:db8::1')" \
    "$(ask "$port" host.example.com AAAA)"
expect_match "MX records" '^NOERROR 2' "$(ask "$port" example.com MX)"
expect_eq "PTR record" "$(printf 'NOERROR 1\n1.2.0.192.in-addr.arpa. PTR host.example.com.')" \
    "$(ask "$port" 1.2.0.192.in-addr.arpa PTR)"
expect_match "the server follows CNAMEs, across files and zones" \
    'NOERROR 3.*example\.org\. TXT "v=spf1 ip4:192\.0\.2\.0/24 -all"' "$(ask "$port" to-org.example.net TXT | tr '\n' ' ')"
expect_eq "an absent name is NXDOMAIN" "NXDOMAIN 0" "$(ask "$port" nothere.example.com TXT)"
expect_eq "a name under no file's domain is NXDOMAIN" "NXDOMAIN 0" "$(ask "$port" nothing.invalid A)"
expect_eq "an absent name in a zone with a SOA is NXDOMAIN" "NXDOMAIN 0" "$(ask "$port" nothere.example.org TXT)"
expect_eq "a name without the type is NOERROR, no data" "NOERROR 0" "$(ask "$port" host.example.com TXT)"
expect_eq "an empty non-terminal is NOERROR, no data" "NOERROR 0" "$(ask "$port" ent.example.com TXT)"
expect_eq "relative names of a zone with \$ORIGIN" \
    "$(printf 'NOERROR 1\n_dmarc.example.org. TXT "v=DMARC1; p=reject"')" "$(ask "$port" _dmarc.example.org TXT)"
big=$(drill -p "$port" @127.0.0.1 -t big.example.com TXT 2>&1 | grep -c 'hhhh')
expect_eq "a 1600-byte TXT record over TCP" 1 "$big"

# dns_private: the same records at 127.0.0.1:53, for the system resolver.
resolv_before=$(cat /etc/resolv.conf)
links_before=$(ip -o link | wc -l)
out=$(dns_private cat /etc/resolv.conf)
expect_eq "dns_private: /etc/resolv.conf names 127.0.0.1" "nameserver 127.0.0.1" "$out"
out=$(dns_private drill one.example.com TXT 2>&1 | grep -A1 'ANSWER SECTION' | tail -n1)
expect_match "dns_private: drill with resolv.conf gets our record" 'one\.example\.com\..*"v=spf1 -all"' "$out"
out=$(dns_private getent hosts host.example.com)
expect_match "dns_private: glibc (getent) resolves our AAAA record" '^2001:db8::1 +host\.example\.com$' "$out"
# Only lo is up in there, so getaddrinfo() with AI_ADDRCONFIG finds no IPv4:
# ask without it.
out=$(dns_private "$py" -c '
import socket
print(sorted({a[4][0] for a in socket.getaddrinfo("hostalias.example.com", None, socket.AF_INET)}))')
expect_eq "dns_private: glibc (getaddrinfo) resolves our A records" "['192.0.2.1', '192.0.2.2']" "$out"
out=$(dns_private "$py" -c '
import dns.resolver
def txt(n):
    try:
        return "|".join(b"".join(r.strings).decode() for r in dns.resolver.resolve(n, "TXT"))
    except dns.resolver.NXDOMAIN:
        return "NXDOMAIN"
    except dns.resolver.NoAnswer:
        return "NODATA"
print(txt("multi.example.com"), txt("nothere.example.com"), txt("ent.example.com"), sep=";")
print(len(txt("big.example.com")))' 2>&1)
expect_eq "dns_private: dnspython sees answers, NXDOMAIN, no data, TCP" \
    "$(printf 'part one; part two end;NXDOMAIN;NODATA\n1600')" "$out"
out=$(dns_private perl -MNet::DNS -e '
my $r = Net::DNS::Resolver->new;
my $p = $r->query("to-org.example.net", "TXT") or die $r->errorstring;
print join("|", map { $_->type eq "TXT" ? join("", $_->txtdata) : () } $p->answer), "\n";' 2>&1)
expect_eq "dns_private: Net::DNS (Mail::DKIM's resolver) follows the CNAME" "v=spf1 ip4:192.0.2.0/24 -all" "$out"
out=$(echo "from stdin" | dns_private bash -c 'cat; exit 7')
expect_eq "dns_private: stdin and stdout pass through" "from stdin" "$out"
echo | dns_private bash -c 'exit 7'
expect_eq "dns_private: the status is CMD's" 7 "$?"
dns_private bash -c 'sleep 0.5; drill one.example.com TXT' >"$T/first" 2>&1 &
first=$!
dns_private drill two.example.com TXT >"$T/second" 2>&1
wait "$first"
expect_eq "dns_private: two at once" "1 2" "$(grep -c 'v=spf1' "$T/first") $(grep -c '"first"\|"second"' "$T/second")"
expect_eq "dns_private: /etc/resolv.conf outside is unchanged" "$resolv_before" "$(cat /etc/resolv.conf)"
expect_eq "dns_private: no network device added outside" "$links_before" "$(ip -o link | wc -l)"
out=$(ask "$port" one.example.com TXT)
expect_match "dns_private: the dns_start server still answers" '^NOERROR 1' "$out"

# Errors, restarts and cleanup.
printf 'ok.example. IN TXT "x"\nbad.example. IN A 300.1.1.1\n' >"$T/bad.zone"
dns_start "$T/bad.zone" 2>"$T/err"
rc=$?
expect_match "dns_start: a bad file fails, naming file and line" "bad\.zone: .*line 2" "$(cat "$T/err")"
expect_eq "dns_start: ... with a non-zero status" 1 "$rc"
expect_eq "dns_start: ... and the earlier server is stopped" "" "$(listening "$port")"
dns_private true 2>"$T/err"
expect_eq "dns_private without a server: status 125" 125 "$?"

need_testdata dkim/rfc8463.zone  # the rest of the script skips without it
dns_start "$TESTDATA/dkim/rfc8463.zone" || not_ok "dns_start again"
expect_match "dns_start again: the new zones are served" '^NOERROR 1' \
    "$(ask "${DNS_PORT:-}" brisbane._domainkey.football.example.com TXT)"
dir=$_DNS_DIR pid=$_DNS_PID port=${DNS_PORT:-}
dns_stop
expect_eq "dns_stop: nothing listens on its port" "" "$(listening "$port")"
expect_eq "dns_stop: its processes are gone" gone "$(kill -0 "$pid" 2>/dev/null && echo alive || echo gone)"
expect_eq "dns_stop: its directory is removed" gone "$([ -e "$dir" ] && echo left || echo gone)"
