// DMARC discovery, alignment and evaluation (dmarc/discovery.hpp,
// dmarc/evaluate.hpp) against a zone file: both discovery modes, sp= and
// np=, psd= in the tree walk, strict and relaxed alignment, t=y and pct=,
// DNS failures, and the stricter of several From domains.
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "dmarc/evaluate.hpp"
#include "dns/zone_resolver.hpp"
#include "testdata.hpp"

using namespace qauth;
using namespace qauth::dmarc;

namespace {

const std::string kZone = R"(
_dmarc.example.com.        TXT "v=DMARC1; p=reject; sp=quarantine; np=reject"
example.com.               A   192.0.2.1
sub.example.com.           A   192.0.2.2
txt.example.com.           TXT "no address here"
a.ent.example.com.         A   192.0.2.4
mx.example.com.            MX  10 mail.example.net.
v6.example.com.            AAAA 2001:db8::1
_dmarc.none.example.       TXT "v=DMARC1; p=none"
_dmarc.strict.example.     TXT "v=DMARC1; p=reject; adkim=s; aspf=s"
_dmarc.test.example.       TXT "v=DMARC1; p=reject; t=y"
_dmarc.pct.example.        TXT "v=DMARC1; p=quarantine; pct=20"
_dmarc.two.example.        TXT "v=DMARC1; p=reject"
_dmarc.two.example.        TXT "v=DMARC1; p=none"
_dmarc.example.co.uk.      TXT "v=DMARC1; p=reject"
_dmarc.shop.psd.example.   TXT "v=DMARC1; p=quarantine"
_dmarc.psd.example.        TXT "v=DMARC1; p=reject; psd=y"
a.shop.psd.example.        A   192.0.2.3
;qauth: tempfail _dmarc.broken.example TXT
)";

struct Fixture {
    test::TempDir dir;
    std::unique_ptr<dns::Resolver> dns;
    Fixture() {
        dir.write("d.zone", kZone);
        auto r = dns::make_zone_resolver({dir.path + "/d.zone"});
        REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().reason));
        dns = std::move(*r);
    }
    Verdict run(const std::string& from, const AuthResults& auth, Discovery mode = Discovery::TreeWalk,
                const Sampler& sample = {}) {
        auto d = dns::Domain::parse(from, dns::NameRules::Mail);
        REQUIRE(d);
        return evaluate(*dns, *d, auth, mode, sample);
    }
};

AuthResults dkim_pass(const std::string& d) { return AuthResults{{}, {{d, "pass"}}, false, true}; }
AuthResults spf_pass(const std::string& d) { return AuthResults{{{d, "pass"}}, {}, true, false}; }

}  // namespace

TEST_CASE("dmarc eval: pass by an aligned DKIM or SPF pass, fail otherwise") {
    Fixture f;
    for (Discovery mode : {Discovery::TreeWalk, Discovery::Psl}) {
        CAPTURE(static_cast<int>(mode));
        auto v = f.run("example.com", dkim_pass("example.com"), mode);
        CHECK(v.result == DmarcResult::Pass);
        CHECK(v.dkim_aligned);
        CHECK(v.disposition == Policy::None);
        v = f.run("example.com", spf_pass("mail.example.com"), mode);  // relaxed: same organization
        CHECK(v.result == DmarcResult::Pass);
        CHECK(v.spf_aligned);
        v = f.run("example.com", dkim_pass("example.net"), mode);
        CHECK(v.result == DmarcResult::Fail);
        CHECK(v.policy == Policy::Reject);
        CHECK(v.disposition == Policy::Reject);
        CHECK(v.policy_domain == "example.com");
        // A DKIM fail of the From domain is no pass.
        v = f.run("example.com", AuthResults{{}, {{"example.com", "fail"}}, false, true}, mode);
        CHECK(v.result == DmarcResult::Fail);
    }
}

TEST_CASE("dmarc eval: an aligned SPF or DKIM temperror with no aligned pass is temperror, not fail") {
    Fixture f;
    for (Discovery mode : {Discovery::TreeWalk, Discovery::Psl}) {
        CAPTURE(static_cast<int>(mode));
        auto v = f.run("example.com", AuthResults{{{"example.com", "temperror"}}, {}, true, false}, mode);
        CHECK(v.result == DmarcResult::Temperror);
        CHECK(v.reason == "no aligned pass, and an aligned SPF temperror: a later attempt may pass");
        v = f.run("example.com", AuthResults{{}, {{"mail.example.com", "temperror"}}, false, true}, mode);
        CHECK(v.result == DmarcResult::Temperror);
        CHECK(v.reason == "no aligned pass, and an aligned DKIM temperror: a later attempt may pass");
        // An aligned pass wins over a temperror; an unaligned temperror changes nothing.
        v = f.run("example.com", AuthResults{{{"example.com", "temperror"}}, {{"example.com", "pass"}}, true, true},
                  mode);
        CHECK(v.result == DmarcResult::Pass);
        v = f.run("example.com", AuthResults{{{"example.net", "temperror"}}, {{"example.org", "temperror"}}, true, true},
                  mode);
        CHECK(v.result == DmarcResult::Fail);
        CHECK(v.disposition == Policy::Reject);
    }
    // Strict alignment: a subdomain's temperror could never pass.
    CHECK(f.run("strict.example", AuthResults{{}, {{"mail.strict.example", "temperror"}}, false, true}).result ==
          DmarcResult::Fail);
}

TEST_CASE("dmarc eval: strict alignment wants the same name") {
    Fixture f;
    CHECK(f.run("strict.example", dkim_pass("strict.example")).result == DmarcResult::Pass);
    CHECK(f.run("strict.example", dkim_pass("mail.strict.example")).result == DmarcResult::Fail);
    CHECK(f.run("strict.example", spf_pass("mail.strict.example")).result == DmarcResult::Fail);
}

TEST_CASE("dmarc eval: sp= for an existing subdomain, np= for a non-existent one") {
    Fixture f;
    for (Discovery mode : {Discovery::TreeWalk, Discovery::Psl}) {
        auto v = f.run("sub.example.com", {}, mode);
        CHECK(v.result == DmarcResult::Fail);
        CHECK(v.policy_domain == "example.com");
        CHECK(v.policy == Policy::Quarantine);
        v = f.run("nothere.example.com", {}, mode);
        CHECK(v.policy == Policy::Reject);  // np=reject
    }
}

TEST_CASE("dmarc eval: np= for a name without A, AAAA and MX records in psl mode (RFC 9091 2.7)") {
    Fixture f;
    // RFC 9091 2.7: "NXDOMAIN or NODATA response for A, AAAA, and MX
    // records"; RFC 9989 keeps RFC 8020's NXDOMAIN.
    for (const char* name : {"txt.example.com", "ent.example.com"}) {
        CAPTURE(name);
        CHECK(f.run(name, {}, Discovery::Psl).policy == Policy::Reject);           // np=reject
        CHECK(f.run(name, {}, Discovery::TreeWalk).policy == Policy::Quarantine);  // exists: sp=
    }
    for (const char* name : {"mx.example.com", "v6.example.com", "a.ent.example.com"}) {
        CAPTURE(name);
        CHECK(f.run(name, {}, Discovery::Psl).policy == Policy::Quarantine);
        CHECK(f.run(name, {}, Discovery::TreeWalk).policy == Policy::Quarantine);
    }
}

TEST_CASE("dmarc eval: no record is none; two records are no policy; DNS trouble is temperror") {
    Fixture f;
    auto v = f.run("nodmarc.example", dkim_pass("nodmarc.example"));
    CHECK(v.result == DmarcResult::None);
    CHECK(v.policy_domain.empty());
    CHECK(f.run("two.example", {}).result == DmarcResult::None);
    v = f.run("broken.example", dkim_pass("broken.example"));
    CHECK(v.result == DmarcResult::Temperror);
    CHECK(v.reason.find("_dmarc.broken.example") != std::string::npos);
}

TEST_CASE("dmarc eval: t=y and pct= lower the disposition one step") {
    Fixture f;
    auto v = f.run("test.example", {});
    CHECK(v.result == DmarcResult::Fail);
    CHECK(v.policy == Policy::Reject);
    CHECK(v.disposition == Policy::Quarantine);
    // pct= only in RFC 7489 mode; the sampler decides.
    v = f.run("pct.example", {}, Discovery::Psl, [](int pct) { return pct > 50; });
    CHECK(v.disposition == Policy::None);
    v = f.run("pct.example", {}, Discovery::Psl, [](int pct) { return pct == 20; });
    CHECK(v.disposition == Policy::Quarantine);
    v = f.run("pct.example", {}, Discovery::TreeWalk, [](int) { return false; });
    CHECK(v.disposition == Policy::Quarantine);  // RFC 9989 has no pct=
}

TEST_CASE("dmarc discovery: the two modes find the organizational domain their way") {
    Fixture f;
    auto org = [&](const std::string& name, Discovery mode) {
        auto d = dns::Domain::parse(name, dns::NameRules::Mail);
        REQUIRE(d);
        auto o = organizational_domain(*f.dns, *d, mode);
        REQUIRE(o);
        return *o;
    };
    CHECK(org("a.b.example.co.uk", Discovery::Psl) == "example.co.uk");
    CHECK(org("a.b.example.co.uk", Discovery::TreeWalk) == "example.co.uk");  // the highest record
    CHECK(org("a.shop.psd.example", Discovery::TreeWalk) == "shop.psd.example");  // one below psd=y
    CHECK(org("a.shop.psd.example", Discovery::Psl) == "psd.example");  // the PSL knows nothing of it
    CHECK(org("psd.example", Discovery::TreeWalk) == "psd.example");
    CHECK(org("x.nodmarc.example", Discovery::TreeWalk) == "x.nodmarc.example");  // no record: itself
    // The tree walk asks at most 8 names, the last 7 labels after the first.
    std::vector<std::string> asked;
    auto d = dns::Domain::parse("a.b.c.d.e.f.g.h.i.example.co.uk", dns::NameRules::Mail);
    Discovered got = discover(*f.dns, *d, Discovery::TreeWalk, [&](std::string_view l) {
        if (l.starts_with("dns _dmarc.")) asked.emplace_back(l.substr(4, l.find(' ', 4) - 4));
    });
    REQUIRE(got.policy);
    CHECK(got.policy->domain == "example.co.uk");
    REQUIRE(asked.size() >= 2);
    CHECK(asked[0] == "_dmarc.a.b.c.d.e.f.g.h.i.example.co.uk");
    CHECK(asked[1] == "_dmarc.f.g.h.i.example.co.uk");  // 7 labels
}

TEST_CASE("dmarc eval: the stricter of several From domains") {
    Verdict pass{DmarcResult::Pass, "a", "a", Policy::Reject, Policy::None, true, false, ""};
    Verdict reject{DmarcResult::Fail, "b", "b", Policy::Reject, Policy::Reject, false, false, ""};
    Verdict none{DmarcResult::None, "c", "", Policy::None, Policy::None, false, false, ""};
    Verdict temp{DmarcResult::Temperror, "d", "", Policy::None, Policy::None, false, false, ""};
    CHECK(&stricter(pass, reject) == &reject);
    CHECK(&stricter(reject, pass) == &reject);
    CHECK(&stricter(pass, none) == &none);
    CHECK(&stricter(reject, temp) == &temp);
}
