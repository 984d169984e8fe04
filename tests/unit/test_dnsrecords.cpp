// common/dnsrecords: the template, the records we would publish, and each
// finding of --check, against zone files (dns/zone_resolver.hpp).
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include <sys/stat.h>

#include "crypto/base64.hpp"
#include "crypto/keys.hpp"
#include "dkim/keygen.hpp"
#include "dns/zone_resolver.hpp"
#include "dnsrecords/check.hpp"
#include "dnsrecords/dkim_lint.hpp"
#include "dnsrecords/dmarc_lint.hpp"
#include "dnsrecords/expected.hpp"
#include "dnsrecords/spf_lint.hpp"
#include "dnsrecords/template.hpp"
#include "testdata.hpp"

using namespace qauth;
using namespace qauth::dnsrecords;

namespace {

// A 512-bit RSA public key (SubjectPublicKeyInfo), made with openssl genrsa 512.
constexpr const char* kRsa512 =
    "MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAMccmwvShZp7EydCY9yQYCfCPbULK8+fvTwUEfiuszBPG6EHDdP4tsOKAq5NMSdWoDHrrUwZH8wMPHW"
    "CYIjcv50CAwEAAQ==";

template <typename T>
T must(Result<T> r) {
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().reason));
    return std::move(*r);
}

std::vector<TxtRecord> expand(std::string_view text, std::optional<std::string> ip = std::nullopt) {
    return must(expand_template(text, "example.com", ip, "dnstemplate"));
}

std::string expand_error(std::string_view text, std::optional<std::string> ip = std::nullopt) {
    auto r = expand_template(text, "example.com", ip, "dnstemplate");
    REQUIRE_FALSE(r.has_value());
    return r.error().reason;
}

/// A resolver answering from `zone` (master-file text, absolute names).
struct Zone {
    test::TempDir dir;
    std::unique_ptr<dns::Resolver> dns;
    explicit Zone(const std::string& zone) {
        dir.write("z.zone", zone);
        dns = must(dns::make_zone_resolver({dir.path + "/z.zone"}));
    }
};

/// The finding texts of `lint`, and its trouble lines after them.
std::vector<std::string> texts(const Lint& lint) {
    std::vector<std::string> out;
    for (const auto& f : lint.findings) out.push_back(finding_line(f));
    for (const auto& t : lint.trouble) out.push_back("trouble: " + t);
    return out;
}

std::vector<std::string> spf_findings(const std::string& zone, std::string_view expected = "v=spf1 +a +mx -all") {
    Zone z(zone);
    Lint lint;
    lint_spf(*z.dns, "example.com", expected, lint);
    return texts(lint);
}

std::vector<std::string> dmarc_findings(const std::string& zone, std::string_view expected = "v=DMARC1; p=none") {
    Zone z(zone);
    Lint lint;
    lint_dmarc(*z.dns, "example.com", "_dmarc.example.com", expected, lint);
    return texts(lint);
}

bool any_contains(const std::vector<std::string>& lines, std::string_view part) {
    return std::any_of(lines.begin(), lines.end(), [&](const std::string& l) { return l.find(part) != l.npos; });
}

std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
}

/// The zone text of one TXT record with `text` split into 255-byte strings.
std::string txt_rr(const std::string& name, const std::string& text) { return name + ". IN TXT " + txt_data(text) + "\n"; }

// Addresses for the default record's a and mx terms.
const std::string kHost = "example.com. IN A 192.0.2.1\nexample.com. IN MX 10 mx.example.com.\nmx.example.com. IN A 192.0.2.2\n";

}  // namespace

// ------------------------------------------------------------------ template

TEST_CASE("dnsrecords template: the default is the panel's SPF record") {
    auto recs = expand(kDefaultTemplate);
    REQUIRE(recs.size() == 1);
    CHECK(recs[0] == TxtRecord{"example.com", "v=spf1 +a +mx -all"});
}

TEST_CASE("dnsrecords template: placeholders, owner forms, strings, comments") {
    auto recs = expand("; comment\n# comment too\n\n"
                       "<domain>. 3600 IN TXT \"v=spf1 ip4:<ip> \" \"-all\"\n"
                       "@ txt ( \"site-verification=<domain>\" )\n"
                       "_report  TXT \"a\\\"b\\\\c\\065\"\n"
                       "Sub.<domain>. IN TXT \"x\" ; a comment\n",
                       "192.0.2.7");
    REQUIRE(recs.size() == 4);
    CHECK(recs[0] == TxtRecord{"example.com", "v=spf1 ip4:192.0.2.7 -all"});
    CHECK(recs[1] == TxtRecord{"example.com", "site-verification=example.com"});
    CHECK(recs[2] == TxtRecord{"_report.example.com", "a\"b\\cA"});
    CHECK(recs[3] == TxtRecord{"sub.example.com", "x"});
}

TEST_CASE("dnsrecords template: errors name the line and the rule") {
    CHECK(expand_error("<domain>. TXT \"v=spf1 ip4:<ip> -all\"") ==
          "dnstemplate line 1: <ip> in the template needs --ip");
    CHECK(expand_error("\n<domain>. TXT \"<ip6>\"", "192.0.2.1") ==
          "dnstemplate line 2: unknown placeholder <ip6> (want <domain> or <ip>)");
    CHECK(expand_error(std::string("<domain>. TXT \"a\0b\"", 18)).starts_with("dnstemplate line 1: control character \\x00"));
    CHECK(expand_error("<domain>. TXT \"a\"\r\n").starts_with("dnstemplate line 1: control character"));
    CHECK(expand_error("<domain>. A 192.0.2.1") ==
          "dnstemplate line 1: type 'A' not supported: the template holds TXT records only");
    CHECK(expand_error("other.example. TXT \"x\"") == "dnstemplate line 1: owner name other.example is not within example.com");
    CHECK(expand_error("bad..name. TXT \"x\"").starts_with("dnstemplate line 1: bad owner name"));
    CHECK(expand_error("<domain>. TXT \"open").ends_with("unterminated string"));
    CHECK(expand_error("<domain>. TXT unquoted").ends_with("want a quoted string, got 'unquoted'"));
    CHECK(expand_error("<domain>. TXT ( \"x\"").ends_with("'(' without ')' on the same line"));
    CHECK(expand_error("<domain>. TXT").ends_with("TXT without a string"));
    CHECK(expand_error("<domain>. TXT \"\\999\"").ends_with("\\DDD over 255"));
    CHECK(expand_error("<domain>. TXT \"v=spf1 +a +foo -all\"").starts_with("dnstemplate line 1: RFC 7208"));
    CHECK(expand_error("<domain>. TXT \"v=spf1 ip4:<ip> -all\"", "2001:db8::1").starts_with("dnstemplate line 1: RFC 7208"));
    CHECK(expand_error("<domain>. TXT \"" + std::string(kMaxTxtText + 1, 'a') + "\"").ends_with("TXT text over 8192 bytes"));
    std::string many;
    for (std::size_t i = 0; i <= kMaxTemplateRecords; ++i) many += "r" + std::to_string(i) + " TXT \"x\"\n";
    CHECK(expand_error(many).ends_with("more than 100 records"));
}

// ------------------------------------------------------------------ expected records

TEST_CASE("dnsrecords expected: two selectors, an alias, the default DMARC record") {
    test::TempDir c;
    auto k1 = must(crypto::generate_private_key(crypto::KeyType::Ed25519, 0));
    auto k2 = must(crypto::generate_private_key(crypto::KeyType::Ed25519, 0));
    c.write("domainkeys/example.com/s1", k1.to_pem());
    c.write("domainkeys/example.com/s2", k2.to_pem());
    c.write("domainkeys/example.com/.s3.tmp", "junk");
    c.write("domainkeys/example.com/selector", "s2\n");
    ::chmod((c.path + "/domainkeys/example.com/s1").c_str(), 0600);
    ::chmod((c.path + "/domainkeys/example.com/s2").c_str(), 0600);
    qmail::ControlDir control(c.path);
    auto recs = must(expected_records(control, {"Example.COM.", {"example.net", "example.com"}, std::nullopt}));
    REQUIRE(recs.size() == 10);
    const std::string p1 = "v=DKIM1; k=ed25519; p=" + crypto::base64_encode(k1.public_key_bytes());
    const std::string p2 = "v=DKIM1; k=ed25519; p=" + crypto::base64_encode(k2.public_key_bytes());
    const std::string dir = c.path + "/domainkeys/example.com";
    std::string want;
    for (std::string d : {"example.com", "example.net"}) {
        want += "; " + d + "\n" + d + ". IN TXT \"v=spf1 +a +mx -all\"\n_dmarc." + d + ". IN TXT \"v=DMARC1; p=none\"\n";
        want += "; DKIM ed25519 key, selector s1 (not active): private key in " + dir + "/s1\n";
        want += dkim::zone_key_record("s1", d, p1);
        want += "; DKIM ed25519 key, selector s2 (active): private key in " + dir + "/s2\n";
        want += dkim::zone_key_record("s2", d, p2);
        want += "_domainkey." + d + ". IN TXT \"o=-\"\n";
    }
    CHECK(zone_text(recs) == want);
    CHECK(recs[2].kind == RecordKind::DkimKey);
    CHECK_FALSE(recs[2].active);
    CHECK(recs[3].active);
}

TEST_CASE("dnsrecords expected: the template's own DMARC record replaces the default; config errors") {
    test::TempDir c;
    qmail::ControlDir control(c.path);
    c.write("dnstemplate", "_dmarc.<domain>. TXT \"v=DMARC1; p=reject\"\n");
    auto recs = must(expected_records(control, {"example.com", {}, std::nullopt}));
    REQUIRE(recs.size() == 1);
    CHECK(recs[0].kind == RecordKind::Dmarc);
    CHECK(recs[0].text == "v=DMARC1; p=reject");

    CHECK(expected_records(control, {"bad..name", {}, std::nullopt}).error().usage);
    CHECK(expected_records(control, {"example.com", {"1.2.3.4"}, std::nullopt}).error().reason.starts_with("--alias: bad domain"));
    CHECK(expected_records(control, {"example.com", {}, "999.1.1.1"}).error().reason == "--ip: not an IP address: 999.1.1.1");

    c.write("dnstemplate", std::string(kMaxTemplateSize + 1, ';'));
    CHECK_FALSE(expected_records(control, {"example.com", {}, std::nullopt}).has_value());

    c.write("dnstemplate", kDefaultTemplate.data());
    auto k = must(crypto::generate_private_key(crypto::KeyType::Ed25519, 0));
    c.write("domainkeys/example.com/s1", k.to_pem());
    ::chmod((c.path + "/domainkeys/example.com/s1").c_str(), 0600);
    auto missing = expected_records(control, {"example.com", {}, std::nullopt});  // no selector file: "default" is active
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().reason.ends_with("selector default is active but has no key file: the signer fails on it"));
    c.write("domainkeys/example.com/selector", "s1\n");
    ::chmod((c.path + "/domainkeys/example.com/s1").c_str(), 0644);
    CHECK_FALSE(expected_records(control, {"example.com", {}, std::nullopt}).has_value());  // world-readable key
}

TEST_CASE("dnsrecords txt_data: one string up to 255 bytes, then strings of 255; escapes") {
    CHECK(txt_data("v=spf1 -all") == "\"v=spf1 -all\"");
    CHECK(txt_data("a\"b\\c\x01") == "\"a\\\"b\\\\c\\001\"");
    CHECK(txt_data(std::string(255, 'a')) == "\"" + std::string(255, 'a') + "\"");
    CHECK(txt_data(std::string(256, 'a')) == "( \"" + std::string(255, 'a') + "\"\n\t\"a\" )");
}

// ------------------------------------------------------------------ SPF

TEST_CASE("dnsrecords spf: all good, missing, several, broken, different") {
    CHECK(spf_findings(kHost + "example.com. IN TXT \"v=spf1 a mx -all\"\n").empty());
    CHECK(spf_findings(kHost) ==
          std::vector<std::string>{"example.com: RFC 7208 4.5: no SPF record; want \"v=spf1 +a +mx -all\""});
    CHECK(spf_findings(kHost + "example.com. IN TXT \"v=spf1 a mx -all\"\nexample.com. IN TXT \"v=spf1 -all\"\n") ==
          std::vector<std::string>{"example.com: RFC 7208 4.5: several SPF records: permerror at every receiver; publish "
                                   "one, \"v=spf1 +a +mx -all\""});
    auto broken = spf_findings(kHost + "example.com. IN TXT \"v=spf1 a mx -alll\"\n");
    REQUIRE(broken.size() == 1);
    CHECK(broken[0].starts_with("example.com: RFC 7208 4.6: the SPF record does not parse, permerror at every receiver: RFC 7208"));
    CHECK(spf_findings(kHost + "example.com. IN TXT \"v=spf1 a -all\"\n") ==
          std::vector<std::string>{"example.com: RFC 7208 4.5: published \"v=spf1 a -all\" differs from ours, "
                                   "\"v=spf1 +a +mx -all\""});
}

TEST_CASE("dnsrecords spf: DNS lookups counted through includes and redirect (RFC 7208 4.6.4)") {
    // example.com: include a (3 terms: include b, a, mx), include b (a, exists) -> 1+3+2+... counted below.
    std::string zone = kHost +
                       "example.com. IN TXT \"v=spf1 include:a.example include:b.example a mx -all\"\n"
                       "a.example. IN TXT \"v=spf1 include:b.example a:h.example mx:h.example ?all\"\n"
                       "b.example. IN TXT \"v=spf1 a:h.example exists:h.example ip4:192.0.2.0/24 -all\"\n"
                       "h.example. IN A 192.0.2.9\nh.example. IN MX 0 h.example.\n";
    Zone z(zone);
    Lint lint;
    auto rec = must(spf::parse_record("v=spf1 include:a.example include:b.example a mx -all"));
    SpfCost cost = spf_cost(*z.dns, "example.com", rec, lint);
    // include:a (1) + [include:b (1) + a, exists (2) + a, mx (2)] + include:b (1) + [a, exists (2)] + a, mx (2)
    CHECK(cost.dns_terms == 11);
    CHECK(cost.void_lookups == 0);
    CHECK_FALSE(cost.stopped);
    CHECK(texts(lint).empty());

    auto over = spf_findings(zone, "v=spf1 include:a.example include:b.example a mx -all");
    CHECK(over == std::vector<std::string>{
                      "example.com: RFC 7208 4.6.4: 11 DNS-querying terms (include, a, mx, ptr, exists, redirect, "
                      "through every include), over the limit of 10: permerror at every receiver"});

    // redirect counts, and the redirected record's terms too; with "all" it is ignored (§6.1).
    Zone r(kHost + "t.example. IN TXT \"v=spf1 a:h.example mx:h.example\"\nh.example. IN A 192.0.2.9\n"
                   "h.example. IN MX 0 h.example.\n");
    Lint l2;
    CHECK(spf_cost(*r.dns, "example.com", must(spf::parse_record("v=spf1 a redirect=t.example")), l2).dns_terms == 4);
    CHECK(spf_cost(*r.dns, "example.com", must(spf::parse_record("v=spf1 a redirect=t.example -all")), l2).dns_terms == 1);
    CHECK(texts(l2).empty());
}

TEST_CASE("dnsrecords spf: include loops end, missing and broken includes, ptr, MX limit") {
    std::string zone = kHost +
                       "example.com. IN TXT \"v=spf1 include:loop.example -all\"\n"
                       "loop.example. IN TXT \"v=spf1 include:example.com ?all\"\n";
    auto loop = spf_findings(zone, "v=spf1 include:loop.example -all");
    CHECK(loop == std::vector<std::string>{
                      "example.com: RFC 7208 4.6.4: include:example.com loops back to a record that includes it: permerror"});

    // A chain deeper than the walk follows ends too.
    std::string deep = kHost + "example.com. IN TXT \"v=spf1 include:d0.example -all\"\n";
    for (int i = 0; i < 15; ++i)
        deep += "d" + std::to_string(i) + ".example. IN TXT \"v=spf1 include:d" + std::to_string(i + 1) + ".example\"\n";
    auto d = spf_findings(deep, "v=spf1 include:d0.example -all");
    CHECK(any_contains(d, "include:d10.example nested more than 10 deep: not followed"));
    CHECK(any_contains(d, "RFC 7208 4.6.4: 11 DNS-querying terms"));

    auto bad = spf_findings(kHost + "example.com. IN TXT \"v=spf1 include:none.example include:two.example "
                                    "include:broken.example redirect=gone.example\"\n"
                                    "two.example. IN TXT \"v=spf1 -all\"\ntwo.example. IN TXT \"v=spf1 +all\"\n"
                                    "broken.example. IN TXT \"v=spf1 bogus\"\n",
                            "v=spf1 include:none.example include:two.example include:broken.example redirect=gone.example");
    CHECK(bad.size() == 4);
    CHECK(bad[0] == "example.com: RFC 7208 5.2: include:none.example: no SPF record at none.example: permerror");
    CHECK(bad[1] == "example.com: RFC 7208 4.5: include:two.example: several SPF records at two.example: permerror");
    CHECK(bad[2].starts_with("example.com: RFC 7208 4.6: include:broken.example: record at broken.example does not parse"));
    CHECK(bad[3] == "example.com: RFC 7208 6.1: redirect=gone.example: no SPF record at gone.example: permerror");

    std::string mx11 = "example.com. IN TXT \"v=spf1 mx -all\"\n";
    for (int i = 0; i < 11; ++i) mx11 += "example.com. IN MX " + std::to_string(i) + " m" + std::to_string(i) + ".example.\n";
    CHECK(spf_findings(mx11, "v=spf1 mx -all") ==
          std::vector<std::string>{"example.com: RFC 7208 4.6.4: example.com has 11 MX records, over the limit of 10 for "
                                   "an mx term: permerror"});
    CHECK(spf_findings(kHost + "example.com. IN TXT \"v=spf1 ptr -all\"\n", "v=spf1 ptr -all") ==
          std::vector<std::string>{"example.com: RFC 7208 5.5: ptr: the ptr mechanism SHOULD NOT be used (slow, "
                                   "unreliable; many receivers skip it)"});
}

TEST_CASE("dnsrecords spf: void lookups (RFC 7208 4.6.4), macros not asked, DNS trouble") {
    const std::string rec = "v=spf1 a:n1.example mx:n2.example exists:n3.example a:%{i}.x.example -all";
    auto v = spf_findings("example.com. IN TXT \"" + rec + "\"\nn2.example. IN TXT \"x\"\n", rec);
    CHECK(v == std::vector<std::string>{
                   "example.com: RFC 7208 4.6.4: 3 void lookups (NXDOMAIN or no data), over the limit of 2: permerror"});
    // Two voids are allowed; an MX host without an address is one.
    CHECK(spf_findings("example.com. IN TXT \"v=spf1 a:n1.example mx -all\"\nexample.com. IN MX 0 nx.example.\n",
                       "v=spf1 a:n1.example mx -all")
              .empty());
    auto t = spf_findings("example.com. IN TXT \"v=spf1 a:slow.example -all\"\n;qauth: tempfail slow.example\n",
                          "v=spf1 a:slow.example -all");
    REQUIRE(t.size() == 1);
    CHECK(t[0].starts_with("trouble: temporary DNS failure: slow.example/A: "));
}

// ------------------------------------------------------------------ DMARC

TEST_CASE("dnsrecords dmarc: good, missing, look-alike, several, broken, tag defaults, different") {
    CHECK(dmarc_findings("_dmarc.example.com. IN TXT \"v=DMARC1;p=none\"\n").empty());
    CHECK(dmarc_findings("") ==
          std::vector<std::string>{"_dmarc.example.com: RFC 9989 4.7: no DMARC record; want \"v=DMARC1; p=none\""});
    CHECK(dmarc_findings("_dmarc.example.com. IN TXT \"v=dmarc1; p=none\"\n") ==
          std::vector<std::string>{
              "_dmarc.example.com: RFC 7489 6.4: \"v=dmarc1; p=none\" is no DMARC record: v=DMARC1 must come first, "
              "DMARC1 in capitals",
              "_dmarc.example.com: RFC 9989 4.7: no DMARC record; want \"v=DMARC1; p=none\""});
    CHECK(dmarc_findings("_dmarc.example.com. IN TXT \"v=DMARC1; p=none\"\n_dmarc.example.com. IN TXT \"v=DMARC1; p=reject\"\n") ==
          std::vector<std::string>{"_dmarc.example.com: RFC 7489 6.6.3: 2 v=DMARC1 records, none applies: receivers "
                                   "apply no policy; publish one, \"v=DMARC1; p=none\""});
    auto pct = dmarc_findings("_dmarc.example.com. IN TXT \"v=DMARC1; p=none; adkim=x\"\n");
    REQUIRE(pct.size() == 1);
    CHECK(pct[0].starts_with("_dmarc.example.com: RFC 7489 6.3: adkim="));
    CHECK(dmarc_findings("_dmarc.example.com. IN TXT \"v=DMARC1; p=reject\"\n") ==
          std::vector<std::string>{"_dmarc.example.com: RFC 9989 4.7: published \"v=DMARC1; p=reject\" differs from "
                                   "ours, \"v=DMARC1; p=none\""});
}

TEST_CASE("dnsrecords dmarc: rua to an outside domain needs its authorization record (RFC 9990 3)") {
    const std::string rec = "v=DMARC1; p=none; rua=mailto:d@reports.example.net,mailto:me@sub.example.com; "
                            "ruf=mailto:f@other.example.org!10m";
    const std::string zone = "_dmarc.example.com. IN TXT \"" + rec + "\"\n";
    CHECK(dmarc_findings(zone, rec) ==
          std::vector<std::string>{
              "_dmarc.example.com: RFC 9990 3: rua=mailto:d@reports.example.net is outside example.com without the "
              "authorization record example.com._report._dmarc.reports.example.net TXT \"v=DMARC1\" (RFC 7489 7.1): "
              "receivers send no reports there",
              "_dmarc.example.com: RFC 9990 3: ruf=mailto:f@other.example.org!10m is outside example.com without the "
              "authorization record example.com._report._dmarc.other.example.org TXT \"v=DMARC1\" (RFC 7489 7.1): "
              "receivers send no reports there"});
    CHECK(dmarc_findings(zone + "example.com._report._dmarc.reports.example.net. IN TXT \"v=DMARC1\"\n"
                                "example.com._report._dmarc.other.example.org. IN TXT \"v=DMARC1;\"\n",
                         rec)
              .empty());
    CHECK(report_domain("MAILTO:a@Example.NET!5m") == "example.net");
    CHECK(report_domain("mailto:a@b.example?subject=x") == "b.example");
    CHECK_FALSE(report_domain("https://example.net/").has_value());
    CHECK_FALSE(report_domain("mailto:nobody").has_value());
}

// ------------------------------------------------------------------ DKIM

namespace {
struct KeyCase {
    std::shared_ptr<const crypto::PrivateKey> key;
    ExpectedRecord rec;
    explicit KeyCase(crypto::KeyType type, std::size_t bits = 1024) {
        key = std::make_shared<const crypto::PrivateKey>(must(crypto::generate_private_key(type, bits)));
        rec.kind = RecordKind::DkimKey;
        rec.domain = "example.com";
        rec.selector = "s1";
        rec.name = "s1._domainkey.example.com";
        rec.key_file = "/ctl/domainkeys/example.com/s1";
        rec.key = key;
        rec.active = true;
        rec.text = dkim::key_record_text(*key);
    }
    std::vector<std::string> findings(const std::string& zone) const {
        Zone z(zone);
        Lint lint;
        lint_dkim_key(*z.dns, rec, lint);
        return texts(lint);
    }
};
}  // namespace

TEST_CASE("dnsrecords dkim: match, missing, mismatch, short RSA key, t=y, syntax, revoked") {
    KeyCase ed(crypto::KeyType::Ed25519);
    CHECK(ed.findings(txt_rr(ed.rec.name, ed.rec.text)).empty());
    CHECK(ed.findings("") == std::vector<std::string>{"s1._domainkey.example.com: RFC 6376 3.6.2.1: no key record for "
                                                      "selector s1, which the signer uses: every signature fails"});
    KeyCase other(crypto::KeyType::Ed25519);
    CHECK(ed.findings(txt_rr(ed.rec.name, other.rec.text)) ==
          std::vector<std::string>{"s1._domainkey.example.com: RFC 6376 3.6.1: p= is not the public key of our private "
                                   "key /ctl/domainkeys/example.com/s1: every signature fails"});
    CHECK(ed.findings(txt_rr(ed.rec.name, ed.rec.text + "; t=y")) ==
          std::vector<std::string>{"s1._domainkey.example.com: RFC 6376 3.6.1: t=y (testing) is on: verifiers may treat "
                                   "the mail as unsigned; remove it"});
    CHECK(ed.findings(txt_rr(ed.rec.name, "v=DKIM1; k=ed25519; p=")) ==
          std::vector<std::string>{"s1._domainkey.example.com: RFC 6376 3.6.1: empty p=: the key is revoked; want the key "
                                   "of /ctl/domainkeys/example.com/s1"});
    auto syntax = ed.findings(txt_rr(ed.rec.name, "v=DKIM2; p=abc"));
    REQUIRE(syntax.size() == 1);
    CHECK(syntax[0].ends_with("(verifiers PERMFAIL every signature)"));
    auto two = ed.findings(txt_rr(ed.rec.name, ed.rec.text) + txt_rr(ed.rec.name, other.rec.text));
    REQUIRE(two.size() == 2);
    CHECK(two[0] == "s1._domainkey.example.com: RFC 6376 3.6.2.2: 2 TXT records: a verifier may use any one; publish one");

    KeyCase rsa(crypto::KeyType::Rsa, 1024);
    CHECK(rsa.findings(txt_rr(rsa.rec.name, rsa.rec.text)).empty());
    CHECK(rsa.findings(txt_rr(rsa.rec.name, "v=DKIM1; k=rsa; p=" + std::string(kRsa512))) ==
          std::vector<std::string>{
              "s1._domainkey.example.com: RFC 8301 3.2: 512-bit RSA key: verifiers MUST NOT accept keys under 1024 bits",
              "s1._domainkey.example.com: RFC 6376 3.6.1: p= is not the public key of our private key "
              "/ctl/domainkeys/example.com/s1: every signature fails"});
    CHECK(rsa.findings(txt_rr(rsa.rec.name, ed.rec.text)) ==
          std::vector<std::string>{"s1._domainkey.example.com: RFC 6376 3.6.1: k=ed25519 but our key "
                                   "/ctl/domainkeys/example.com/s1 is rsa"});
}

TEST_CASE("dnsrecords check: every kind, in order; policy records are not asked") {
    KeyCase ed(crypto::KeyType::Ed25519);
    std::vector<ExpectedRecord> want(4);
    want[0].kind = RecordKind::Spf, want[0].domain = want[0].name = "example.com", want[0].text = "v=spf1 +a +mx -all";
    want[1].kind = RecordKind::Txt, want[1].domain = "example.com", want[1].name = "example.com", want[1].text = "hello";
    want[2].kind = RecordKind::Dmarc, want[2].domain = "example.com", want[2].name = "_dmarc.example.com",
    want[2].text = "v=DMARC1; p=none";
    want[3] = ed.rec;
    want.push_back({RecordKind::DkimPolicy, "example.com", "_domainkey.example.com", "o=-", "", "", nullptr, false});
    Zone z(kHost + "example.com. IN TXT \"v=spf1 a mx -all\"\n_dmarc.example.com. IN TXT \"v=DMARC1; p=none\"\n" +
           txt_rr(ed.rec.name, ed.rec.text));
    CHECK(joined(texts(check_records(*z.dns, want))) ==
          "example.com: RFC 1035 3.3.14: no TXT record \"hello\" (from control/dnstemplate)\n");
}

TEST_CASE("dnsrecords finding_line: controls from DNS are escaped") {
    CHECK(finding_line({"a.example", "text \"x\x1b[31m\ny\""}) == "a.example: text \"x\\x1b[31m y\"");
}
