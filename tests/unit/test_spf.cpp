// SPF foundations (RFC 7208): result words and permissiveness, record
// selection and parsing (syntax cases from the RFC 7208 test suite, with the
// suite's test name beside each), macro expansion (the §7.4 examples).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "spf/macro.hpp"
#include "spf/record.hpp"
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
    // A guess error never wins; a policy error gives way to pass, neutral and
    // none only (a guess fail must not turn a temperror into a refusal);
    // two errors keep the policy's.
    for (SpfResult err : {SpfResult::Temperror, SpfResult::Permerror})
        for (SpfResult r : order) {
            CAPTURE(result_name(r));
            CHECK(more_permissive(r, err) == r);
            const bool gives_way = r == SpfResult::Pass || r == SpfResult::Neutral || r == SpfResult::None;
            CHECK(more_permissive(err, r) == (gives_way ? r : err));
        }
    CHECK(more_permissive(SpfResult::Temperror, SpfResult::Permerror) == SpfResult::Temperror);
    CHECK(more_permissive(SpfResult::Permerror, SpfResult::Temperror) == SpfResult::Permerror);
}

TEST_CASE("spf record selection (RFC 7208 4.5)") {
    using Txt = std::vector<std::string>;
    auto pick = [](const Txt& t) { return select_record(t); };
    CHECK(*pick({}) == std::nullopt);
    CHECK(*pick({"v=spf10", "v=spf1mx", "spf1", "x v=spf1"}) == std::nullopt);  // nospace1, nospace2
    CHECK(**pick({"google-site-verification=x", "v=spf1 -all"}) == "v=spf1 -all");
    CHECK(**pick({"v=spf1"}) == "v=spf1");
    CHECK(**pick({"V=sPf1 +all", "v=spf10 -all"}) == "V=sPf1 +all");
    CHECK_FALSE(pick({"v=spf1 +all", "v=spf1 -all"}));  // multitxt1
    CHECK_FALSE(pick({"V=sPf1 +all", "v=spf1 -all"}));  // multitxt2
    CHECK(is_spf_record("v=spf1 "));
    CHECK_FALSE(is_spf_record("v=spf1\t-all"));
    CHECK_FALSE(is_spf_record(""));
}

namespace {
const Directive& directive(const Record& r, std::size_t i) { return std::get<Directive>(r.terms.at(i)); }
}  // namespace

TEST_CASE("spf record: typed terms") {
    auto r = parse_record(
        "v=spf1 ip4:192.0.2.0/24 -IP6:2001:DB8::/32 ~a ?mx:%{d}.example.com/24//64 a//0 ptr "
        "include:_spf.example.net exists:%{ir}.bl.example.org  redirect=_spf.example.com exp=why.%{d} "
        "moo.cow-far_out=man:dog/cat -all ");
    REQUIRE(r);
    REQUIRE(r->terms.size() == 12);
    const auto& ip4 = directive(*r, 0);
    CHECK(ip4.mechanism == Mechanism::Ip4);
    CHECK(ip4.qualifier == Qualifier::Pass);
    CHECK(*ip4.network == *dns::IpAddress::parse("192.0.2.0"));
    CHECK(ip4.ip4_cidr == 24);
    const auto& ip6 = directive(*r, 1);
    CHECK(ip6.mechanism == Mechanism::Ip6);
    CHECK(ip6.qualifier == Qualifier::Fail);
    CHECK(*ip6.network == *dns::IpAddress::parse("2001:db8::"));
    CHECK(ip6.ip6_cidr == 32);
    const auto& a = directive(*r, 2);
    CHECK(a.mechanism == Mechanism::A);
    CHECK(a.qualifier == Qualifier::Softfail);
    CHECK(a.domain_spec.empty());
    CHECK(a.ip4_cidr == 32);
    CHECK(a.ip6_cidr == 128);
    const auto& mx = directive(*r, 3);
    CHECK(mx.mechanism == Mechanism::Mx);
    CHECK(mx.qualifier == Qualifier::Neutral);
    CHECK(mx.domain_spec == "%{d}.example.com");
    CHECK(mx.ip4_cidr == 24);
    CHECK(mx.ip6_cidr == 64);
    CHECK(directive(*r, 4).ip4_cidr == 32);
    CHECK(directive(*r, 4).ip6_cidr == 0);
    CHECK(directive(*r, 5).mechanism == Mechanism::Ptr);
    CHECK(directive(*r, 6).mechanism == Mechanism::Include);
    CHECK(directive(*r, 6).domain_spec == "_spf.example.net");
    CHECK(directive(*r, 7).mechanism == Mechanism::Exists);
    CHECK(directive(*r, 7).domain_spec == "%{ir}.bl.example.org");
    CHECK(r->find(ModifierKind::Redirect)->value == "_spf.example.com");
    CHECK(r->find(ModifierKind::Exp)->value == "why.%{d}");
    const auto& unknown = std::get<Modifier>(r->terms.at(10));
    CHECK(unknown.kind == ModifierKind::Unknown);
    CHECK(unknown.name == "moo.cow-far_out");
    CHECK(unknown.value == "man:dog/cat");
    CHECK(directive(*r, 11).mechanism == Mechanism::All);
    CHECK(directive(*r, 11).qualifier == Qualifier::Fail);

    CHECK(parse_record("v=spf1")->terms.empty());
    CHECK(parse_record("V=SPF1   ")->terms.empty());
    CHECK(parse_record("v=spf1 a:foo.example.com/24")->terms.size() == 1);
    CHECK(directive(*parse_record("v=spf1 a:foo.example.com/24"), 0).domain_spec == "foo.example.com");
    CHECK_FALSE(parse_record("v=spf1 -all")->find(ModifierKind::Redirect));
}

TEST_CASE("spf record: directive text for --trace") {
    auto r = parse_record("v=spf1 IP4:192.0.2.0/24 -ip6:2001:DB8::/32 ~a:%{d}/24//64 mx//64 ?PTR include:x.example "
                          "exists:%{i}.e.example +all ip4:192.0.2.1/32");
    REQUIRE(r);
    std::vector<std::string> texts;
    for (const auto& t : r->terms) texts.push_back(directive_text(std::get<Directive>(t)));
    CHECK(texts == std::vector<std::string>{"ip4:192.0.2.0/24", "-ip6:2001:db8::/32", "~a:%{d}/24//64", "mx//64",
                                            "?ptr", "include:x.example", "exists:%{i}.e.example", "all",
                                            "ip4:192.0.2.1"});
}

TEST_CASE("spf record: valid syntax from the RFC 7208 test suite") {
    for (const char* rec : {
             "v=spf1 moo.cow-far_out=man:dog/cat ip4:1.2.3.4 -all",  // modifier-charset-good
             "v=spf1 a:mail.example...com -all",                     // invalid-domain-empty-label: not syntax
             "v=spf1 a:%{H}.bar -all",                               // invalid-domain-long-via-macro
             "v=spf1 a/0 -all", "v=spf1 a//0 -all", "v=spf1 a//33 -all", "v=spf1 mx/0 -all",  // a-cidr6 ...
             "v=spf1 a:foo:bar/baz.example.com",         // a-colon-domain
             "v=spf1 a:foo.example.xn--zckzah -all",     // a-dash-in-toplabel
             "v=spf1 ip4:1.1.1.1/0 -all", "v=spf1 ip4:1.2.3.4/32 -all",
             "v=spf1 -ip4:1.2.3.4 ip6:::FFFF:1.2.3.4", "v=spf1 ip6:::1.1.1.1/0",
             "v=spf1 ip6:Cafe:Babe:8000::/33",
             "v=spf1 include:o.spf.example.com. ~all",   // trailing dot
             "v=spf1 redirect=%{d}.d.spf.example.com.",
             "v=spf1 a:macro%%percent%_%_space%-url-space.example.com -all",
             "v=spf1 -all exp=%{ir}.example.com", "v=spf1 -all exp=msg8.%{D2}", "v=spf1 a:%{H} -all",
             "v=spf1 exists:%{i}.%{l2r-}.user.%{d2}", "v=spf1 exists:%{l2r+-}.user.%{d2}",
             "v=spf1 exists:%{p}.should.example.com ~exists:%{p}.ok.example.com",
             "v=spf1 default=pass", "v=spf1 default=+", "v=spf1 all -all",
         }) {
        CAPTURE(rec);
        CHECK(parse_record(rec));
    }
}

TEST_CASE("spf record: permerror syntax from the RFC 7208 test suite") {
    using namespace std::string_literals;
    const std::vector<std::string> bad{
        "v=spf1 a:\xc3\xaf\xc2\xbbgarbage.example.net -all",  // non-ascii-policy
        "v=spf1 \x80" "a:example.net -all",                   // non-ascii-mech
        "v=spf1 a:example.net \x96" "all",                    // non-ascii-result
        "v=spf1 a:ctrl.example.com\rptr -all",                // control-char-policy
        "v=spf1 ip4:192.0.2.5\n include:spf.protection.outlook.com ~all",  // badip4
        "v=spf1 ip4:1.2.3.4 -all moo",                        // detect-errors-anywhere
        "v=spf1 moo.cow/far_out=man:dog/cat ip4:1.2.3.4 -all",  // modifier-charset-bad1
        "v=spf1 moo.cow:far_out=man:dog/cat ip4:1.2.3.4 -all",  // modifier-charset-bad2
        "v=spf1 ip4:1.2.3.4 redirect:t2.example.com",         // redirect-is-modifier
        "v=spf1 a:foo-bar -all",                              // invalid-domain
        "v=spf1 -all.", "v=spf1 -all:foobar", "v=spf1 -all/8",  // all-dot, all-arg, all-cidr
        "v=spf1 ptr/0 -all", "v=spf1 ptr:",                   // ptr-cidr, ptr-empty-domain
        "v=spf1 a/33 -all", "v=spf1 a//129 -all", "v=spf1 a/24/64 -all",  // a-bad-cidr4/6, a-dual-cidr-ip4-err
        "v=spf1 a:example.com:8080",                          // a-bad-domain
        "v=spf1 a:foo.example.com\0"s,                        // a-null
        "v=spf1 a:111.222.33.44", "v=spf1 a:abc.123",         // a-numeric, a-numeric-toplabel
        "v=spf1 a:example.-com", "v=spf1 a:museum", "v=spf1 a:museum.", "v=spf1 a:",
        "v=spf1 include +all", "v=spf1 include:ip5.example.com/24 -all", "v=spf1 include: -all",
        "v=spf1 mx/33 -all", "v=spf1 mx//129 -all", "v=spf1 mx:example.com:8080", "v=spf1 mx:abc.123",
        "v=spf1 mx:example.-com", "v=spf1 mx: -all",
        "v=spf1 exists:", "v=spf1 exists", "v=spf1 exists:mail.example.com/24",
        "v=spf1 ip4:1.2.3.4/33 -all", "v=spf1 ip4:1.2.3.4/032 -all",  // cidr4-33, cidr4-032
        "v=spf1 ip4", "v=spf1 ip4:1.2.3.4:8080", "v=spf1 ip4:1.2.3", "v=spf1 ip4:1.2.3.4//32",
        "v=spf1 -all ip6", "v=spf1 ip6:::1.1.1.1/129", "v=spf1 ip6:::1.1.1.1//33", "v=spf1 ip6::CAFE::BABE",
        "v=spf1 redirect=-all ?all", "v=spf1 1up=foo", "v=spf1 =all",
        "v=spf1 exp= -all", "v=spf1 exp=-all", "v=spf1 ?all redirect=",
        "v=spf1 exp=e13msg.example.com -all exp=e11msg.example.com",        // exp-twice
        "v=spf1 redirect=e12.example.com -all redirect=e12.example.com",    // redirect-twice
        "v=spf1 -all foo=%abc",                                             // unknown-modifier-syntax
        "v=spf1 -all exp=%{r}.example.com",                                 // exp-only-macro-char
        "v=spf1 -exists:%(ir).sbl.example.com ?all",                        // invalid-macro-char
        "v=spf1 exists:foo%(ir).sbl.example.com ?all", "v=spf1 exists:foo%.sbl.example.com ?all",
        "v=spf1 a:%{a}.example.com -all",                                   // undef-macro
    };
    for (const auto& rec : bad) {
        CAPTURE(rec);
        CHECK_FALSE(parse_record(rec));
    }
}

TEST_CASE("spf record: reasons cite the rule; CIDR lengths; bounds") {
    CHECK(parse_record("v=spf1 foo").error().reason == "RFC 7208 4.6.1: unknown mechanism \"foo\"");
    CHECK(parse_record("v=spf1 a/024").error().reason == "RFC 7208 12: bad ip4-cidr-length /024");
    CHECK(parse_record("v=spf1 ip6:::1/0128").error().reason == "RFC 7208 12: bad ip6-cidr-length /0128");
    CHECK(parse_record("v=spf1 a//00").error().reason == "RFC 7208 12: bad ip6-cidr-length /00");
    CHECK(parse_record("v=spf1 redirect=a.example.com REDIRECT=b.example.com").error().reason ==
          "RFC 7208 6: redirect= appears more than once");
    CHECK(parse_record("spf1 -all").error().reason.starts_with("RFC 7208 4.5:"));
    CHECK(parse_record("v=spf1\t-all").error().reason.starts_with("RFC 7208 4.5:"));
    CHECK(parse_record("v=spf1 -all\t").error().reason.starts_with("RFC 7208 5.1:"));
    CHECK(parse_record("v=spf1 ip4:1.2.3.4/32 ip6:::/128 a/32//128 ip4:0.0.0.0/0 ip6:::/0"));
    CHECK_FALSE(parse_record("v=spf1 ip4:1.2.3.4/99999999999999999999"));
    CHECK_FALSE(parse_record("v=spf1 ip4:::1"));        // ip4 must be IPv4
    CHECK_FALSE(parse_record("v=spf1 ip6:192.0.2.1"));  // ip6 must be IPv6
    CHECK_FALSE(parse_record("v=spf1 ip4:01.2.3.4"));   // qnum: no leading zero
    CHECK_FALSE(parse_record("v=spf1 +redirect=a.example.com"));  // no qualifier on a modifier
    CHECK_FALSE(parse_record("v=spf1 a:%{d}com"));      // domain-end: macro or "." toplabel
    CHECK_FALSE(parse_record("v=spf1 a:%{d0}.com"));    // §7.3: digit transformer nonzero
    CHECK(parse_record("v=spf1 a:x.1-2"));              // toplabel: LDH with a hyphen
    CHECK(parse_record("v=spf1 x=%{c}%{r}%{t}"));       // unknown modifiers: any macro-letter

    std::string many = "v=spf1";
    for (std::size_t i = 0; i < kMaxTerms; ++i) many += " ?all";
    CHECK(parse_record(many));
    CHECK(parse_record(many + " -all").error().reason == "record has more than 1000 terms");
    std::string big = "v=spf1 " + std::string(kMaxRecordSize, ' ');
    CHECK(parse_record(big).error().reason == "record longer than 65536 octets");
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
