// The SPF evaluator, check_host() of RFC 7208 §4 (spf/eval.hpp), against a
// zone file written here and served by the zone resolver: each mechanism
// matching and not, qualifiers, include's result mapping, redirect, exp=,
// the §4.6.4 limits, IPv6 and v4-mapped clients, DNS failures.
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "dns/zone_resolver.hpp"
#include "spf/eval.hpp"
#include "testdata.hpp"

using namespace qauth;
using namespace qauth::spf;

namespace {

std::string repeat(const std::string& term, int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += " " + term;
    return s;
}

std::string mx_lines(const std::string& owner, int n) {
    std::string s;
    for (int i = 1; i <= n; ++i) s += owner + " MX " + std::to_string(i) + " mx1.test.\n";
    return s;
}

/// `n` PTR names p1.ptr.test .. pN.ptr.test at `owner`.
std::string ptr_lines(const std::string& owner, int n) {
    std::string s;
    for (int i = 1; i <= n; ++i) s += owner + " PTR p" + std::to_string(i) + ".ptr.test.\n";
    return s;
}

const std::string kZone = R"(
all.test.        TXT "v=spf1 -all"
ip.test.         TXT "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all"
quals.test.      TXT "v=spf1 ?ip4:192.0.2.1 ~ip4:192.0.2.2 -ip4:192.0.2.3 +ip4:192.0.2.4 ip4:192.0.2.5"
a.test.          TXT "v=spf1 a -all"
a.test.          A    192.0.2.10
a.test.          AAAA 2001:db8::10
acidr.test.      TXT "v=spf1 a:a.test/24//64 -all"
mx.test.         TXT "v=spf1 mx -all"
mx.test.         MX 10 mx1.test.
mx.test.         MX 20 mx2.test.
mx1.test.        A    192.0.2.20
mx2.test.        A    192.0.2.21
mx2.test.        AAAA 2001:db8::21
mxcidr.test.     TXT "v=spf1 mx:mx.test/30 -all"
mx10.test.       TXT "v=spf1 mx -all"
mx11.test.       TXT "v=spf1 mx -all"
ptr.test.        TXT "v=spf1 ptr -all"
30.2.0.192.in-addr.arpa. PTR host.ptr.test.
30.2.0.192.in-addr.arpa. PTR other.example.
host.ptr.test.   A 192.0.2.30
other.example.   A 192.0.2.99
31.2.0.192.in-addr.arpa. PTR fake.ptr.test.
fake.ptr.test.   A 192.0.2.99
pmacro.test.     TXT "v=spf1 exists:%{p}.pv.test -all"
host.ptr.test.pv.test. A 127.0.0.2
exists.test.     TXT "v=spf1 exists:%{i}.ok.test -all"
192.0.2.40.ok.test. A 127.0.0.2
local.test.      TXT "v=spf1 exists:%{l}.users.test -all"
postmaster.users.test. A 127.0.0.2
inc.test.        TXT "v=spf1 include:%{l}.inner.test ?all"
pass.inner.test.     TXT "v=spf1 +all"
fail.inner.test.     TXT "v=spf1 -all exp=why.inner.test"
why.inner.test.      TXT "inner explanation"
softfail.inner.test. TXT "v=spf1 ~all"
neutral.inner.test.  TXT "v=spf1 ?all"
perm.inner.test.     TXT "v=spf1 bogus"
none.inner.test.     A 192.0.2.1
;qauth: tempfail temp.inner.test
redir.test.      TXT "v=spf1 ip4:198.51.100.60 redirect=ip.test"
redirfirst.test. TXT "v=spf1 redirect=all.test ?all"
redirnone.test.  TXT "v=spf1 redirect=none.inner.test"
exp.test.        TXT "v=spf1 ip4:192.0.2.70 -all exp=explain.exp.test"
explain.exp.test. TXT "%{i} is not one of %{d}'s designated mail servers."
expctl.test.     TXT "v=spf1 -all exp=ctl.expctl.test"
ctl.expctl.test. TXT "bad\013\010line"
expl.test.       TXT "v=spf1 -all exp=l.expl.test"
l.expl.test.     TXT "sender %{l} refused"
expnone.test.    TXT "v=spf1 -all exp=nothere.test"
exptwo.test.     TXT "v=spf1 -all exp=two.exptwo.test"
two.exptwo.test. TXT "one"
two.exptwo.test. TXT "two"
expredir.test.   TXT "v=spf1 redirect=exp.test exp=ignored.test"
lim10.test.      TXT "v=spf1)" + repeat("a:a.test", 10) + R"( ?all"
lim11.test.      TXT "v=spf1)" + repeat("a:a.test", 11) + R"( ?all"
five.test.       TXT "v=spf1)" + repeat("a:a.test", 4) + R"( ?all"
nest10.test.     TXT "v=spf1 include:five.test include:five.test ?all"
nest15.test.     TXT "v=spf1 include:five.test include:five.test include:five.test ?all"
loop.test.       TXT "v=spf1 include:loop.test -all"
rloop.test.      TXT "v=spf1 redirect=rloop.test"
void2.test.      TXT "v=spf1 a:nx1.test a:ip.test ?all"
void3.test.      TXT "v=spf1 a:nx1.test a:ip.test mx:nx2.test ?all"
;qauth: tempfail temp.test
tempa.test.      TXT "v=spf1 a:temp.test -all"
multi.test.      TXT "v=spf1 -all"
multi.test.      TXT "v=spf1 +all"
other.test.      TXT "hello"
other.test.      TXT "v=spf1 +all"
nospf.test.      A 192.0.2.1
mapped.test.     TXT "v=spf1 ip6:::ffff:0:0/96 -all"
mxv4.test.       TXT "v=spf1 mx -all"
mxv4.test.       MX 10 mx1.test.
mxv4.test.       MX 20 host.ptr.test.
mxv4.test.       MX 30 fake.ptr.test.
ptr11.test.      TXT "v=spf1 ptr -all"
p11.ptr.test.    A 192.0.2.33
)" + ptr_lines("33.2.0.192.in-addr.arpa.", 11) + mx_lines("mx10.test.", 10) + mx_lines("mx11.test.", 11);

struct Fixture {
    test::TempDir dir;
    std::unique_ptr<dns::Resolver> dns;
    Fixture() {
        dir.write("spf.zone", kZone);
        auto r = dns::make_zone_resolver({dir.path + "/spf.zone"});
        REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().reason));
        dns = std::move(*r);
    }
    CheckResult check(const std::string& ip, const std::string& domain, const std::string& sender = "",
                      const CheckContext& ctx = {}) {
        auto addr = dns::IpAddress::parse(ip);
        REQUIRE(addr);
        return check_host(*dns, *addr, domain, sender.empty() ? "user@" + domain : sender, ctx);
    }
    SpfResult result(const std::string& ip, const std::string& domain, const std::string& sender = "") {
        return check(ip, domain, sender).result;
    }
};

}  // namespace

TEST_CASE("spf eval: all, ip4, ip6 and the qualifiers") {
    Fixture f;
    CHECK(f.result("192.0.2.1", "all.test") == SpfResult::Fail);
    auto r = f.check("192.0.2.1", "ip.test");
    CHECK(r.result == SpfResult::Pass);
    CHECK(r.reason == "mechanism ip4:192.0.2.0/24 matched");
    r = f.check("198.51.100.1", "ip.test");
    CHECK(r.result == SpfResult::Fail);
    CHECK(r.reason == "mechanism -all matched");
    CHECK(r.explanation.empty());
    CHECK(f.result("2001:db8::1", "ip.test") == SpfResult::Pass);
    CHECK(f.result("2001:db9::1", "ip.test") == SpfResult::Fail);

    CHECK(f.result("192.0.2.1", "quals.test") == SpfResult::Neutral);
    CHECK(f.result("192.0.2.2", "quals.test") == SpfResult::Softfail);
    CHECK(f.result("192.0.2.3", "quals.test") == SpfResult::Fail);
    CHECK(f.result("192.0.2.4", "quals.test") == SpfResult::Pass);
    CHECK(f.result("192.0.2.5", "quals.test") == SpfResult::Pass);
    r = f.check("192.0.2.6", "quals.test");
    CHECK(r.result == SpfResult::Neutral);  // nothing matched, no redirect (§4.7)
    CHECK(r.reason == "RFC 7208 4.7: no mechanism matched, default neutral");
}

TEST_CASE("spf eval: a and mx, with dual CIDR lengths") {
    Fixture f;
    CHECK(f.result("192.0.2.10", "a.test") == SpfResult::Pass);
    CHECK(f.result("192.0.2.11", "a.test") == SpfResult::Fail);
    CHECK(f.result("2001:db8::10", "a.test") == SpfResult::Pass);  // AAAA for an IPv6 client
    CHECK(f.result("2001:db8::11", "a.test") == SpfResult::Fail);
    CHECK(f.result("192.0.2.200", "acidr.test") == SpfResult::Pass);  // /24
    CHECK(f.result("198.51.100.10", "acidr.test") == SpfResult::Fail);
    CHECK(f.result("2001:db8::ffff", "acidr.test") == SpfResult::Pass);  // //64
    CHECK(f.result("2001:db8:0:1::10", "acidr.test") == SpfResult::Fail);

    CHECK(f.result("192.0.2.20", "mx.test") == SpfResult::Pass);
    CHECK(f.result("192.0.2.21", "mx.test") == SpfResult::Pass);
    CHECK(f.result("2001:db8::21", "mx.test") == SpfResult::Pass);
    CHECK(f.result("192.0.2.22", "mx.test") == SpfResult::Fail);
    CHECK(f.result("192.0.2.22", "mxcidr.test") == SpfResult::Pass);  // /30 around .20 and .21
    CHECK(f.result("192.0.2.24", "mxcidr.test") == SpfResult::Fail);

    // Each MX name's address lookup may be void (Budget): three IPv4-only
    // MX hosts are three void AAAA lookups for an IPv6 client.
    CHECK(f.result("2001:db8::99", "mxv4.test") == SpfResult::Permerror);
    CHECK(f.result("192.0.2.99", "mxv4.test") == SpfResult::Pass);  // fake.ptr.test's A

    CHECK(f.result("192.0.2.20", "mx10.test") == SpfResult::Pass);
    auto r = f.check("192.0.2.20", "mx11.test");
    CHECK(r.result == SpfResult::Permerror);
    CHECK(r.reason == "RFC 7208 4.6.4: more than 10 MX names at \"mx11.test\"");
}

TEST_CASE("spf eval: ptr validation, %{p}, exists, the postmaster local part") {
    Fixture f;
    CHECK(f.result("192.0.2.30", "ptr.test") == SpfResult::Pass);
    CHECK(f.result("192.0.2.31", "ptr.test") == SpfResult::Fail);  // fake.ptr.test does not point back
    CHECK(f.result("192.0.2.32", "ptr.test") == SpfResult::Fail);  // no PTR at all
    // Only the first 10 PTR names are looked at; p11 would validate (§4.6.4).
    CHECK(f.result("192.0.2.33", "ptr11.test") == SpfResult::Fail);
    CHECK(f.result("192.0.2.30", "pmacro.test") == SpfResult::Pass);  // %{p} = host.ptr.test
    CHECK(f.result("192.0.2.31", "pmacro.test") == SpfResult::Fail);  // %{p} = unknown

    CHECK(f.result("192.0.2.40", "exists.test") == SpfResult::Pass);
    CHECK(f.result("192.0.2.41", "exists.test") == SpfResult::Fail);

    // §4.3: no local part (a bare domain or "@domain") is "postmaster".
    CHECK(f.result("192.0.2.1", "local.test", "local.test") == SpfResult::Pass);
    CHECK(f.result("192.0.2.1", "local.test", "@local.test") == SpfResult::Pass);
    CHECK(f.result("192.0.2.1", "local.test", "user@local.test") == SpfResult::Fail);
    auto ip = dns::IpAddress::parse("192.0.2.1");
    CHECK(check_host(*f.dns, *ip, "local.test", "").result == SpfResult::Pass);  // postmaster@local.test
}

TEST_CASE("spf eval: include maps the inner result (RFC 7208 5.2)") {
    Fixture f;
    CHECK(f.result("192.0.2.1", "inc.test", "pass@inc.test") == SpfResult::Pass);
    auto r = f.check("192.0.2.1", "inc.test", "fail@inc.test");
    CHECK(r.result == SpfResult::Neutral);  // no match, then ?all
    CHECK(r.explanation.empty());           // the inner exp= is not used (§6.2)
    CHECK(f.result("192.0.2.1", "inc.test", "softfail@inc.test") == SpfResult::Neutral);
    CHECK(f.result("192.0.2.1", "inc.test", "neutral@inc.test") == SpfResult::Neutral);
    CHECK(f.result("192.0.2.1", "inc.test", "temp@inc.test") == SpfResult::Temperror);
    r = f.check("192.0.2.1", "inc.test", "perm@inc.test");
    CHECK(r.result == SpfResult::Permerror);
    CHECK(r.reason.starts_with("RFC 7208 4.6.1: unknown mechanism"));
    r = f.check("192.0.2.1", "inc.test", "none@inc.test");
    CHECK(r.result == SpfResult::Permerror);
    CHECK(r.reason == "RFC 7208 5.2: include target \"none.inner.test\" has no SPF record");
}

TEST_CASE("spf eval: redirect") {
    Fixture f;
    CHECK(f.result("198.51.100.60", "redir.test") == SpfResult::Pass);  // a mechanism matched first
    CHECK(f.result("192.0.2.1", "redir.test") == SpfResult::Pass);      // ip.test's ip4
    auto r = f.check("198.51.100.1", "redir.test");
    CHECK(r.result == SpfResult::Fail);  // ip.test's -all
    CHECK(r.reason == "mechanism -all matched");
    CHECK(f.result("192.0.2.1", "redirfirst.test") == SpfResult::Neutral);  // ?all matched: no redirect
    r = f.check("192.0.2.1", "redirnone.test");
    CHECK(r.result == SpfResult::Permerror);
    CHECK(r.reason == "RFC 7208 6.1: redirect target \"none.inner.test\" has no SPF record");
}

TEST_CASE("spf eval: exp= only on fail, expanded, sanitised, errors ignored") {
    Fixture f;
    std::vector<std::string> lines;
    CheckContext ctx;
    ctx.trace = [&](std::string_view l) { lines.emplace_back(l); };
    auto r = f.check("192.0.2.70", "exp.test", "", ctx);
    CHECK(r.result == SpfResult::Pass);
    CHECK(r.explanation.empty());
    for (const auto& l : lines) CHECK(!l.starts_with("dns explain.exp.test"));  // not even fetched

    r = f.check("192.0.2.1", "exp.test");
    CHECK(r.result == SpfResult::Fail);
    CHECK(r.explanation == "192.0.2.1 is not one of exp.test's designated mail servers.");
    // After a redirect the target's exp= is used, with its %{d}.
    r = f.check("192.0.2.1", "expredir.test");
    CHECK(r.result == SpfResult::Fail);
    CHECK(r.explanation == "192.0.2.1 is not one of exp.test's designated mail servers.");

    // A sender's local part may hold anything: CR LF become a space, other
    // controls and 8-bit bytes are escaped, so nothing breaks a header line.
    r = f.check("192.0.2.1", "expl.test", "evil\r\nX-Bad:\x01\xc3\xa4@expl.test");
    CHECK(r.result == SpfResult::Fail);
    CHECK(r.explanation == "sender evil X-Bad:\\x01\\xc3\\xa4 refused");
    // Clean text is kept byte for byte, runs of spaces too.
    r = f.check("192.0.2.1", "expl.test", "two  spaces@expl.test");
    CHECK(r.explanation == "sender two  spaces refused");
    // Controls in the TXT text itself are a syntax error (§7.1): no explanation.
    r = f.check("192.0.2.1", "expctl.test");
    CHECK(r.result == SpfResult::Fail);
    CHECK(r.explanation.empty());
    r = f.check("192.0.2.1", "expnone.test");
    CHECK(r.result == SpfResult::Fail);
    CHECK(r.explanation.empty());
    r = f.check("192.0.2.1", "exptwo.test");
    CHECK(r.result == SpfResult::Fail);
    CHECK(r.explanation.empty());
}

TEST_CASE("spf eval: the limits of RFC 7208 4.6.4") {
    Fixture f;
    CHECK(f.result("198.51.100.1", "lim10.test") == SpfResult::Neutral);
    auto r = f.check("198.51.100.1", "lim11.test");
    CHECK(r.result == SpfResult::Permerror);
    CHECK(r.reason == "RFC 7208 4.6.4: more than 10 DNS-querying terms");
    // Nested includes share the count: 2 x (1 + 4) = 10, 3 x 5 = 15.
    CHECK(f.result("198.51.100.1", "nest10.test") == SpfResult::Neutral);
    CHECK(f.result("198.51.100.1", "nest15.test") == SpfResult::Permerror);
    // Loops end by the term limit.
    r = f.check("192.0.2.1", "loop.test");
    CHECK(r.result == SpfResult::Permerror);
    CHECK(r.reason == "RFC 7208 4.6.4: more than 10 DNS-querying terms");
    CHECK(f.result("192.0.2.1", "rloop.test") == SpfResult::Permerror);

    // NXDOMAIN and no data are void lookups; the third is a permerror.
    CHECK(f.result("192.0.2.1", "void2.test") == SpfResult::Neutral);
    r = f.check("192.0.2.1", "void3.test");
    CHECK(r.result == SpfResult::Permerror);
    CHECK(r.reason == "RFC 7208 4.6.4: more than 2 void lookups");
}

TEST_CASE("spf eval: records, names and DNS failures (RFC 7208 4.3 to 4.5)") {
    Fixture f;
    auto r = f.check("192.0.2.1", "temp.test");
    CHECK(r.result == SpfResult::Temperror);
    CHECK(r.reason == "RFC 7208 4.4: DNS failure looking up the record of \"temp.test\"");
    r = f.check("192.0.2.1", "tempa.test");
    CHECK(r.result == SpfResult::Temperror);
    CHECK(r.reason == "RFC 7208 5: DNS failure looking up \"temp.test\"");
    CHECK(f.result("192.0.2.1", "multi.test") == SpfResult::Permerror);
    CHECK(f.result("192.0.2.1", "other.test") == SpfResult::Pass);  // "hello" is no SPF record
    CHECK(f.result("192.0.2.1", "nospf.test") == SpfResult::None);
    CHECK(f.result("192.0.2.1", "nx.test") == SpfResult::None);
    CHECK(f.result("192.0.2.1", "nodot") == SpfResult::None);
    CHECK(f.result("192.0.2.1", "a..test") == SpfResult::None);
    CHECK(f.result("192.0.2.1", std::string(64, 'x') + ".test") == SpfResult::None);
}

TEST_CASE("spf eval: a v4-mapped IPv6 client is evaluated as IPv4") {
    Fixture f;
    CHECK(f.result("::ffff:192.0.2.1", "ip.test") == SpfResult::Pass);
    CHECK(f.result("::ffff:192.0.2.10", "a.test") == SpfResult::Pass);
    CHECK(f.result("::ffff:192.0.2.20", "mx.test") == SpfResult::Pass);
    CHECK(f.result("::ffff:192.0.2.30", "ptr.test") == SpfResult::Pass);
    CHECK(f.result("::ffff:192.0.2.1", "mapped.test") == SpfResult::Fail);  // ip6 does not see it
}

TEST_CASE("spf eval: the trace hook sees terms, queries, counters and the result") {
    Fixture f;
    std::vector<std::string> lines;
    CheckContext ctx;
    ctx.trace = [&](std::string_view l) { lines.emplace_back(l); };
    auto r = f.check("192.0.2.10", "a.test", "", ctx);
    REQUIRE(r.result == SpfResult::Pass);
    const std::vector<std::string> want{
        "check_host(192.0.2.10, a.test, user@a.test)",
        "dns a.test TXT: answer: v=spf1 a -all",
        "term a",
        "limits: 1 of 10 DNS-querying terms",
        "dns a.test A: answer: 192.0.2.10",
        "result pass: mechanism a matched (1 DNS-querying terms, 0 void lookups)",
    };
    CHECK(lines == want);
}

TEST_CASE("spf eval: the RFC 7208 test suite's processing limits scenario") {
    // The scenario's zone data (SPF entries served as TXT), then its tests by name.
    std::string zone = R"(
mail.example.com. A 1.2.3.4
e1.example.com. TXT "v=spf1 ip4:1.1.1.1 redirect=e1.example.com"
e1.example.com. A 1.2.3.6
e2.example.com. TXT "v=spf1 include:e3.example.com"
e2.example.com. A 1.2.3.7
e3.example.com. TXT "v=spf1 include:e2.example.com"
e3.example.com. A 1.2.3.8
e4.example.com. TXT "v=spf1 mx"
e4.example.com. MX 10 e4.example.com.
e4.example.com. A 1.2.3.5
e5.example.com. TXT "v=spf1 ptr"
e5.example.com. A 1.2.3.5
e6.example.com. TXT "v=spf1 a mx a mx a mx a mx a ptr ip4:1.2.3.4 -all"
e6.example.com. A 1.2.3.8
e6.example.com. MX 10 e6.example.com.
e7.example.com. TXT "v=spf1 a mx a mx a mx a mx a ptr a ip4:1.2.3.4 -all"
e7.example.com. A 1.2.3.20
e8.example.com. TXT "v=spf1 a include:inc.example.com ip4:1.2.3.4 mx -all"
e8.example.com. A 1.2.3.4
inc.example.com. TXT "v=spf1 a a a a a a a a"
inc.example.com. A 1.2.3.10
e9.example.com. TXT "v=spf1 a include:inc.example.com a ip4:1.2.3.4 -all"
e9.example.com. A 1.2.3.21
e10.example.com. TXT "v=spf1 a -all"
e11.example.com. TXT "v=spf1 a:err.example.com a:err1.example.com a:err2.example.com ?all"
e12.example.com. TXT "v=spf1 a:err.example.com a:err1.example.com ?all"
)";
    for (int i = 0; i <= 9; ++i) zone += "e4.example.com. MX " + std::to_string(i) + " mail.example.com.\n";
    for (int i = 1; i <= 12; ++i) zone += "e10.example.com. A 1.2.3." + std::to_string(i) + "\n";
    for (const char* name : {"e1", "e2", "e3", "e4", "", "e6", "e7", "e8", "e9", "e10", "e5"})
        zone += std::string("5.3.2.1.in-addr.arpa. PTR ") + name + (*name ? "." : "") + "example.com.\n";
    test::TempDir dir;
    dir.write("limits.zone", zone);
    auto dns = dns::make_zone_resolver({dir.path + "/limits.zone"});
    REQUIRE_MESSAGE(dns.has_value(), (dns ? "" : dns.error().reason));
    auto run = [&](const char* host, const char* domain) {
        CheckContext ctx;
        ctx.helo = "mail.example.com";
        return check_host(**dns, *dns::IpAddress::parse(host), domain, std::string("foo@") + domain, ctx).result;
    };
    CHECK(run("1.2.3.4", "e1.example.com") == SpfResult::Permerror);   // redirect-loop
    CHECK(run("1.2.3.4", "e2.example.com") == SpfResult::Permerror);   // include-loop
    CHECK(run("1.2.3.5", "e4.example.com") == SpfResult::Permerror);   // mx-limit
    CHECK(run("1.2.3.5", "e5.example.com") == SpfResult::Neutral);     // ptr-limit (neutral or pass)
    CHECK(run("1.2.3.12", "e10.example.com") == SpfResult::Pass);      // false-a-limit
    CHECK(run("1.2.3.4", "e6.example.com") == SpfResult::Pass);        // mech-at-limit
    CHECK(run("1.2.3.4", "e7.example.com") == SpfResult::Permerror);   // mech-over-limit
    CHECK(run("1.2.3.4", "e8.example.com") == SpfResult::Pass);        // include-at-limit
    CHECK(run("1.2.3.4", "e9.example.com") == SpfResult::Permerror);   // include-over-limit
    CHECK(run("1.2.3.4", "e12.example.com") == SpfResult::Neutral);    // void-at-limit
    CHECK(run("1.2.3.4", "e11.example.com") == SpfResult::Permerror);  // void-over-limit
}

namespace {

// Passes lookups on to `inner` and writes down how each was asked: "NAME/TYPE"
// for query(), "[NAME/TYPE NAME/TYPE ...]" for one query_all() batch.
struct AskLog : dns::Resolver {
    dns::Resolver& inner;
    std::vector<std::string> log;
    explicit AskLog(dns::Resolver& r) : inner(r) {}
    static std::string text(std::string_view name, dns::RrType type) {
        return std::string(name) + "/" + (type == dns::RrType::A ? "A" : type == dns::RrType::AAAA ? "AAAA" : "other");
    }
    dns::Answer query(std::string_view name, dns::RrType type) override {
        log.push_back(text(name, type));
        return inner.query(name, type);
    }
    std::vector<dns::Answer> query_all(std::span<const dns::Question> questions) override {
        std::string batch;
        for (const auto& q : questions) batch += (batch.empty() ? "" : " ") + text(q.name, q.type);
        log.push_back("[" + batch + "]");
        return inner.query_all(questions);
    }
};

}  // namespace

TEST_CASE("spf eval: the address lookups of one mx or ptr term are one batch") {
    Fixture f;
    AskLog ask(*f.dns);
    auto run = [&](const char* ip, const char* domain) {
        ask.log.clear();
        return check_host(ask, *dns::IpAddress::parse(ip), domain, std::string("u@") + domain).result;
    };
    CHECK(run("192.0.2.22", "mx.test") == SpfResult::Fail);
    CHECK(ask.log == std::vector<std::string>{"mx.test/other", "mx.test/other", "[mx1.test/A mx2.test/A]"});
    CHECK(run("2001:db8::21", "mx.test") == SpfResult::Pass);
    CHECK(ask.log == std::vector<std::string>{"mx.test/other", "mx.test/other", "[mx1.test/AAAA mx2.test/AAAA]"});
    // An early match: the later hosts were asked too, in the same round trip.
    CHECK(run("192.0.2.20", "mx.test") == SpfResult::Pass);
    CHECK(ask.log.back() == "[mx1.test/A mx2.test/A]");

    CHECK(run("192.0.2.30", "ptr.test") == SpfResult::Pass);
    CHECK(ask.log == std::vector<std::string>{"ptr.test/other", "30.2.0.192.in-addr.arpa/other",
                                              "[host.ptr.test/A other.example/A]"});
    // Only the first 10 PTR names are looked up (§4.6.4), in one batch.
    CHECK(run("192.0.2.33", "ptr11.test") == SpfResult::Fail);
    REQUIRE(ask.log.size() == 3);
    CHECK(ask.log[2].starts_with("[p1.ptr.test/A p2.ptr.test/A "));
    CHECK(ask.log[2].ends_with(" p10.ptr.test/A]"));
}
