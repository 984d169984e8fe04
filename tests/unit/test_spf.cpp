// SPF foundations (RFC 7208): result words and permissiveness, macro
// expansion (the §7.4 examples).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "spf/macro.hpp"
#include "spf/result.hpp"

using namespace qauth;
using namespace qauth::spf;

TEST_CASE("spf result: words, qualifiers, permissiveness") {
    CHECK(result_name(SpfResult::None) == "none");
    CHECK(result_name(SpfResult::Neutral) == "neutral");
    CHECK(result_name(SpfResult::Pass) == "pass");
    CHECK(result_name(SpfResult::Fail) == "fail");
    CHECK(result_name(SpfResult::Softfail) == "softfail");
    CHECK(result_name(SpfResult::Temperror) == "temperror");
    CHECK(result_name(SpfResult::Permerror) == "permerror");

    CHECK(qualifier_result(Qualifier::Pass) == SpfResult::Pass);
    CHECK(qualifier_result(Qualifier::Fail) == SpfResult::Fail);
    CHECK(qualifier_result(Qualifier::Softfail) == SpfResult::Softfail);
    CHECK(qualifier_result(Qualifier::Neutral) == SpfResult::Neutral);

    // pass > neutral > none > softfail > fail
    const std::vector<SpfResult> order{SpfResult::Fail, SpfResult::Softfail, SpfResult::None, SpfResult::Neutral,
                                       SpfResult::Pass};
    for (std::size_t i = 0; i < order.size(); ++i)
        for (std::size_t j = 0; j < order.size(); ++j) {
            CHECK(more_permissive(order[i], order[j]) == order[std::max(i, j)]);
            CHECK((permissiveness(order[i]) < permissiveness(order[j])) == (i < j));
        }
    // An error never wins over a verdict, on either side; two errors keep the first.
    for (SpfResult err : {SpfResult::Temperror, SpfResult::Permerror})
        for (SpfResult r : order) {
            CHECK(more_permissive(r, err) == r);
            CHECK(more_permissive(err, r) == r);
        }
    CHECK(more_permissive(SpfResult::Temperror, SpfResult::Permerror) == SpfResult::Temperror);
    CHECK(more_permissive(SpfResult::Permerror, SpfResult::Temperror) == SpfResult::Permerror);
}

namespace {
// RFC 7208 §7.4: "The <sender> is strong-bad@email.example.com. The IPv4
// SMTP client IP is 192.0.2.3. The IPv6 SMTP client IP is 2001:db8::cb01.
// The PTR domain name of the client IP is mx.example.org."
MacroContext rfc_context(const char* ip) {
    return MacroContext{
        .sender_local = "strong-bad",
        .sender_domain = "email.example.com",
        .domain = "email.example.com",
        .client = *dns::IpAddress::parse(ip),
        .helo = "mx.example.org",
        .receiver = "",
        .timestamp = 0,
        .validated_name = [] { return std::string("mx.example.org"); },
    };
}

std::string ex(std::string_view text, const MacroContext& ctx, MacroUse use = MacroUse::DomainSpec) {
    auto r = expand(text, ctx, use);
    REQUIRE_MESSAGE(r, r.error().reason);
    return *r;
}
}  // namespace

TEST_CASE("spf macros: RFC 7208 7.4 examples") {
    const auto v4 = rfc_context("192.0.2.3");
    CHECK(ex("%{s}", v4) == "strong-bad@email.example.com");
    CHECK(ex("%{o}", v4) == "email.example.com");
    CHECK(ex("%{d}", v4) == "email.example.com");
    CHECK(ex("%{d4}", v4) == "email.example.com");
    CHECK(ex("%{d3}", v4) == "email.example.com");
    CHECK(ex("%{d2}", v4) == "example.com");
    CHECK(ex("%{d1}", v4) == "com");
    CHECK(ex("%{dr}", v4) == "com.example.email");
    CHECK(ex("%{d2r}", v4) == "example.email");
    CHECK(ex("%{l}", v4) == "strong-bad");
    CHECK(ex("%{l-}", v4) == "strong.bad");
    CHECK(ex("%{lr}", v4) == "strong-bad");
    CHECK(ex("%{lr-}", v4) == "bad.strong");
    CHECK(ex("%{l1r-}", v4) == "strong");
    CHECK(ex("%{ir}.%{v}._spf.%{d2}", v4) == "3.2.0.192.in-addr._spf.example.com");
    CHECK(ex("%{lr-}.lp._spf.%{d2}", v4) == "bad.strong.lp._spf.example.com");
    CHECK(ex("%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", v4) == "bad.strong.lp.3.2.0.192.in-addr._spf.example.com");
    CHECK(ex("%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", v4) == "3.2.0.192.in-addr.strong.lp._spf.example.com");
    CHECK(ex("%{d2}.trusted-domains.example.net", v4) == "example.com.trusted-domains.example.net");
    const auto v6 = rfc_context("2001:db8::cb01");
    CHECK(ex("%{ir}.%{v}._spf.%{d2}", v6) ==
          "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com");
}

TEST_CASE("spf macros: letters, escapes, URL encoding") {
    auto ctx = rfc_context("192.0.2.3");
    CHECK(ex("%{p}", ctx) == "mx.example.org");
    CHECK(ex("%{h}", ctx) == "mx.example.org");
    CHECK(ex("%{i}", ctx) == "192.0.2.3");
    CHECK(ex("%%%_%-", ctx) == "% %20");
    CHECK(ex("%{c} %{r} %{t}", ctx, MacroUse::Explanation) == "192.0.2.3 unknown 0");
    ctx.receiver = "mx.receiver.example";
    ctx.timestamp = 1700000000;
    CHECK(ex("%{r}/%{t}", ctx, MacroUse::Explanation) == "mx.receiver.example/1700000000");
    ctx.validated_name = nullptr;
    CHECK(ex("%{p}", ctx) == "unknown");
    // RFC 7208 test suite, upper-macro: all but RFC 3986 unreserved escaped.
    ctx.sender_local = "~jack&jill=up-a_b3.c";
    CHECK(ex("http://example.com/why.html?l=%{L}", ctx, MacroUse::Explanation) ==
          "http://example.com/why.html?l=~jack%26jill%3Dup-a_b3.c");
    CHECK(ex("%{S}", rfc_context("192.0.2.3")) == "strong-bad%40email.example.com");
    // test suite macro-reverse-split-on-dash and macro-multiple-delimiters
    ctx = rfc_context("1.2.3.4");
    ctx.sender_local = "philip-gladstone-test";
    ctx.domain = "e11.example.com";
    CHECK(ex("%{i}.%{l2r-}.user.%{d2}", ctx) == "1.2.3.4.gladstone.philip.user.example.com");
    ctx.sender_local = "foo-bar+zip+quux";
    CHECK(ex("%{l2r+-}.user.%{d2}", ctx) == "bar.foo.user.example.com");
    CHECK(ex("%{dR}", ctx) == "com.example.e11");  // "r" is case-insensitive (RFC 5234 2.3)
    CHECK(ex("%{d99999999999999999999}", ctx) == "e11.example.com");
    // test suite v-macro-ip6: the exp text has the nibbles in upper case.
    const auto v6 = rfc_context("CAFE:BABE::1");
    CHECK(ex("%{c} is queried as %{ir}.%{v}.arpa", v6, MacroUse::Explanation) ==
          "cafe:babe::1 is queried as 1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.E.B.A.B.E.F.A.C.ip6.arpa");
    CHECK(ex("%{v} %{c}", v6, MacroUse::Explanation) == "ip6 cafe:babe::1");
}

TEST_CASE("spf macros: errors and the 253-octet cut") {
    const auto ctx = rfc_context("192.0.2.3");
    for (const char* bad : {"%", "a%", "%(ir)", "%{", "%{d", "%{x}", "%{d0}", "%{d2r2}", "%{d.:}", "a b", "\x7f",
                            "%{c}", "%{r}", "%{t}", "%{C}"}) {
        CAPTURE(bad);
        CHECK_FALSE(expand(bad, ctx, MacroUse::DomainSpec));
    }
    CHECK(expand("a b", ctx, MacroUse::Explanation));
    CHECK_FALSE(expand("a\tb", ctx, MacroUse::Explanation));
    CHECK(expand("%(ir)", ctx, MacroUse::Explanation).error().reason == "RFC 7208 7.1: '%' followed by (");
    CHECK(expand("%{t}", ctx, MacroUse::DomainSpec).error().reason ==
          "RFC 7208 7.3: %{t} is allowed only in explanation text");

    // §7.3: labels are dropped from the left until 253 octets remain.
    auto long_ctx = ctx;
    long_ctx.helo = std::string(60, 'a') + "." + std::string(60, 'b') + "." + std::string(60, 'c') + "." +
                    std::string(60, 'd') + ".example";
    const std::string out = ex("%{h}.x.example.com", long_ctx);
    CHECK(out == std::string(60, 'b') + "." + std::string(60, 'c') + "." + std::string(60, 'd') +
                     ".example.x.example.com");
    CHECK(out.size() <= 253);
    CHECK(ex("%{h}.x.example.com.", long_ctx) == out + ".");  // the absolute dot is not counted
    CHECK(ex("%{h}", long_ctx, MacroUse::Explanation) == long_ctx.helo);  // no cut in exp text
    long_ctx.helo = std::string(300, 'a');
    CHECK(ex("%{h}", long_ctx) == long_ctx.helo);  // one label: nothing to drop, the query check refuses it

    CHECK(check_macro_string("foo.%{d}", MacroUse::DomainSpec).value().empty());
    CHECK(check_macro_string("%{d}.com.", MacroUse::DomainSpec).value() == ".com.");
    CHECK(check_macro_string("foo%%", MacroUse::DomainSpec).value().empty());
}
