// DMARC records (RFC 9989, RFC 7489 §6.3, §6.4, §6.6.3): result words,
// telling a record from other TXT strings, choosing the one record,
// parsing every tag in both modes, defaults for broken optional tags, and
// the canonical text reading back to the same record.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "dmarc/record.hpp"
#include "dmarc/result.hpp"

using namespace qauth;
using namespace qauth::dmarc;

namespace {
Record parse_ok(std::string_view text, Rfc rfc = Rfc::Dmarcbis) {
    auto r = parse_record(text, rfc);
    REQUIRE_MESSAGE(r, text);
    return *r;
}
}  // namespace

TEST_CASE("dmarc result: words of RFC 8601 and the record") {
    CHECK(result_name(DmarcResult::None) == "none");
    CHECK(result_name(DmarcResult::Pass) == "pass");
    CHECK(result_name(DmarcResult::Fail) == "fail");
    CHECK(result_name(DmarcResult::Temperror) == "temperror");
    CHECK(result_name(DmarcResult::Permerror) == "permerror");
    CHECK(policy_name(Policy::None) == "none");
    CHECK(policy_name(Policy::Quarantine) == "quarantine");
    CHECK(policy_name(Policy::Reject) == "reject");
    CHECK(alignment_name(Alignment::Relaxed) == "relaxed");
    CHECK(alignment_name(Alignment::Strict) == "strict");
}

TEST_CASE("dmarc record: is_dmarc_record (RFC 7489 6.4 dmarc-version)") {
    CHECK(is_dmarc_record("v=DMARC1"));
    CHECK(is_dmarc_record("v=DMARC1;"));
    CHECK(is_dmarc_record("v=DMARC1; p=none"));
    CHECK(is_dmarc_record("v = DMARC1 ; p=none"));
    CHECK(is_dmarc_record("v\t=\tDMARC1\t;p=none"));
    CHECK(is_dmarc_record("V=DMARC1; p=none"));  // "v" is an ABNF quoted string
    CHECK_FALSE(is_dmarc_record("v=dmarc1; p=none"));  // %x44 %x4d ...: case-sensitive
    CHECK_FALSE(is_dmarc_record("v=Dmarc1; p=none"));
    CHECK_FALSE(is_dmarc_record("v=DMARC10; p=none"));
    CHECK_FALSE(is_dmarc_record("v=DMARC1 p=none"));
    CHECK_FALSE(is_dmarc_record("v=DMARC1,p=none"));
    CHECK_FALSE(is_dmarc_record(" v=DMARC1; p=none"));
    CHECK_FALSE(is_dmarc_record("p=none; v=DMARC1"));  // v= must be first
    CHECK_FALSE(is_dmarc_record("v=spf1 -all"));
    CHECK_FALSE(is_dmarc_record("v=DMARC2; p=none"));
    CHECK_FALSE(is_dmarc_record("v=\r\nDMARC1"));  // WSP is SP and HTAB only
    CHECK_FALSE(is_dmarc_record(""));
    CHECK_FALSE(is_dmarc_record("v"));
    CHECK_FALSE(is_dmarc_record("v="));
}

TEST_CASE("dmarc record: selection among TXT records (RFC 7489 6.6.3)") {
    using Txt = std::vector<std::string>;
    auto pick = [](const Txt& t) { return select_record(t); };
    CHECK(*pick({}) == std::nullopt);
    CHECK(*pick({"v=spf1 -all", "v=dmarc1; p=reject", "google-site-verification=abc"}) == std::nullopt);
    CHECK(**pick({"v=spf1 -all", "v=DMARC1; p=reject"}) == "v=DMARC1; p=reject");
    CHECK(**pick({"v=DMARC1; p=quarantine", "v=dmarc1; p=none"}) == "v=DMARC1; p=quarantine");
    // Several records: all discarded, no policy; the error says why.
    auto two = pick({"v=DMARC1; p=reject", "v=DMARC1; p=none"});
    REQUIRE_FALSE(two);
    CHECK(two.error().reason == "RFC 7489 6.6.3: 2 v=DMARC1 records, none applies");
    // A broken record still counts: records are told by their "v=".
    CHECK_FALSE(pick({"v=DMARC1; p=reject", "v=DMARC1; p=bogus"}));
    CHECK_FALSE(pick({"v=DMARC1", "V=DMARC1", "v=DMARC1;"}));
}

TEST_CASE("dmarc record: every tag, defaults") {
    const Record d = parse_ok("v=DMARC1");
    CHECK(d.p == Policy::None);
    CHECK_FALSE(d.sp);
    CHECK_FALSE(d.np);
    CHECK(d.pct == 100);
    CHECK(d.adkim == Alignment::Relaxed);
    CHECK(d.aspf == Alignment::Relaxed);
    CHECK_FALSE(d.testing);
    CHECK(d.psd == 'u');
    CHECK(d.rua.empty());
    CHECK(d.ruf.empty());
    CHECK(d.fo == "0");
    CHECK(d.ri == 86400);
    CHECK(d.rf == "afrf");
    CHECK(d.warnings.empty());

    const Record r = parse_ok(
        "v=DMARC1; p=reject; sp=quarantine; np=reject; adkim=s; aspf=s; t=y; psd=n; "
        "rua=mailto:dmarc-agg@example.com,mailto:agg@report.example.net!10m; "
        "ruf=mailto:dmarc-fail@example.com; fo=1:d:s; ri=3600; rf=afrf; pct=50");
    CHECK(r.p == Policy::Reject);
    CHECK(r.sp == Policy::Quarantine);
    CHECK(r.np == Policy::Reject);
    CHECK(r.adkim == Alignment::Strict);
    CHECK(r.aspf == Alignment::Strict);
    CHECK(r.testing);
    CHECK(r.psd == 'n');
    CHECK(r.rua == std::vector<std::string>{"mailto:dmarc-agg@example.com", "mailto:agg@report.example.net!10m"});
    CHECK(r.ruf == std::vector<std::string>{"mailto:dmarc-fail@example.com"});
    CHECK(r.fo == "1:d:s");
    CHECK(r.ri == 3600);
    CHECK(r.rf == "afrf");
    CHECK(r.pct == 100);  // RFC 9989: pct= is not part of the record
    CHECK(r.warnings.empty());

    CHECK(parse_ok("v=DMARC1; p=quarantine").p == Policy::Quarantine);
    CHECK(parse_ok("v=DMARC1; p=none; psd=y").psd == 'y');
    CHECK(parse_ok("v=DMARC1; p=none; psd=u").psd == 'u');
    CHECK_FALSE(parse_ok("v=DMARC1; p=none; t=n").testing);
    CHECK(parse_ok("v=DMARC1; p=none; adkim=r").adkim == Alignment::Relaxed);
    CHECK(parse_ok("v=DMARC1; p=none; ri=0").ri == 0);
    CHECK(parse_ok("v=DMARC1; p=none; ri=4294967295").ri == 4294967295u);
}

TEST_CASE("dmarc record: case-insensitive names and keyword values") {
    const Record r = parse_ok("V=DMARC1; P=REJECT; SP=Quarantine; NP=None; ADKIM=S; Aspf=S; T=Y; PSD=N; FO=D:S; RF=AFRF");
    CHECK(r.p == Policy::Reject);
    CHECK(r.sp == Policy::Quarantine);
    CHECK(r.np == Policy::None);
    CHECK(r.adkim == Alignment::Strict);
    CHECK(r.aspf == Alignment::Strict);
    CHECK(r.testing);
    CHECK(r.psd == 'n');
    CHECK(r.fo == "d:s");
    CHECK(r.rf == "afrf");
    CHECK(r.warnings.empty());
    // URIs are kept as written.
    CHECK(parse_ok("v=DMARC1; p=none; RUA=MAILTO:DMARC@Example.COM").rua ==
          std::vector<std::string>{"MAILTO:DMARC@Example.COM"});
    CHECK(parse_ok("v=DMARC1; p=none; pCt=20", Rfc::Rfc7489).pct == 20);
}

TEST_CASE("dmarc record: whitespace and separators") {
    for (const char* text : {"v=DMARC1;p=reject;adkim=s", "v=DMARC1; p=reject; adkim=s;", "v = DMARC1 ; p = reject ; adkim = s ;",
                             "v=DMARC1;\tp=reject\t;\tadkim=s\t", "v=DMARC1; p=reject;; adkim=s; ;",
                             "v=DMARC1; p=reject; adkim=s;   "}) {
        const std::string shown = text;
        CAPTURE(shown);
        const Record r = parse_ok(text);
        CHECK(r.p == Policy::Reject);
        CHECK(r.adkim == Alignment::Strict);
        CHECK(r.warnings.empty());
    }
    const Record r = parse_ok("v=DMARC1; p=none; rua = mailto:a@example.com , mailto:b@example.com ; fo = 1 : d");
    CHECK(r.rua == std::vector<std::string>{"mailto:a@example.com", "mailto:b@example.com"});
    CHECK(r.fo == "1:d");
}

TEST_CASE("dmarc record: what is not a record") {
    for (const char* text : {"v=dmarc1; p=reject", "p=reject; v=DMARC1", "v=DMARC1 p=reject", "", "v=DMARC10; p=reject",
                             " v=DMARC1; p=reject"}) {
        const std::string shown = text;
        CAPTURE(shown);
        auto r = parse_record(text);
        REQUIRE_FALSE(r);
        CHECK(r.error().reason == "RFC 7489 6.3: record does not start with \"v=DMARC1\"");
        CHECK_FALSE(parse_record(text, Rfc::Rfc7489));
    }
}

TEST_CASE("dmarc record: unknown tags, repeated tags, tag-specs without '='") {
    const Record u = parse_ok("v=DMARC1; p=reject; x-future=1; foo=bar baz; 9z=0");
    CHECK(u.p == Policy::Reject);
    CHECK(u.warnings.empty());  // unknown tags MUST be ignored, silently

    const Record d = parse_ok("v=DMARC1; p=reject; p=none; adkim=s; ADKIM=r");
    CHECK(d.p == Policy::Reject);  // the first one counts
    CHECK(d.adkim == Alignment::Strict);
    CHECK(d.warnings == std::vector<std::string>{"RFC 7489 6.3: p= repeated, the first one counts",
                                                 "RFC 7489 6.3: adkim= repeated, the first one counts"});
    CHECK(parse_ok("v=DMARC1; p=none; v=DMARC1").warnings ==
          std::vector<std::string>{"RFC 7489 6.3: v= repeated, ignored"});

    const Record e = parse_ok("v=DMARC1; p=quarantine; reject; aspf=s");
    CHECK(e.p == Policy::Quarantine);
    CHECK(e.aspf == Alignment::Strict);
    CHECK(e.warnings == std::vector<std::string>{"RFC 7489 6.4: tag-spec \"reject\" without '=', ignored"});
}

TEST_CASE("dmarc record: invalid optional tags fall back to defaults with a warning") {
    const Record r = parse_ok(
        "v=DMARC1; p=reject; sp=maybe; np=; adkim=x; aspf=strict; t=yes; psd=q; fo=2; ri=-1; rf=afrf:; "
        "rua=dmarc@example.com; ruf=mailto:f@example.com,not a uri");
    CHECK(r.p == Policy::Reject);
    CHECK_FALSE(r.sp);
    CHECK_FALSE(r.np);
    CHECK(r.adkim == Alignment::Relaxed);
    CHECK(r.aspf == Alignment::Relaxed);
    CHECK_FALSE(r.testing);
    CHECK(r.psd == 'u');
    CHECK(r.fo == "0");
    CHECK(r.ri == 86400);
    CHECK(r.rf == "afrf");
    CHECK(r.rua.empty());
    CHECK(r.ruf == std::vector<std::string>{"mailto:f@example.com"});
    const std::vector<std::string> want{
        "RFC 7489 6.3: sp=\"maybe\" is not valid, using p",
        "RFC 7489 6.3: np=\"\" is not valid, using sp or p",
        "RFC 7489 6.3: adkim=\"x\" is not valid, using r",
        "RFC 7489 6.3: aspf=\"strict\" is not valid, using r",
        "RFC 7489 6.3: t=\"yes\" is not valid, using n",
        "RFC 7489 6.3: psd=\"q\" is not valid, using u",
        "RFC 7489 6.3: fo=\"2\" is not valid, using 0",
        "RFC 7489 6.3: ri=\"-1\" is not valid, using 86400",
        "RFC 7489 6.3: rf=\"afrf:\" is not valid, using afrf",
        "RFC 7489 6.4: rua= URI \"dmarc@example.com\" is not valid, ignored",
        "RFC 7489 6.4: ruf= URI \"not a uri\" is not valid, ignored",
    };
    CHECK(r.warnings == want);
    // ri= beyond 32 bits, and a warning never carries raw control bytes.
    CHECK(parse_ok("v=DMARC1; p=none; ri=4294967296").ri == 86400);
    CHECK(parse_ok("v=DMARC1; p=none; adkim=\x01\xff").warnings ==
          std::vector<std::string>{"RFC 7489 6.3: adkim=\"\\x01\\xff\" is not valid, using r"});
}

TEST_CASE("dmarc record: rua/ruf URI syntax (RFC 7489 6.4 dmarc-uri)") {
    auto rua = [](std::string v) { return parse_ok("v=DMARC1; p=none; rua=" + v).rua; };
    CHECK(rua("mailto:a@example.com!0").size() == 1);
    CHECK(rua("mailto:a@example.com!50k").size() == 1);
    CHECK(rua("mailto:a@example.com!2G").size() == 1);
    CHECK(rua("https://report.example.net/dmarc?x=%2C").size() == 1);
    CHECK(rua("mailto:a@example.com!").empty());
    CHECK(rua("mailto:a@example.com!10x").empty());
    CHECK(rua("mailto:a@example.com!99999999999999999999").empty());  // beyond 64 bits
    CHECK(rua(":a@example.com").empty());
    CHECK(rua("mailto:").empty());
    CHECK(rua("1mailto:a@example.com").empty());
    CHECK(rua("mailto:<a@example.com>").empty());
    CHECK(rua("").empty());
    CHECK(rua("mailto:a@example.com,,mailto:b@example.com").size() == 2);
    std::string many;
    for (int i = 0; i < 20; ++i) many += (i ? "," : "") + std::string("mailto:r") + std::to_string(i) + "@example.com";
    const Record r = parse_ok("v=DMARC1; p=none; rua=" + many);
    CHECK(r.rua.size() == kMaxUris);
    CHECK(r.warnings == std::vector<std::string>{"RFC 7489 6.2: rua= more than 16 valid URIs, the rest ignored"});
    // However many URIs are dropped, one line per tag.
    const Record both = parse_ok("v=DMARC1; p=none; rua=x,," + many + ",y");
    CHECK(both.rua.size() == kMaxUris);
    CHECK(both.warnings == std::vector<std::string>{"RFC 7489 6.4: rua= URI \"x\" is not valid (nor are 2 more), "
                                                    "ignored; more than 16 valid URIs, the rest ignored"});
}

TEST_CASE("dmarc record: pct bounds (RFC 7489 mode only)") {
    CHECK(parse_ok("v=DMARC1; p=reject; pct=0", Rfc::Rfc7489).pct == 0);
    CHECK(parse_ok("v=DMARC1; p=reject; pct=1", Rfc::Rfc7489).pct == 1);
    CHECK(parse_ok("v=DMARC1; p=reject; pct=100", Rfc::Rfc7489).pct == 100);
    CHECK(parse_ok("v=DMARC1; p=reject; pct=007", Rfc::Rfc7489).pct == 7);  // 1*3DIGIT
    for (const char* bad : {"101", "1000", "0100", "-1", "", "50%", "5 0", "+5"}) {
        CAPTURE(bad);
        const Record r = parse_ok("v=DMARC1; p=reject; pct=" + std::string(bad), Rfc::Rfc7489);
        CHECK(r.pct == 100);
        REQUIRE(r.warnings.size() == 1);
        CHECK(r.warnings[0].starts_with("RFC 7489 6.3: pct="));
    }
    // RFC 9989: pct= is not part of the record; ignored, even when invalid.
    const Record bis = parse_ok("v=DMARC1; p=reject; pct=20");
    CHECK(bis.pct == 100);
    CHECK(bis.warnings.empty());
    CHECK(parse_ok("v=DMARC1; p=reject; pct=500").warnings.empty());
}

TEST_CASE("dmarc record: p= missing or invalid, RFC 9989 vs RFC 7489") {
    // RFC 9989: a missing p= means none; an invalid one falls back to none.
    CHECK(parse_ok("v=DMARC1").p == Policy::None);
    CHECK(parse_ok("v=DMARC1; rua=mailto:d@example.com").p == Policy::None);
    const Record bad = parse_ok("v=DMARC1; p=rejected; sp=reject");
    CHECK(bad.p == Policy::None);
    CHECK(bad.sp == Policy::Reject);
    CHECK(bad.warnings == std::vector<std::string>{"RFC 7489 6.3: p=\"rejected\" is not valid, using none"});

    // RFC 7489 §6.6.3: without a valid p=, only a valid rua= makes it p=none.
    for (const char* text : {"v=DMARC1", "v=DMARC1;", "v=DMARC1; p=rejected", "v=DMARC1; sp=reject",
                             "v=DMARC1; p=; rua=dmarc@example.com"}) {
        const std::string shown = text;
        CAPTURE(shown);
        auto r = parse_record(text, Rfc::Rfc7489);
        REQUIRE_FALSE(r);
        CHECK(r.error().reason.starts_with("RFC 7489 6.6.3: record has no valid p= tag and no valid rua= URI"));
    }
    const Record m = parse_ok("v=DMARC1; rua=mailto:d@example.com; adkim=s", Rfc::Rfc7489);
    CHECK(m.p == Policy::None);
    CHECK(m.adkim == Alignment::Strict);
    CHECK(m.rua == std::vector<std::string>{"mailto:d@example.com"});
    CHECK(m.warnings ==
          std::vector<std::string>{"RFC 7489 6.6.3: record has no valid p= tag but a valid rua= URI, read as p=none"});
    const Record i = parse_ok("v=DMARC1; p=block; sp=reject; rua=mailto:d@example.com", Rfc::Rfc7489);
    CHECK(i.p == Policy::None);
    CHECK_FALSE(i.sp);  // "as if a record containing ... p=none was retrieved"

    // An invalid sp= counts like an invalid p= in RFC 7489 mode.
    CHECK_FALSE(parse_record("v=DMARC1; p=reject; sp=bogus", Rfc::Rfc7489));
    const Record s = parse_ok("v=DMARC1; p=reject; sp=bogus; rua=mailto:d@example.com", Rfc::Rfc7489);
    CHECK(s.p == Policy::None);
    CHECK_FALSE(s.sp);
    CHECK(s.warnings == std::vector<std::string>{
                            "RFC 7489 6.6.3: record has an invalid sp= tag but a valid rua= URI, read as p=none"});
    // ... but not in RFC 9989 mode, where sp= just falls back to p.
    const Record sb = parse_ok("v=DMARC1; p=reject; sp=bogus");
    CHECK(sb.p == Policy::Reject);
    CHECK_FALSE(sb.sp);
}

TEST_CASE("dmarc record: tags of one specification only") {
    // t= and psd= are RFC 9989's; RFC 7489 mode ignores them as unknown.
    const Record old = parse_ok("v=DMARC1; p=reject; t=y; psd=y; pct=25", Rfc::Rfc7489);
    CHECK_FALSE(old.testing);
    CHECK(old.psd == 'u');
    CHECK(old.pct == 25);
    CHECK(old.warnings.empty());
    CHECK(parse_ok("v=DMARC1; p=reject; t=bogus", Rfc::Rfc7489).warnings.empty());
    const Record bis = parse_ok("v=DMARC1; p=reject; t=y; psd=y; pct=25");
    CHECK(bis.testing);
    CHECK(bis.psd == 'y');
    CHECK(bis.pct == 100);
    // np=, ri=, rf= are read in both modes.
    for (Rfc rfc : {Rfc::Dmarcbis, Rfc::Rfc7489}) {
        const Record r = parse_ok("v=DMARC1; p=none; np=reject; ri=60; rf=afrf:iodef", rfc);
        CHECK(r.np == Policy::Reject);
        CHECK(r.ri == 60);
        CHECK(r.rf == "afrf:iodef");
    }
}

TEST_CASE("dmarc record: bounds") {
    std::string tags = "v=DMARC1";
    for (std::size_t i = 1; i < kMaxTags; ++i) tags += "; x" + std::to_string(i) + "=1";
    CHECK(parse_record(tags));
    auto over = parse_record(tags + "; p=reject");
    REQUIRE_FALSE(over);
    CHECK(over.error().reason == "qauth's bound: more than 1000 tags");
    std::string big = "v=DMARC1; p=none; x=" + std::string(kMaxRecordSize, 'a');
    auto r = parse_record(big);
    REQUIRE_FALSE(r);
    CHECK(r.error().reason == "DMARC record longer than 65536 octets");
    CHECK(parse_record(big.substr(0, kMaxRecordSize)));
}

TEST_CASE("dmarc record: canonical text reads back to the same record") {
    for (Rfc rfc : {Rfc::Dmarcbis, Rfc::Rfc7489}) {
        for (const char* text :
             {"v=DMARC1; p=none", "v=DMARC1; p=reject", "V = DMARC1; P=Quarantine; SP=none; np=REJECT; pct=30; adkim=s; aspf=S; t=y",
              "v=DMARC1; p=none; rua=mailto:a@example.com!10m, mailto:b@example.com; ruf=mailto:c@example.com; fo=1:D",
              "v=DMARC1; p=reject; ri=3600; rf=iodef; psd=n", "v=DMARC1; rua=mailto:a@example.com; sp=bad"}) {
            const std::string shown = text;
            CAPTURE(shown);
            auto first = parse_record(text, rfc);
            REQUIRE(first);
            const std::string canon = record_text(*first, rfc);
            CAPTURE(canon);
            auto again = parse_record(canon, rfc);
            REQUIRE(again);
            CHECK(again->warnings.empty());
            Record expect = *first;
            expect.warnings.clear();
            CHECK(*again == expect);
            CHECK(record_text(*again, rfc) == canon);
        }
    }
    CHECK(record_text(parse_ok("v=DMARC1; P=REJECT; adkim=s; pct=10; t=y")) == "v=DMARC1; p=reject; adkim=s; t=y");
    CHECK(record_text(parse_ok("v=DMARC1; P=REJECT; adkim=s; pct=10; t=y", Rfc::Rfc7489), Rfc::Rfc7489) ==
          "v=DMARC1; p=reject; adkim=s; pct=10");
}
