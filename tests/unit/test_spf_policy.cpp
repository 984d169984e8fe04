// The panel's rules around check_host() (spf/policy.hpp): each mode's
// decision for each result, local rules inserted before the final all and
// at the top level only, the guess rules in both modes, --record, and the
// Received-SPF field (spf/received.hpp) byte for byte.
#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "dns/zone_resolver.hpp"
#include "spf/policy.hpp"
#include "spf/received.hpp"
#include "testdata.hpp"

using namespace qauth;
using namespace qauth::spf;

namespace {

const std::string kZone = R"(
fail.test.      TXT "v=spf1 ip4:192.0.2.1 -all"
soft.test.      TXT "v=spf1 ~all"
redir.test.     TXT "v=spf1 ip4:192.0.2.1 redirect=fail.test"
noall.test.     TXT "v=spf1 ip4:192.0.2.1"
inc.test.       TXT "v=spf1 include:fail.test -all"
perm.test.      TXT "v=spf1 bogus"
nospf.test.     A   192.0.2.9
guess.test.     TXT "v=spf1 -all"
guess.test.     A   198.51.100.5
;qauth: tempfail temp.test
)";

struct Fixture {
    test::TempDir dir;
    std::unique_ptr<dns::Resolver> dns;
    Fixture() {
        dir.write("p.zone", kZone);
        auto r = dns::make_zone_resolver({dir.path + "/p.zone"});
        REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().reason));
        dns = std::move(*r);
    }
    Outcome run(const std::string& ip, const std::string& domain, const Rules& rules,
                const std::optional<std::string>& record = std::nullopt) {
        auto addr = dns::IpAddress::parse(ip);
        REQUIRE(addr);
        return evaluate(*dns, *addr, domain, "u@" + domain, {}, rules, record);
    }
};

Rules local(const std::string& text) {
    auto l = parse_local_rules(text);
    REQUIRE_MESSAGE(l.has_value(), (l ? "" : l.error().reason));
    return Rules{std::move(*l), {}, GuessMode::MorePermissive};
}

Rules guess(const std::string& text, GuessMode mode = GuessMode::MorePermissive) {
    auto g = parse_guess_rules(text);
    REQUIRE_MESSAGE(g.has_value(), (g ? "" : g.error().reason));
    return Rules{{}, std::move(*g), mode};
}

}  // namespace

TEST_CASE("spf policy: each mode's decision for each result") {
    using A = Action;
    using R = SpfResult;
    const R results[] = {R::Pass, R::Fail, R::Softfail, R::Neutral, R::None, R::Permerror, R::Temperror};
    // Rows are modes 0..6, columns the results in the order above.
    const A table[7][7] = {
        {A::Accept, A::Accept, A::Accept, A::Accept, A::Accept, A::Accept, A::Accept},
        {A::Accept, A::Accept, A::Accept, A::Accept, A::Accept, A::Accept, A::Accept},
        {A::Accept, A::Accept, A::Accept, A::Accept, A::Accept, A::Accept, A::Defer},
        {A::Accept, A::Refuse, A::Accept, A::Accept, A::Accept, A::Accept, A::Defer},
        {A::Accept, A::Refuse, A::Refuse, A::Accept, A::Accept, A::Accept, A::Defer},
        {A::Accept, A::Refuse, A::Refuse, A::Refuse, A::Accept, A::Accept, A::Defer},
        {A::Accept, A::Refuse, A::Refuse, A::Refuse, A::Refuse, A::Refuse, A::Defer},
    };
    for (int mode = 0; mode <= 6; ++mode)
        for (int r = 0; r < 7; ++r) {
            CAPTURE(mode);
            CAPTURE(result_name(results[r]));
            CHECK(decide(mode, results[r]) == table[mode][r]);
        }
}

TEST_CASE("spf policy: the order of permissiveness the guess rules use") {
    using R = SpfResult;
    CHECK(more_permissive(R::Fail, R::Softfail) == R::Softfail);
    CHECK(more_permissive(R::Softfail, R::None) == R::None);
    CHECK(more_permissive(R::None, R::Neutral) == R::Neutral);
    CHECK(more_permissive(R::Neutral, R::Pass) == R::Pass);
    CHECK(more_permissive(R::Pass, R::Fail) == R::Pass);
    CHECK(more_permissive(R::Fail, R::Permerror) == R::Fail);   // a guess error never wins
    CHECK(more_permissive(R::Fail, R::Temperror) == R::Fail);
    CHECK(more_permissive(R::Temperror, R::Fail) == R::Temperror);  // a guess fail never makes it a bounce
    CHECK(more_permissive(R::Permerror, R::Softfail) == R::Permerror);
    CHECK(more_permissive(R::Temperror, R::Neutral) == R::Neutral);  // a verdict no mode refuses more often
    CHECK(more_permissive(R::Temperror, R::Permerror) == R::Temperror);  // two errors: the policy's
}

TEST_CASE("spf policy: local rules go before the final all") {
    Fixture f;
    auto o = f.run("203.0.113.7", "fail.test", local("+ip4:203.0.113.0/24"));
    CHECK(o.check.result == SpfResult::Pass);
    CHECK(o.check.reason == "local rule ip4:203.0.113.0/24 matched");
    CHECK(o.check.mechanism == "ip4:203.0.113.0/24");
    // The record's own mechanisms before all come first: a local -all does
    // not hide the record's ip4.
    CHECK(f.run("192.0.2.1", "fail.test", local("-all")).check.result == SpfResult::Pass);
    // No local match: the record's all decides.
    o = f.run("198.51.100.1", "fail.test", local("v=spf1 ip4:203.0.113.0/24"));
    CHECK(o.check.result == SpfResult::Fail);
    CHECK(o.check.reason == "mechanism -all matched");
    // A record without a final all: after its last directive, before redirect=.
    CHECK(f.run("203.0.113.7", "redir.test", local("ip4:203.0.113.7")).check.result == SpfResult::Pass);
    CHECK(f.run("203.0.113.8", "redir.test", local("ip4:203.0.113.7")).check.result == SpfResult::Fail);
    CHECK(f.run("203.0.113.7", "noall.test", local("?ip4:203.0.113.7")).check.result == SpfResult::Neutral);
}

TEST_CASE("spf policy: local rules apply at the top level only") {
    Fixture f;
    // include:fail.test is evaluated without them: its -all is a no-match,
    // and then the local rule sits before inc.test's own -all.
    auto o = f.run("203.0.113.7", "inc.test", local("ip4:203.0.113.7"));
    CHECK(o.check.result == SpfResult::Pass);
    CHECK(o.check.reason == "local rule ip4:203.0.113.7 matched");
    // redirect=fail.test: the target's record is not the top level.
    CHECK(f.run("203.0.113.9", "redir.test", local("ip4:203.0.113.7")).check.result == SpfResult::Fail);
}

TEST_CASE("spf policy: local rules alone when the domain has no record") {
    Fixture f;
    auto o = f.run("203.0.113.7", "nospf.test", local("ip4:203.0.113.7"));
    CHECK(o.check.result == SpfResult::Pass);
    o = f.run("198.51.100.1", "nospf.test", local("ip4:203.0.113.7"));
    CHECK(o.check.result == SpfResult::None);
    CHECK(o.check.reason == "RFC 7208 4.4: no SPF record at \"nospf.test\"");
    // Errors of the record are not papered over by local rules.
    CHECK(f.run("203.0.113.7", "perm.test", local("ip4:203.0.113.7")).check.result == SpfResult::Permerror);
    CHECK(f.run("203.0.113.7", "temp.test", local("ip4:203.0.113.7")).check.result == SpfResult::Temperror);
}

TEST_CASE("spf policy: local and guess rules are checked when read") {
    CHECK(parse_local_rules("").value().empty());
    CHECK(parse_local_rules("v=spf1 a mx").value().size() == 2);
    auto bad = parse_local_rules("ip4:300.1.1.1");
    REQUIRE(!bad);
    CHECK(bad.error().reason.starts_with("local rules: RFC 7208"));
    auto mod = parse_local_rules("a redirect=x.test");
    REQUIRE(!mod);
    CHECK(mod.error().reason == "local rules: modifier \"redirect=\" not allowed, only directives");
    CHECK(parse_guess_rules("+a/24 +mx/24 ?all").value() == "v=spf1 +a/24 +mx/24 ?all");
    CHECK(parse_guess_rules("  v=spf1 ptr ?all ").value() == "v=spf1 ptr ?all");
    CHECK(!parse_guess_rules("v=spf1 a//129"));
}

TEST_CASE("spf policy: guess rules, the more permissive result") {
    Fixture f;
    // Policy fail, guess pass: pass, from the guess rules.
    auto o = f.run("198.51.100.5", "guess.test", guess("v=spf1 a/24 ?all"));
    CHECK(o.check.result == SpfResult::Pass);
    CHECK(o.from_guess);
    CHECK(o.check.reason == "guess rules: mechanism a/24 matched");
    // Policy pass, guess fail: pass, the policy's, and the guess rules are
    // not even evaluated (no trace of them).
    std::vector<std::string> lines;
    auto addr = dns::IpAddress::parse("192.0.2.1");
    CheckContext ctx;
    ctx.trace = [&](std::string_view l) { lines.emplace_back(l); };
    o = evaluate(*f.dns, *addr, "fail.test", "u@fail.test", ctx, guess("-all"), std::nullopt);
    CHECK(o.check.result == SpfResult::Pass);
    CHECK(!o.from_guess);
    CHECK(std::none_of(lines.begin(), lines.end(), [](const std::string& l) { return l.starts_with("guess"); }));
    // Otherwise the trace ends with the result taken.
    lines.clear();
    o = evaluate(*f.dns, *addr, "soft.test", "u@soft.test", ctx, guess("?all"), std::nullopt);
    REQUIRE(!lines.empty());
    CHECK(lines.back() == "taken: the guess rules' neutral");
    // Policy softfail, guess neutral: neutral.
    CHECK(f.run("192.0.2.77", "soft.test", guess("?all")).check.result == SpfResult::Neutral);
    // A guess error never makes it worse: a:temp.test is a temperror.
    o = f.run("192.0.2.77", "soft.test", guess("a:temp.test ?all"));
    CHECK(o.check.result == SpfResult::Softfail);
    CHECK(!o.from_guess);
    // The policy's temperror stays: a guess -all must not bounce it.
    o = f.run("192.0.2.77", "temp.test", guess("-all"));
    CHECK(o.check.result == SpfResult::Temperror);
    CHECK(!o.from_guess);
    CHECK(f.run("192.0.2.77", "temp.test", guess("?all")).check.result == SpfResult::Neutral);
    // No record: none, and the guess's neutral is more permissive.
    CHECK(f.run("192.0.2.77", "nospf.test", guess("?all")).check.result == SpfResult::Neutral);
}

TEST_CASE("spf policy: guess rules as a fallback only without a record") {
    Fixture f;
    auto o = f.run("198.51.100.5", "guess.test", guess("a/24 ?all", GuessMode::Fallback));
    CHECK(o.check.result == SpfResult::Fail);  // the domain has a record
    CHECK(!o.from_guess);
    o = f.run("192.0.2.9", "nospf.test", guess("a ?all", GuessMode::Fallback));
    CHECK(o.check.result == SpfResult::Pass);
    CHECK(o.from_guess);
    // A guess error keeps none.
    CHECK(f.run("192.0.2.9", "nospf.test", guess("a:temp.test ?all", GuessMode::Fallback)).check.result ==
          SpfResult::None);
}

TEST_CASE("spf policy: --record stands for the domain's record") {
    Fixture f;
    auto o = f.run("203.0.113.7", "fail.test", {}, "v=spf1 ip4:203.0.113.0/24 -all");
    CHECK(o.check.result == SpfResult::Pass);
    CHECK(f.run("203.0.113.7", "nospf.test", {}, "v=spf1 -all").check.result == SpfResult::Fail);
    CHECK(f.run("203.0.113.7", "nospf.test", {}, "v=spf1 bogus").check.result == SpfResult::Permerror);
}

TEST_CASE("spf received: the RFC 7208 9.1 field, folded, byte for byte") {
    CheckResult pass{SpfResult::Pass, "mechanism ip4:192.0.2.0/24 matched", {}, "ip4:192.0.2.0/24"};
    CHECK(received_spf({pass, "mailfrom", "a@example.com", "a@example.com", "mail.example.com", "192.0.2.1",
                        "mx.example.org"},
                       "\n") ==
          "Received-SPF: pass (mx.example.org: domain of a@example.com designates\n"
          "\t192.0.2.1 as permitted sender) client-ip=192.0.2.1;\n"
          "\tenvelope-from=\"a@example.com\"; helo=mail.example.com;\n"
          "\treceiver=mx.example.org; identity=mailfrom;\n"
          "\tmechanism=\"ip4:192.0.2.0/24\";\n");
    CheckResult perm{SpfResult::Permerror, "RFC 7208 4.6.1: unknown mechanism \"x\"", {}, {}};
    // HELO identity, null sender, a HELO that is no dot-atom, an error's problem=.
    CHECK(received_spf({perm, "helo", "postmaster@[192.0.2.1]", "", "[192.0.2.1]", "192.0.2.1", "mx"}, "\r\n") ==
          "Received-SPF: permerror (mx: permanent error in processing domain of\r\n"
          "\tpostmaster@[192.0.2.1]) client-ip=192.0.2.1; envelope-from=\"\";\r\n"
          "\thelo=\"[192.0.2.1]\"; problem=\"RFC 7208 4.6.1: unknown mechanism \\\"x\\\"\";\r\n"
          "\treceiver=mx; identity=helo;\r\n");
    // Text from the message cannot break out of the comment or add lines.
    CheckResult none{SpfResult::None, "no record", {}, {}};
    std::string f = received_spf({none, "mailfrom", "a)(b\r\nX: y@e.test", "a)(b\r\nX: y@e.test", "h", "192.0.2.1",
                                  "mx", true},
                                 "\n");
    CHECK(f.find("a\\)\\(b X: y@e.test") != std::string::npos);
    CHECK(f.find("by the local guess rules") != std::string::npos);
    // A local rule's pass is not the domain's: the comment says whose it is.
    CheckResult local{SpfResult::Pass, "local rule ip4:192.0.2.0/24 matched", {}, "ip4:192.0.2.0/24"};
    std::string l = received_spf({local, "mailfrom", "a@e.test", "a@e.test", "h", "192.0.2.1", "mx"}, "\n");
    for (auto at = l.find("\n\t"); at != std::string::npos; at = l.find("\n\t")) l.replace(at, 2, " ");
    CHECK(l.find("permitted sender, by the local rules)") != std::string::npos);
    CHECK(f.find("\r") == std::string::npos);
    CHECK(std::count(f.begin(), f.end(), '\n') == std::count(f.begin(), f.end(), '\t') + 1);
}
