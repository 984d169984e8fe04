# spfcheck against the peer implementations, pyspf (python3-spf, its
# library API as "python3 -m spf" uses it) and libspf2 (spfquery.libspf2),
# on the same records served by a real DNS server (NSD on loopback,
# tests/lib-dns.sh): spfcheck asks it with --dns-server, the peers through
# the system resolver inside dns_private.
#
# The cases below are the contract. Each C line is one test: spfcheck must
# give the expected result, and each peer must give either that result or
# the one a D line lists for it, with the RFC 7208 section that decides the
# case (so an unexplained disagreement fails, and so does an explained one
# that went away). E lines give the expected explanation of a fail (RFC 7208
# 6.2): spfcheck's refusal text and pyspf's explanation must equal it, and
# libspf2's must too unless an X line lists what it says instead. A B line
# marks a known bug of spfcheck: the case stays a failure until the bug is
# fixed, and fails again (remove the B line) once it is.
#
#   Z | zone-file line (owners relative to peers.test.)
#   C | NAME | CLIENT-IP | SENDER (<> for the null sender: HELO identity) | HELO | RESULT
#   E | NAME | explanation
#   D | NAME | PEER | RESULT | why (RFC 7208 section); libspf2's RESULT "invalid" is
#       its exit 0, "(invalid)": a record it could not compile
#   X | NAME | PEER | explanation | why (RFC 7208 section)
#   B | NAME | spfcheck's result | why (RFC 7208 section)
#
# pyspf runs all cases in one process (tests/interop/pyspf-check.py), and a
# sample again through its command spfquery.pyspf; libspf2 runs one
# spfquery.libspf2 per case; both in one dns_private namespace. A few
# seconds in all. A peer that is not installed (scripts/install-deps
# installs them) is a skip for its part of each case, with a note, and a
# failure in CI (CI=true or QAUTH_REQUIRE_TESTDATA=1). Needs root
# (dns_private).
. "$(dirname "$0")/../lib.sh"
: "${T:?lib.sh did not load}"
HERE=$(cd "$(dirname "$0")" && pwd)
. "$TOP/tests/lib-dns.sh"
. "$HERE/peers.bash"

cat >"$T/spec" <<'EOF'
# --- hosts the cases point at -------------------------------------------------
Z | host1           A     192.0.2.10
Z | host1           AAAA  2001:db8::10
Z | host2           A     192.0.2.20
Z | mx1             A     192.0.2.31
Z | mx1             AAAA  2001:db8::31
Z | mx2             A     198.51.100.32
Z | txtonly         TXT   "not an spf record"
Z | nospf           A     192.0.2.1

# --- all and the qualifiers (RFC 7208 4.6.2, 5.1) --------------------------------
Z | all-plus        TXT   "v=spf1 +all"
C | all-plus        | 192.0.2.1 | alice@all-plus.peers.test | mail.peers.test | pass
Z | all-minus       TXT   "v=spf1 -all"
C | all-minus       | 192.0.2.1 | alice@all-minus.peers.test | mail.peers.test | fail
Z | all-tilde       TXT   "v=spf1 ~all"
C | all-tilde       | 192.0.2.1 | alice@all-tilde.peers.test | mail.peers.test | softfail
Z | all-query       TXT   "v=spf1 ?all"
C | all-query       | 192.0.2.1 | alice@all-query.peers.test | mail.peers.test | neutral
Z | all-bare        TXT   "v=spf1 all"
C | all-bare        | 192.0.2.1 | alice@all-bare.peers.test | mail.peers.test | pass
Z | no-match        TXT   "v=spf1 ip4:192.0.2.1"
C | no-match        | 192.0.2.2 | alice@no-match.peers.test | mail.peers.test | neutral
Z | empty-record    TXT   "v=spf1"
C | empty-record    | 192.0.2.2 | alice@empty-record.peers.test | mail.peers.test | neutral
Z | qual-tilde-ip   TXT   "v=spf1 ~ip4:192.0.2.1 -all"
C | qual-tilde-ip   | 192.0.2.1 | alice@qual-tilde-ip.peers.test | mail.peers.test | softfail
Z | qual-query-ip   TXT   "v=spf1 ?ip4:192.0.2.1 -all"
C | qual-query-ip   | 192.0.2.1 | alice@qual-query-ip.peers.test | mail.peers.test | neutral

# --- ip4, ip6; IPv6 and IPv4-mapped clients (5.6, 5) -----------------------------------
Z | ip4-exact       TXT   "v=spf1 ip4:192.0.2.1 -all"
C | ip4-exact       | 192.0.2.1 | alice@ip4-exact.peers.test | mail.peers.test | pass
C | ip4-v6-client   | 2001:db8::1 | alice@ip4-exact.peers.test | mail.peers.test | fail
C | ip4-v4-mapped   | ::ffff:192.0.2.1 | alice@ip4-exact.peers.test | mail.peers.test | pass
D | ip4-v4-mapped   | libspf2 | fail | RFC 7208 5: an IPv4-mapped IPv6 client is an IPv4 client ("for clients on IPv4-mapped IPv6 addresses [RFC4291]"); libspf2 keeps it IPv6, so ip4: never matches it
Z | ip4-cidr        TXT   "v=spf1 ip4:192.0.2.0/24 -all"
C | ip4-cidr-in     | 192.0.2.77 | alice@ip4-cidr.peers.test | mail.peers.test | pass
C | ip4-cidr-out    | 192.0.3.1 | alice@ip4-cidr.peers.test | mail.peers.test | fail
Z | ip4-cidr0       TXT   "v=spf1 -ip4:0.0.0.0/0 +all"
C | ip4-cidr0       | 203.0.113.5 | alice@ip4-cidr0.peers.test | mail.peers.test | fail
D | ip4-cidr0       | libspf2 | invalid | RFC 7208 5.6: ip4-cidr-length = "/" ("0" / %x31-39 0*1DIGIT), so /0 is valid; libspf2 refuses it ("Invalid IPv4 CIDR netmask (=0)") and its spfquery exits 0, result "(invalid)"
Z | ip4-cidr33      TXT   "v=spf1 ip4:192.0.2.0/33 -all"
C | ip4-cidr33      | 192.0.2.1 | alice@ip4-cidr33.peers.test | mail.peers.test | permerror
D | ip4-cidr33      | libspf2 | invalid | libspf2's spfquery reports the record's syntax error and exits 0, result "(invalid)", where a syntax error is permerror (RFC 7208 4.6, 2.6.7)
Z | ip6-net         TXT   "v=spf1 ip6:2001:db8:1::/48 -all"
C | ip6-net-in      | 2001:db8:1::99 | alice@ip6-net.peers.test | mail.peers.test | pass
C | ip6-net-out     | 2001:db8:2::99 | alice@ip6-net.peers.test | mail.peers.test | fail
C | ip6-v4-client   | 192.0.2.1 | alice@ip6-net.peers.test | mail.peers.test | fail
Z | ip6-mapped      TXT   "v=spf1 ip6:::ffff:192.0.2.1 -all"
C | ip6-v4-mapped   | ::ffff:192.0.2.1 | alice@ip6-mapped.peers.test | mail.peers.test | fail
D | ip6-v4-mapped   | libspf2 | pass | RFC 7208 5: an IPv4-mapped client is an IPv4 client, which only ip4: (and A records) can match; libspf2 keeps it IPv6 and matches it against the ip6: address
Z | ip6-cidr129     TXT   "v=spf1 ip6:2001:db8::/129 -all"
C | ip6-cidr129     | 2001:db8::1 | alice@ip6-cidr129.peers.test | mail.peers.test | permerror
D | ip6-cidr129     | libspf2 | invalid | libspf2's spfquery reports the record's syntax error and exits 0, result "(invalid)", where a syntax error is permerror (RFC 7208 4.6, 2.6.7)

# --- a, with CIDR lengths for IPv4 and IPv6 (5.3) ----------------------------------
Z | a-self          TXT   "v=spf1 a -all"
Z | a-self          A     192.0.2.40
C | a-self          | 192.0.2.40 | alice@a-self.peers.test | mail.peers.test | pass
Z | a-domain        TXT   "v=spf1 a:host1.peers.test -all"
C | a-domain        | 192.0.2.10 | alice@a-domain.peers.test | mail.peers.test | pass
C | a-domain-v6     | 2001:db8::10 | alice@a-domain.peers.test | mail.peers.test | pass
C | a-v4-mapped     | ::ffff:192.0.2.10 | alice@a-domain.peers.test | mail.peers.test | pass
D | a-v4-mapped     | libspf2 | fail | RFC 7208 5: an IPv4-mapped client is matched against A records; libspf2 asks for AAAA
Z | a-cidr4         TXT   "v=spf1 a:host1.peers.test/24 -all"
C | a-cidr4         | 192.0.2.200 | alice@a-cidr4.peers.test | mail.peers.test | pass
Z | a-cidr6         TXT   "v=spf1 a:host1.peers.test//64 -all"
C | a-cidr6         | 2001:db8::ffff | alice@a-cidr6.peers.test | mail.peers.test | pass
Z | a-dual          TXT   "v=spf1 a:host1.peers.test/32//64 -all"
C | a-dual-v4       | 192.0.2.11 | alice@a-dual.peers.test | mail.peers.test | fail
C | a-dual-v6       | 2001:db8::abcd | alice@a-dual.peers.test | mail.peers.test | pass
Z | a-cidr33        TXT   "v=spf1 a/33 -all"
C | a-cidr33        | 192.0.2.1 | alice@a-cidr33.peers.test | mail.peers.test | permerror
D | a-cidr33        | libspf2 | invalid | libspf2's spfquery reports the record's syntax error and exits 0, result "(invalid)", where a syntax error is permerror (RFC 7208 4.6, 2.6.7)
Z | a-trailing-dot  TXT   "v=spf1 a:host1.peers.test. -all"
C | a-trailing-dot  | 192.0.2.10 | alice@a-trailing-dot.peers.test | mail.peers.test | pass
Z | a-nodata        TXT   "v=spf1 a:txtonly.peers.test ?all"
C | a-nodata        | 192.0.2.10 | alice@a-nodata.peers.test | mail.peers.test | neutral
Z | alias1          CNAME host1.peers.test.
Z | a-cname         TXT   "v=spf1 a:alias1.peers.test -all"
C | a-cname         | 192.0.2.10 | alice@a-cname.peers.test | mail.peers.test | pass
Z | txt-cname       CNAME inc-pass.peers.test.
C | txt-cname       | 192.0.2.70 | alice@txt-cname.peers.test | mail.peers.test | pass

# --- mx, CIDR, the 10 address-lookup limit of one mx (5.4, 4.6.4) -------------------
Z | mx-basic        TXT   "v=spf1 mx -all"
Z | mx-basic        MX    10 mx1.peers.test.
Z | mx-basic        MX    20 mx2.peers.test.
C | mx-basic        | 198.51.100.32 | alice@mx-basic.peers.test | mail.peers.test | pass
C | mx-basic-v6     | 2001:db8::31 | alice@mx-basic.peers.test | mail.peers.test | pass
C | mx-basic-out    | 198.51.100.33 | alice@mx-basic.peers.test | mail.peers.test | fail
Z | mx-cidr4        TXT   "v=spf1 mx:mx-basic.peers.test/24 -all"
C | mx-cidr4        | 198.51.100.1 | alice@mx-cidr4.peers.test | mail.peers.test | pass
Z | mx-cidr6        TXT   "v=spf1 mx:mx-basic.peers.test//48 -all"
C | mx-cidr6        | 2001:db8:0:ffff::1 | alice@mx-cidr6.peers.test | mail.peers.test | pass
C | mx-cidr6-v4     | 192.0.2.32 | alice@mx-cidr6.peers.test | mail.peers.test | fail
Z | mx-10           TXT   "v=spf1 mx -all"
Z | mx-10           MX    1 m1.mx-10.peers.test.
Z | mx-10           MX    2 m2.mx-10.peers.test.
Z | mx-10           MX    3 m3.mx-10.peers.test.
Z | mx-10           MX    4 m4.mx-10.peers.test.
Z | mx-10           MX    5 m5.mx-10.peers.test.
Z | mx-10           MX    6 m6.mx-10.peers.test.
Z | mx-10           MX    7 m7.mx-10.peers.test.
Z | mx-10           MX    8 m8.mx-10.peers.test.
Z | mx-10           MX    9 m9.mx-10.peers.test.
Z | mx-10           MX    10 m10.mx-10.peers.test.
Z | *.mx-10         A     203.0.113.1
C | mx-10           | 203.0.113.2 | alice@mx-10.peers.test | mail.peers.test | fail
Z | mx-11           TXT   "v=spf1 mx -all"
Z | mx-11           MX    1 m1.mx-11.peers.test.
Z | mx-11           MX    2 m2.mx-11.peers.test.
Z | mx-11           MX    3 m3.mx-11.peers.test.
Z | mx-11           MX    4 m4.mx-11.peers.test.
Z | mx-11           MX    5 m5.mx-11.peers.test.
Z | mx-11           MX    6 m6.mx-11.peers.test.
Z | mx-11           MX    7 m7.mx-11.peers.test.
Z | mx-11           MX    8 m8.mx-11.peers.test.
Z | mx-11           MX    9 m9.mx-11.peers.test.
Z | mx-11           MX    10 m10.mx-11.peers.test.
Z | mx-11           MX    11 m11.mx-11.peers.test.
Z | *.mx-11         A     203.0.113.1
C | mx-11           | 203.0.113.2 | alice@mx-11.peers.test | mail.peers.test | permerror
# Every host of mx-11 has the client's address, so an evaluator that stops
# at the first match never looks up an 11th: permerror all the same (RFC 7208
# 4.6.4; the RFC 7208 suite's mx-limit: "the ambiguity was resolved in favor
# of producing a permerror result").
C | mx-11-match     | 203.0.113.1 | alice@mx-11.peers.test | mail.peers.test | permerror
D | mx-11-match     | libspf2 | pass | RFC 7208 4.6.4: more than 10 MX records make the mx mechanism permerror (the suite's mx-limit); libspf2 counts the hosts as it looks them up and stops at the first that matches (mx-11, no match, is permerror for it too)

# --- ptr (5.5) and exists (5.7) ----------------------------------------------------
Z | ptr-basic       TXT   "v=spf1 ptr -all"
Z | mail.ptr-basic  A     192.0.2.50
Z | mail.ptr-basic  AAAA  2001:db8::50
Z | mail2.ptr-basic A     192.0.2.99
Z | 50.2.0.192.in-addr.arpa.  PTR  mail.ptr-basic.peers.test.
Z | 51.2.0.192.in-addr.arpa.  PTR  mail2.ptr-basic.peers.test.
Z | 0.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.  PTR  mail.ptr-basic.peers.test.
C | ptr-basic       | 192.0.2.50 | alice@ptr-basic.peers.test | mail.peers.test | pass
C | ptr-unvalidated | 192.0.2.51 | alice@ptr-basic.peers.test | mail.peers.test | fail
C | ptr-v6          | 2001:db8::50 | alice@ptr-basic.peers.test | mail.peers.test | pass
Z | ptr-domain      TXT   "v=spf1 ptr:ptr-basic.peers.test -all"
C | ptr-domain      | 192.0.2.50 | alice@ptr-domain.peers.test | mail.peers.test | pass
Z | exists          TXT   "v=spf1 exists:%{i}.ex.peers.test -all"
Z | 192.0.2.60.ex   A     127.0.0.2
C | exists-in       | 192.0.2.60 | alice@exists.peers.test | mail.peers.test | pass
C | exists-out      | 192.0.2.61 | alice@exists.peers.test | mail.peers.test | fail

# --- include: how the included result maps (5.2) --------------------------------------
Z | inc-pass        TXT   "v=spf1 ip4:192.0.2.70 -all"
Z | inc-softfail    TXT   "v=spf1 ~all"
Z | inc-neutral     TXT   "v=spf1 ?all"
Z | inc-perm        TXT   "v=spf1 ip4:bogus -all"
Z | include-pass    TXT   "v=spf1 include:inc-pass.peers.test -all"
C | include-pass    | 192.0.2.70 | alice@include-pass.peers.test | mail.peers.test | pass
Z | include-fail    TXT   "v=spf1 include:inc-pass.peers.test ?all"
C | include-fail    | 192.0.2.71 | alice@include-fail.peers.test | mail.peers.test | neutral
Z | include-soft    TXT   "v=spf1 include:inc-softfail.peers.test -all"
C | include-soft    | 192.0.2.71 | alice@include-soft.peers.test | mail.peers.test | fail
Z | include-neutral TXT   "v=spf1 include:inc-neutral.peers.test -all"
C | include-neutral | 192.0.2.71 | alice@include-neutral.peers.test | mail.peers.test | fail
Z | include-none    TXT   "v=spf1 include:nospf.peers.test +all"
C | include-none    | 192.0.2.71 | alice@include-none.peers.test | mail.peers.test | permerror
Z | include-nx      TXT   "v=spf1 include:nx.peers.test +all"
C | include-nx      | 192.0.2.71 | alice@include-nx.peers.test | mail.peers.test | permerror
Z | include-perm    TXT   "v=spf1 include:inc-perm.peers.test +all"
C | include-perm    | 192.0.2.71 | alice@include-perm.peers.test | mail.peers.test | permerror
Z | include-bare    TXT   "v=spf1 include -all"
C | include-bare    | 192.0.2.71 | alice@include-bare.peers.test | mail.peers.test | permerror
D | include-bare    | libspf2 | invalid | libspf2's spfquery reports the record's syntax error and exits 0, result "(invalid)", where a syntax error is permerror (RFC 7208 4.6, 2.6.7)
Z | loop-a          TXT   "v=spf1 include:loop-b.peers.test -all"
Z | loop-b          TXT   "v=spf1 include:loop-a.peers.test -all"
C | include-loop    | 192.0.2.1 | alice@loop-a.peers.test | mail.peers.test | permerror

# --- redirect (6.1) -----------------------------------------------------------------
Z | redir-target    TXT   "v=spf1 ip4:192.0.2.80 -all"
Z | redirect        TXT   "v=spf1 redirect=redir-target.peers.test"
C | redirect-pass   | 192.0.2.80 | alice@redirect.peers.test | mail.peers.test | pass
C | redirect-fail   | 192.0.2.81 | alice@redirect.peers.test | mail.peers.test | fail
Z | redirect-after-all TXT "v=spf1 -all redirect=all-plus.peers.test"
C | redirect-after-all | 192.0.2.1 | alice@redirect-after-all.peers.test | mail.peers.test | fail
Z | redirect-none   TXT   "v=spf1 redirect=nospf.peers.test"
C | redirect-none   | 192.0.2.1 | alice@redirect-none.peers.test | mail.peers.test | permerror
Z | redirect-twice  TXT   "v=spf1 redirect=all-plus.peers.test redirect=all-minus.peers.test"
C | redirect-twice  | 192.0.2.1 | alice@redirect-twice.peers.test | mail.peers.test | permerror
D | redirect-twice  | libspf2 | pass | RFC 7208 6: redirect and exp "MUST NOT appear in a record more than once each. If they do, then check_host() exits with a result of permerror"; libspf2 follows the first redirect
Z | redirect-loop   TXT   "v=spf1 redirect=redirect-loop.peers.test"
C | redirect-loop   | 192.0.2.1 | alice@redirect-loop.peers.test | mail.peers.test | permerror
Z | redirect-macro  TXT   "v=spf1 redirect=_spf.%{d}"
Z | _spf.redirect-macro TXT "v=spf1 ip4:192.0.2.120 -all"
C | redirect-macro  | 192.0.2.120 | alice@redirect-macro.peers.test | mail.peers.test | pass
Z | redirect-case   TXT   "v=spf1 REDIRECT=redir-target.peers.test"
C | redirect-case   | 192.0.2.80 | alice@redirect-case.peers.test | mail.peers.test | pass
D | redirect-case   | pyspf | neutral | RFC 7208 4.6.1: "mechanism and modifier names are case-insensitive"; pyspf knows only a lower-case redirect=, ignores REDIRECT= as an unknown modifier and ends with the default neutral (4.7)
Z | exp-case        TXT   "v=spf1 -all Exp=explain.exp-basic.peers.test"
C | exp-case        | 192.0.2.1 | alice@exp-case.peers.test | mail.peers.test | fail
E | exp-case        | 192.0.2.1 is not one of exp-case.peers.test's designated mail servers.
X | exp-case        | pyspf | SPF fail - not authorized | RFC 7208 4.6.1: modifier names are case-insensitive; pyspf ignores Exp= as an unknown modifier and gives its default explanation
X | exp-case        | libspf2 | 192.0.2.1%is%not%one%of%{d}'s%designated%mail%servers. | RFC 7208 6.2: explain-string = *( macro-string / SP ); libspf2 parses the text as one domain-spec, turns each space into '%' and leaves the macros after the first space unexpanded

# --- the limits of 4.6.4: 10 DNS terms, 2 void lookups -----------------------------------
Z | dns-10          TXT   "v=spf1 a:host2.peers.test a:host2.peers.test a:host2.peers.test a:host2.peers.test a:host2.peers.test a:host2.peers.test a:host2.peers.test a:host2.peers.test a:host2.peers.test a:host2.peers.test ip4:192.0.2.1 -all"
C | dns-10          | 192.0.2.1 | alice@dns-10.peers.test | mail.peers.test | pass
Z | dns-11          TXT   "v=spf1 a:host2.peers.test a:host2.peers.test a:host2.peers.test a:host2.peers.test a:host2.peers.test a:host2.peers.test a:host2.peers.test a:host2.peers.test a:host2.peers.test a:host2.peers.test a:host2.peers.test ip4:192.0.2.1 -all"
C | dns-11          | 192.0.2.1 | alice@dns-11.peers.test | mail.peers.test | permerror
C | dns-11-early    | 192.0.2.20 | alice@dns-11.peers.test | mail.peers.test | pass
Z | dns-9-a         TXT   "v=spf1 a:host2.peers.test a:host2.peers.test a:host2.peers.test a:host2.peers.test a:host2.peers.test a:host2.peers.test a:host2.peers.test a:host2.peers.test a:host2.peers.test -all"
Z | dns-include     TXT   "v=spf1 include:dns-9-a.peers.test mx:mx-basic.peers.test ip4:192.0.2.1 -all"
C | dns-include     | 192.0.2.1 | alice@dns-include.peers.test | mail.peers.test | permerror
D | dns-include     | libspf2 | pass | RFC 7208 4.6.4: the limit is on "the total number of those terms" during the evaluation, the included record's 9 a: with the include and the mx make 11; libspf2 does not add the terms of an included record to the including record's count (it does for redirect: dns-redirect-11)
Z | dns-redirect    TXT   "v=spf1 redirect=dns-9-a.peers.test"
C | dns-redirect    | 192.0.2.1 | alice@dns-redirect.peers.test | mail.peers.test | fail
Z | dns-redirect-11 TXT   "v=spf1 a:host2.peers.test redirect=dns-9-a.peers.test"
C | dns-redirect-11 | 192.0.2.1 | alice@dns-redirect-11.peers.test | mail.peers.test | permerror
Z | void-2          TXT   "v=spf1 a:nx1.peers.test a:nx2.peers.test -all"
C | void-2          | 192.0.2.1 | alice@void-2.peers.test | mail.peers.test | fail
Z | void-3          TXT   "v=spf1 a:nx1.peers.test a:nx2.peers.test a:nx3.peers.test -all"
C | void-3          | 192.0.2.1 | alice@void-3.peers.test | mail.peers.test | permerror
D | void-3          | libspf2 | fail | RFC 7208 4.6.4: a third void lookup is permerror; libspf2 has no void-lookup limit
Z | void-nodata     TXT   "v=spf1 a:txtonly.peers.test exists:txtonly.peers.test mx:txtonly.peers.test -all"
C | void-nodata     | 192.0.2.1 | alice@void-nodata.peers.test | mail.peers.test | permerror
D | void-nodata     | libspf2 | fail | RFC 7208 4.6.4: NOERROR without answers counts as void too; libspf2 has no void-lookup limit

# --- record selection and syntax (4.5, 4.6, 3.3, 12) -------------------------------------
Z | two-records     TXT   "v=spf1 +all"
Z | two-records     TXT   "v=spf1 -all"
C | two-records     | 192.0.2.1 | alice@two-records.peers.test | mail.peers.test | permerror
Z | not-spf1        TXT   "v=spf10 +all"
Z | not-spf1        TXT   "spf1 +all"
Z | not-spf1        TXT   "v=spf1x +all"
Z | not-spf1        TXT   "v=spf1 -all"
C | not-spf1        | 192.0.2.1 | alice@not-spf1.peers.test | mail.peers.test | fail
Z | only-spf10      TXT   "v=spf10 +all"
C | only-spf10      | 192.0.2.1 | alice@only-spf10.peers.test | mail.peers.test | none
Z | multi-string    TXT   "v=spf1 ip4:192.0.2." "90 -all"
C | multi-string    | 192.0.2.90 | alice@multi-string.peers.test | mail.peers.test | pass
Z | multi-string-sp TXT   "v=spf1 ip4:192.0.2.91" " -all"
C | multi-string-sp | 192.0.2.92 | alice@multi-string-sp.peers.test | mail.peers.test | fail
Z | case-terms      TXT   "V=SpF1 IP4:192.0.2.93 Include:INC-PASS.Peers.Test -ALL"
C | case-terms      | 192.0.2.93 | alice@case-terms.peers.test | mail.peers.test | pass
C | case-terms-inc  | 192.0.2.70 | alice@case-terms.peers.test | mail.peers.test | pass
C | case-terms-out  | 192.0.2.94 | alice@case-terms.peers.test | mail.peers.test | fail
C | case-sender     | 192.0.2.93 | Alice@CASE-TERMS.Peers.TEST | mail.peers.test | pass
Z | spaces          TXT   "v=spf1  ip4:192.0.2.1   -all"
C | spaces          | 192.0.2.1 | alice@spaces.peers.test | mail.peers.test | pass
Z | mech-unknown    TXT   "v=spf1 foo:bar +all"
C | mech-unknown    | 192.0.2.1 | alice@mech-unknown.peers.test | mail.peers.test | permerror
D | mech-unknown    | libspf2 | invalid | libspf2's spfquery reports the record's syntax error and exits 0, result "(invalid)", where a syntax error is permerror (RFC 7208 4.6, 2.6.7)
Z | mod-unknown     TXT   "v=spf1 foo=bar ip4:192.0.2.1 -all"
C | mod-unknown     | 192.0.2.1 | alice@mod-unknown.peers.test | mail.peers.test | pass
C | no-record       | 192.0.2.1 | alice@nospf.peers.test | mail.peers.test | none
C | nxdomain        | 192.0.2.1 | alice@nx.peers.test | mail.peers.test | none

# --- macros (7): each letter expanded into an exists: name ---------------------------
Z | mac-l           TXT   "v=spf1 exists:%{l}.ml.peers.test -all"
Z | alice.ml        A     127.0.0.2
C | mac-l           | 192.0.2.1 | alice@mac-l.peers.test | mail.peers.test | pass
Z | mac-o           TXT   "v=spf1 exists:%{o}.mo.peers.test -all"
Z | mac-o.peers.test.mo A 127.0.0.2
C | mac-o           | 192.0.2.1 | alice@mac-o.peers.test | mail.peers.test | pass
Z | sub.mac-d       TXT   "v=spf1 exists:%{d}.md.peers.test -all"
Z | sub.mac-d.peers.test.md A 127.0.0.2
C | mac-d           | 192.0.2.1 | alice@sub.mac-d.peers.test | mail.peers.test | pass
Z | x.y.mac-d2      TXT   "v=spf1 exists:%{d2}.md2.peers.test -all"
Z | peers.test.md2  A     127.0.0.2
C | mac-d2          | 192.0.2.1 | alice@x.y.mac-d2.peers.test | mail.peers.test | pass
Z | mac-i           TXT   "v=spf1 exists:%{i}.mi.peers.test -all"
Z | 192.0.2.100.mi  A     127.0.0.2
Z | 2.0.0.1.0.d.b.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.mi A 127.0.0.2
C | mac-i           | 192.0.2.100 | alice@mac-i.peers.test | mail.peers.test | pass
C | mac-i-v6        | 2001:db8::100 | alice@mac-i.peers.test | mail.peers.test | pass
C | mac-i-v4-mapped | ::ffff:192.0.2.100 | alice@mac-i.peers.test | mail.peers.test | pass
D | mac-i-v4-mapped | libspf2 | fail | RFC 7208 5 and 7.3: an IPv4-mapped client is IPv4, so %{i} is 192.0.2.100; libspf2 expands the IPv6 nibbles
Z | mac-ir          TXT   "v=spf1 exists:%{ir}.%{v}.mir.peers.test -all"
Z | 100.2.0.192.in-addr.mir A 127.0.0.2
Z | 0.0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.mir A 127.0.0.2
C | mac-ir-v        | 192.0.2.100 | alice@mac-ir.peers.test | mail.peers.test | pass
C | mac-ir-v-v6     | 2001:db8::100 | alice@mac-ir.peers.test | mail.peers.test | pass
Z | mac-h           TXT   "v=spf1 exists:%{h}.mh.peers.test -all"
Z | helo1.peers.test.mh A 127.0.0.2
C | mac-h           | 192.0.2.1 | alice@mac-h.peers.test | helo1.peers.test | pass
C | mac-h-other     | 192.0.2.1 | alice@mac-h.peers.test | helo2.peers.test | fail
Z | mac-ldash       TXT   "v=spf1 exists:%{l-}.mld.peers.test -all"
Z | first.last.mld  A     127.0.0.2
C | mac-l-dash      | 192.0.2.1 | first-last@mac-ldash.peers.test | mail.peers.test | pass
C | mac-l-dash-out  | 192.0.2.1 | firstlast@mac-ldash.peers.test | mail.peers.test | fail
Z | mac-lrdash      TXT   "v=spf1 exists:%{lr-}.mlr.peers.test -all"
Z | last.first.mlr  A     127.0.0.3
C | mac-lr-dash     | 192.0.2.1 | first-last@mac-lrdash.peers.test | mail.peers.test | pass
Z | mac-l1rdash     TXT   "v=spf1 exists:%{l1r-}.ml1.peers.test -all"
Z | first.ml1       A     127.0.0.4
C | mac-l1r-dash    | 192.0.2.1 | first-last@mac-l1rdash.peers.test | mail.peers.test | pass
Z | mac-d1r         TXT   "v=spf1 exists:%{d1r}.md1r.peers.test -all"
Z | mac-d1r.md1r    A     127.0.0.2
C | mac-d1r         | 192.0.2.1 | alice@mac-d1r.peers.test | mail.peers.test | pass
Z | mac-delims      TXT   "v=spf1 exists:%{l2-+}.mdl.peers.test -all"
Z | c.d.mdl         A     127.0.0.2
C | mac-delims      | 192.0.2.1 | a-b+c-d@mac-delims.peers.test | mail.peers.test | pass
# Four 63-byte labels and .mtr.peers.test make 270 bytes: the name is cut
# from the left, label by label, to 253 at most (RFC 7208 7.3), leaving three.
Z | mac-truncate    TXT   "v=spf1 exists:%{l}.%{l}.%{l}.%{l}.mtr.peers.test -all"
Z | aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.mtr A     127.0.0.2
C | mac-truncate    | 192.0.2.1 | aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@mac-truncate.peers.test | mail.peers.test | pass
D | mac-truncate    | libspf2 | fail | RFC 7208 7.3: an expanded name over 253 bytes "is truncated to fit, by removing successive domain labels"; libspf2 asks for the 270-byte name, the query fails, and exists does not match
Z | mac-p           TXT   "v=spf1 exists:%{p}.mp.peers.test -all"
Z | mail.ptr-basic.peers.test.mp A 127.0.0.2
C | mac-p           | 192.0.2.50 | alice@mac-p.peers.test | mail.peers.test | pass
Z | mac-nolocal     TXT   "v=spf1 exists:%{l}.mnl.peers.test -all"
Z | postmaster.mnl  A     127.0.0.2
C | sender-no-local | 192.0.2.1 | mac-nolocal.peers.test | mail.peers.test | pass
Z | mac-bad-letter  TXT   "v=spf1 exists:%{x}.peers.test -all"
C | mac-bad-letter  | 192.0.2.1 | alice@mac-bad-letter.peers.test | mail.peers.test | permerror
D | mac-bad-letter  | libspf2 | invalid | libspf2's spfquery reports the record's syntax error and exits 0, result "(invalid)", where a syntax error is permerror (RFC 7208 4.6, 2.6.7)
Z | mac-unclosed    TXT   "v=spf1 exists:%{l.peers.test -all"
C | mac-unclosed    | 192.0.2.1 | alice@mac-unclosed.peers.test | mail.peers.test | permerror
D | mac-unclosed    | pyspf | fail | RFC 7208 7.1: "%{" must end in "}" (macro-expand), and a domain-spec off the grammar is a syntax error, permerror (4.6); pyspf takes the text as a literal name, NXDOMAIN, and goes on to -all
D | mac-unclosed    | libspf2 | invalid | libspf2's spfquery reports the record's syntax error and exits 0, result "(invalid)", where a syntax error is permerror (RFC 7208 4.6, 2.6.7)
Z | mac-bare-pct    TXT   "v=spf1 a:100%.peers.test -all"
C | mac-bare-pct    | 192.0.2.1 | alice@mac-bare-pct.peers.test | mail.peers.test | permerror
D | mac-bare-pct    | libspf2 | fail | RFC 7208 7.1: "A '%' character not followed by a '{', '%', '-', or '_' character is a syntax error"; libspf2 keeps the '%' as a literal, the name is NXDOMAIN, and -all fails

# --- the HELO identity: null sender, postmaster@HELO (2.3, 4.3) ---------------------------
Z | helo-host       TXT   "v=spf1 ip4:192.0.2.110 exists:%{l}.%{o}.%{d}.mhs.peers.test -all"
Z | postmaster.helo-host.peers.test.helo-host.peers.test.mhs A 127.0.0.2
C | helo-pass       | 192.0.2.110 | <> | helo-host.peers.test | pass
C | helo-macros     | 192.0.2.111 | <> | helo-host.peers.test | pass
Z | helo-strict     TXT   "v=spf1 ip4:192.0.2.110 -all"
C | helo-fail       | 192.0.2.111 | <> | helo-strict.peers.test | fail
C | helo-none       | 192.0.2.111 | <> | nospf.peers.test | none

# --- exp= (6.2): results, and the explanation text of each peer ------------------------
Z | exp-basic       TXT   "v=spf1 -all exp=explain.exp-basic.peers.test"
Z | explain.exp-basic TXT "%{i} is not one of %{d}'s designated mail servers."
C | exp-basic       | 192.0.2.1 | alice@exp-basic.peers.test | mail.peers.test | fail
E | exp-basic       | 192.0.2.1 is not one of exp-basic.peers.test's designated mail servers.
X | exp-basic       | libspf2 | 192.0.2.1%is%not%one%of%{d}'s%designated%mail%servers. | RFC 7208 6.2: explain-string = *( macro-string / SP ), a space is text and %{d} a macro; libspf2 parses the text as one domain-spec, turns each space into '%' and leaves the macros after the first space unexpanded
Z | exp-upper       TXT   "v=spf1 -all exp=explain.exp-upper.peers.test"
Z | explain.exp-upper TXT "sender %{S}, local %{L}, domain %{O}; plain %{s}"
C | exp-upper       | 192.0.2.1 | a+b@exp-upper.peers.test | mail.peers.test | fail
E | exp-upper       | sender a%2Bb%40exp-upper.peers.test, local a%2Bb, domain exp-upper.peers.test; plain a+b@exp-upper.peers.test
X | exp-upper       | libspf2 | sender%{S},%local%{L},%domain%{O};%plain%{s} | RFC 7208 6.2: explain-string = *( macro-string / SP ); libspf2 parses the text as one domain-spec, turns each space into '%' and leaves the macros after the first space unexpanded
Z | exp-escapes     TXT   "v=spf1 -all exp=explain.exp-escapes.peers.test"
Z | explain.exp-escapes TXT "a%_b%-c%%d"
C | exp-escapes     | 192.0.2.1 | alice@exp-escapes.peers.test | mail.peers.test | fail
E | exp-escapes     | a b%20c%d
Z | exp-c           TXT   "v=spf1 -all exp=explain.exp-c.peers.test"
Z | explain.exp-c   TXT   "client %{c} from %{i}"
C | exp-c           | 2001:db8::1 | alice@exp-c.peers.test | mail.peers.test | fail
# %{i} of an IPv6 client in upper-case nibbles, %{c} in RFC 5952 form: what
# the RFC 7208 suite's v-macro-ip6 test expects ("cafe:babe::1 is queried as
# 1.0...E.B.A.B.E.F.A.C.ip6.arpa"), and what pyspf writes.
E | exp-c           | client 2001:db8::1 from 2.0.0.1.0.D.B.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1
X | exp-c           | libspf2 | client%{c}%from%{i} | RFC 7208 6.2: explain-string = *( macro-string / SP ); libspf2 parses the text as one domain-spec, turns each space into '%' and leaves the macros after the first space unexpanded
Z | exp-nx          TXT   "v=spf1 -all exp=nx.peers.test"
C | exp-nx          | 192.0.2.1 | alice@exp-nx.peers.test | mail.peers.test | fail
Z | exp-two         TXT   "v=spf1 -all exp=explain.exp-two.peers.test"
Z | explain.exp-two TXT   "one"
Z | explain.exp-two TXT   "two"
C | exp-two         | 192.0.2.1 | alice@exp-two.peers.test | mail.peers.test | fail
Z | exp-on-pass     TXT   "v=spf1 +all exp=explain.exp-basic.peers.test"
C | exp-on-pass     | 192.0.2.1 | alice@exp-on-pass.peers.test | mail.peers.test | pass
Z | exp-twice       TXT   "v=spf1 -all exp=explain.exp-basic.peers.test exp=explain.exp-c.peers.test"
C | exp-twice       | 192.0.2.1 | alice@exp-twice.peers.test | mail.peers.test | permerror
D | exp-twice       | libspf2 | fail | RFC 7208 6: a second exp= is permerror, as a second redirect= is; libspf2 uses the first one
EOF


# --- the zone, and the cases as NAME|IP|SENDER|HELO lines for the peers ----------
{
    printf '$ORIGIN peers.test.\n$TTL 60\n'
    spec Z
} >"$T/peers.zone"
spec C | awk -F'|' -v OFS='|' '{ s = $3; if (s == "<>") s = ""; print $1, $2, s, $4 }' >"$T/cases"
ncases=$(wc -l <"$T/cases")
check_spec 40 "D X E B" "D X" 'pyspf|libspf2'

if dns_start "$T/peers.zone" 2>"$T/dns.err"; then ok "dns_start serves the peers zone"; else
    not_ok "dns_start serves the peers zone" "$(head -c 400 "$T/dns.err")"
    exit 1  # nothing below can run without the server
fi

# --- the peers, each in one batch in one private namespace ------------------------
have_peer pyspf /usr/bin/python3 -c 'import spf'
have_peer libspf2 test -x /usr/bin/spfquery.libspf2
have_peer pyspf-cli test -x /usr/bin/spfquery.pyspf

# pyspf: NAME RESULT EXPLANATION. libspf2: NAME STATUS EXPLANATION, the
# explanation being the first line of its SMTP comment without the
# " : Reason: ..." it appends; status 0 is its "(invalid)": a record it could
# not compile.
cat >"$T/peers.sh" <<'EOF'
T=$1; shift
for p in "$@"; do
    case $p in
    pyspf) /usr/bin/python3 "$HERE/pyspf-check.py" <"$T/cases" >"$T/pyspf.out" 2>"$T/pyspf.err" ;;
    pyspf-cli)  # a sample only (a Python start-up each): the library gives what the command says
        grep -E '^(all-|helo-|ip4-v4-mapped|mac-l\|exp-basic)' "$T/cases" |
            while IFS='|' read -r name ip sender helo; do
                printf '%s\t%s\n' "$name" "$(/usr/bin/spfquery.pyspf --ip "$ip" --sender "$sender" --helo "$helo" 2>&1 </dev/null | head -n1)"
            done >"$T/pyspf-cli.out" 2>"$T/pyspf-cli.err" ;;
    libspf2)
        while IFS='|' read -r name ip sender helo; do
            out=$(/usr/bin/spfquery.libspf2 -ip "$ip" -sender "$sender" -helo "$helo" 2>&1 </dev/null)
            rc=$?
            exp=$(printf '%s\n' "$out" | sed -n '2{s/ : Reason: .*//;p}')
            printf '%s\t%s\t%s\n' "$name" "$rc" "$exp"
        done <"$T/cases" >"$T/libspf2.out" 2>"$T/libspf2.err" ;;
    esac
done
EOF
start=$EPOCHREALTIME
HERE=$HERE dns_private bash "$T/peers.sh" "$T" $peers
rc=$?
expect_eq "peers ran in the private namespace" 0 "$rc"
elapsed=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')

declare -A res exp_of
for p in ${peers/pyspf-cli/}; do
    [ -s "$T/$p.out" ] || { not_ok "peer $p answered" "$(head -c 400 "$T/$p.err")"; continue; }
    while IFS=$'\t' read -r name r e; do
        if [ "$p" = libspf2 ]; then
            case $r in 0) r=invalid ;; 2) r=pass ;; 3) r=fail ;; 4) r=softfail ;; 1) r=neutral ;; 5) r=none ;; 6) r=temperror ;;
                7) r=permerror ;; *) r="status-$r" ;; esac
        fi
        res[$p,$name]=$r exp_of[$p,$name]=$e
    done <"$T/$p.out"
done

if [[ " $peers " == *" pyspf-cli "* ]]; then
    n=0 diff=
    while IFS=$'\t' read -r name r; do
        n=$((n + 1))
        [ "$r" = "${res[pyspf,$name]:-}" ] || diff="$diff $name: spfquery.pyspf=$r library=${res[pyspf,$name]:-}"
    done <"$T/pyspf-cli.out"
    expect_eq "spfquery.pyspf gives the results of pyspf's library on a sample of $n cases" "" "${diff# }"
elif [[ " $missing_peers " == *" pyspf-cli "* ]]; then
    skip "spfquery.pyspf gives the results of pyspf's library" "peer pyspf-cli not installed"
fi
peers=${peers/pyspf-cli/}

# --- spfcheck, and one test line per case ----------------------------------------
# The spec's tables, keyed by case (and peer): want (C), bug (B), expl (E),
# listed (D: result|why), listed_exp (X: explanation|why).
declare -A want bug expl listed listed_exp agree
while IFS='|' read -r name _ _ _ w; do want[$name]=$w; done < <(spec C)
while IFS='|' read -r name r why; do bug[$name]="$r|$why"; done < <(spec B)
while IFS= read -r line; do expl[${line%%|*}]=${line#*|}; done < <(spec E)
while IFS='|' read -r name p r why; do listed[$name,$p]="$r|$why"; done < <(spec D)
while IFS='|' read -r name p e why; do listed_exp[$name,$p]="$e|$why"; done < <(spec X)
for p in $peers; do agree[$p]=0; done
mkdir -p "$T/ctl" && echo test.example >"$T/ctl/me"
while IFS='|' read -r name ip sender helo; do
    w=${want[$name]}
    "$QAUTH_BIN/spfcheck" --control-dir "$T/ctl" --mode 1 --dns-server "$DNS_SERVER" \
        --ip "$ip" --sender "$sender" --helo "$helo" </dev/null >"$T/out" 2>"$T/err"
    rc=$?
    ours=$(sed -nE '1s/^Received-SPF: ([a-z]+).*/\1/p' "$T/out")
    [ "$rc" = 0 ] || ours="exit-$rc"
    expected="spfcheck=$w" actual="spfcheck=${ours:-none-printed}"
    notes=() mark=
    compare_peers "$name" "$w"
    verdict "$name" "$name: $ip ${sender:-<>}/$helo" "$ours" "$w" spfcheck "RFC 7208" \
        "spfcheck --trace --dns-server \$DNS_SERVER --ip $ip --sender '$sender' --helo $helo"
    for p in ${missing_peers/pyspf-cli/}; do skip "$name: $p" "peer $p not installed"; done

    # The explanation of a fail: spfcheck's refusal text in mode 3.
    [ -n "${expl[$name]:-}" ] || continue
    "$QAUTH_BIN/spfcheck" --control-dir "$T/ctl" --mode 3 --check --dns-server "$DNS_SERVER" \
        --ip "$ip" --sender "$sender" --helo "$helo" </dev/null >/dev/null 2>"$T/err"
    ours=$(sed -n '1s/^5\.7\.1 SPF fail: //p' "$T/err")
    expected="spfcheck=[${expl[$name]}]" actual="spfcheck=[$ours]"
    for p in $peers; do
        l=${listed_exp[$name,$p]:-}
        pw=${l:+${l%%|*}}
        expected="$expected $p=[${pw:-${expl[$name]}}]" actual="$actual $p=[${exp_of[$p,$name]:-}]"
    done
    expect_eq "$name: explanation" "$expected" "$actual"
done <"$T/cases"

peer_summary "$ncases" "expected"
printf '# the peers took %s s for %d cases\n' "$elapsed" "$ncases"
