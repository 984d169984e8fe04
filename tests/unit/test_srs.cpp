// common/srs: Guarded SRS against values computed by Mail::SRS 0.31
// (Debian libmail-srs-perl; the perl one-liners are beside the values), the
// timestamp wrap, max age edges, secrets rotation, separators, case,
// address bounds, and the control files each operation reads.
#include <doctest/doctest.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <string>
#include <sys/stat.h>
#include <vector>

#include "crypto/hmac.hpp"
#include "srs/address.hpp"
#include "srs/config.hpp"
#include "srs/guarded.hpp"
#include "srs/hash.hpp"
#include "srs/local_domains.hpp"
#include "srs/timestamp.hpp"
#include "testdata.hpp"

using namespace qauth;
using namespace qauth::srs;

namespace {

constexpr std::int64_t kDay = 86400;
// 2026-12-02 12:00:00 UTC: day 20789, stamp "JV".
constexpr std::int64_t kNow = 1796212800;

std::vector<crypto::SecretString> secrets(std::initializer_list<const char*> list) {
    std::vector<crypto::SecretString> out;
    for (auto s : list) out.emplace_back(s);
    return out;
}

Params params(std::initializer_list<const char*> keys = {"S"}) {
    Params p;
    p.domain = "srs.example";
    p.secrets = secrets(keys);
    return p;
}

std::string fwd(const Params& p, std::string_view sender, std::int64_t now = kNow) {
    auto r = rewrite(p, sender, now);
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().reason));
    return r->address;
}

std::string rev(const Params& p, std::string_view address, std::int64_t now = kNow) {
    auto r = reverse(p, address, now);
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().reason));
    return *r;
}

std::string rev_error(const Params& p, std::string_view address, std::int64_t now = kNow) {
    auto r = reverse(p, address, now);
    REQUIRE_FALSE(r.has_value());
    return r.error().reason;
}

std::string openssl_hmac(std::string_view key, std::string_view data) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
         data.size(), md, &n);
    return std::string(reinterpret_cast<char*>(md), n);
}

}  // namespace

TEST_SUITE_BEGIN("srs");

TEST_CASE("hmac_sha1 equals OpenSSL's HMAC() for short, block-sized and long keys") {
    for (std::size_t klen : {0, 1, 20, 63, 64, 65, 200}) {
        std::string key(klen, 'k');
        for (std::size_t i = 0; i < klen; ++i) key[i] = static_cast<char>(i * 7 + 3);
        for (std::string data : {std::string(), std::string("JVexample.comuser"), std::string(1000, 'x')})
            CHECK(crypto::hmac_sha1(key, data) == openssl_hmac(key, data));
    }
    // RFC 2202 test case 2
    CHECK(crypto::hmac_sha1("Jefe", "what do ya want for nothing?") ==
          openssl_hmac("Jefe", "what do ya want for nothing?"));
}

TEST_CASE("hash: Mail::SRS's hash_create values") {
    // perl -MMail::SRS -e 'print Mail::SRS->new(Secret=>["S"])->hash_create("JV","example.com","user")'
    CHECK(hash_create("S", {"JV", "example.com", "user"}, 4) == "mkis");
    CHECK(hash_create("old", {"JV", "example.com", "user"}, 4) == "1mX5");
    // fields are lower-cased: the same hash whatever their case
    CHECK(hash_create("S", {"jv", "EXAMPLE.com", "USER"}, 4) == "mkis");
    // a key longer than the SHA-1 block, all 27 characters (HashLength=>27)
    CHECK(hash_create("a much longer secret than sixty-four bytes, so that HMAC hashes the key first!!",
                      {"jv", "Example.COM", "MiXed"}, 27) == "BW3GSeKJKbWhB3kb9H+na1Zeqaw");
    CHECK(hash_create("S", {"JV", "example.com", "user"}, 99).size() == kMaxHashLength);
}

TEST_CASE("hash_verify: any secret, prefix, case smashing, hashmin") {
    auto keys = secrets({"new", "S"});
    CHECK(hash_verify("mkis", keys, {"JV", "example.com", "user"}, 4));    // the old secret still verifies
    CHECK(hash_verify("MKIS", keys, {"JV", "example.com", "user"}, 4));    // case smashed on the way
    CHECK(hash_verify("mki", keys, {"JV", "example.com", "user"}, 3));     // a shorter prefix, hashmin 3
    CHECK_FALSE(hash_verify("mki", keys, {"JV", "example.com", "user"}, 4));  // shorter than hashmin
    CHECK_FALSE(hash_verify("mkit", keys, {"JV", "example.com", "user"}, 4));
    CHECK_FALSE(hash_verify("", keys, {"JV", "example.com", "user"}, 0));
    CHECK_FALSE(hash_verify(std::string(28, 'a'), keys, {"JV", "example.com", "user"}, 4));
    CHECK_FALSE(hash_verify("mkis", secrets({"other"}), {"JV", "example.com", "user"}, 4));
}

TEST_CASE("timestamp: base32 day slots as Mail::SRS's timestamp_create, around the 1024-day wrap") {
    // perl -MMail::SRS -e 'print Mail::SRS->new(Secret=>"S")->timestamp_create($d*86400+43200)'
    struct { std::int64_t day; const char* stamp; } cases[] = {
        {0, "AA"}, {1, "AB"}, {31, "A7"}, {32, "BA"}, {1023, "77"}, {1024, "AA"}, {1025, "AB"},
        {20479, "77"}, {20480, "AA"}, {20789, "JV"},
    };
    for (auto c : cases) {
        CHECK(timestamp_encode(c.day * kDay + 43200) == c.stamp);
        CHECK(timestamp_encode(c.day * kDay) == c.stamp);              // the day's first second
        CHECK(timestamp_encode(c.day * kDay + kDay - 1) == c.stamp);   // and its last
        CHECK(timestamp_decode(c.stamp) == static_cast<unsigned>(c.day % 1024));
    }
    CHECK(timestamp_encode(-1) == "77");  // the day before the epoch
    CHECK(timestamp_decode("jv") == timestamp_decode("JV"));
    CHECK_FALSE(timestamp_decode("J"));
    CHECK_FALSE(timestamp_decode("JVA"));
    CHECK_FALSE(timestamp_decode("J1"));  // 0, 1, 8, 9 are not base32
    CHECK_FALSE(timestamp_decode("J="));
}

TEST_CASE("timestamp_check: valid from the day of minting for maxage days; future stamps invalid") {
    const std::int64_t minted = 20479 * kDay + 100;  // stamp "77", the last slot before the wrap
    const std::string st = timestamp_encode(minted);
    CHECK(timestamp_check(st, minted, 21));
    CHECK(timestamp_check(st, 20479 * kDay + kDay - 1, 21));
    CHECK(timestamp_check(st, minted + 21 * kDay, 21));        // across the wrap: "AU" is today
    CHECK(timestamp_check(st, 20500 * kDay + kDay - 1, 21));   // last second of day 21
    auto late = timestamp_check(st, 20501 * kDay, 21);          // day 22
    REQUIRE_FALSE(late);
    CHECK(late.error().reason == "5.1.1 SRS: timestamp expired: minted 22 days ago (srs_maxage is 21)");
    CHECK(timestamp_check(st, minted + 5 * kDay, 5));
    CHECK_FALSE(timestamp_check(st, minted + 6 * kDay, 5));
    auto future = timestamp_check(st, minted - kDay, 21);
    REQUIRE_FALSE(future);
    CHECK(future.error().reason == "5.1.1 SRS: timestamp is 1 day in the future");
    // a stamp 1024 days old reads as today's: the scheme cannot tell them apart
    CHECK(timestamp_check(st, minted + 1024 * kDay, 21));
    CHECK_FALSE(timestamp_check("A1", minted, 21));
}

TEST_CASE("rewrite: SRS0 byte for byte as Mail::SRS's forward") {
    // TZ=UTC faketime '2026-12-02 12:00:00' srs --secret=S --alias=srs.example ADDRESS
    auto p = params();
    CHECK(fwd(p, "user@example.com") == "SRS0=mkis=JV=example.com=user@srs.example");
    CHECK(fwd(p, "MiXed.Case@Example.ORG") == "SRS0=U5v9=JV=Example.ORG=MiXed.Case@srs.example");
    CHECK(fwd(p, "a=b@x.example") == "SRS0=xE0t=JV=x.example=a=b@srs.example");
    p.separator = '+';  // Separator=>"+"
    CHECK(fwd(p, "a=b=c@x.example") == "SRS0+AM5k=JV=x.example=a=b=c@srs.example");
}

TEST_CASE("rewrite: an SRS0 sender becomes SRS1 with its domain as hop; an SRS1 one is re-wrapped") {
    auto p = params();
    CHECK(fwd(p, "SRS0=HHHH=TT=orig.example=bob@hop.example") ==
          "SRS1=XGSx=hop.example==HHHH=TT=orig.example=bob@srs.example");
    // the inner separator is kept
    CHECK(fwd(p, "SRS0+HHHH=TT=orig.example=bob@hop.example") ==
          "SRS1=zcGh=hop.example=+HHHH=TT=orig.example=bob@srs.example");
    // not nested: the first hop stays, the hash is ours
    CHECK(fwd(p, "SRS1=XXXX=orig.example==HHHH=TT=o.example=bob@hop2.example") ==
          "SRS1=QgSE=orig.example==HHHH=TT=o.example=bob@srs.example");
    CHECK(fwd(p, "srs1+XXXX=orig.example==HHHH=TT=o.example=bob@hop2.example") ==
          "SRS1=QgSE=orig.example==HHHH=TT=o.example=bob@srs.example");
    auto bad = rewrite(p, "SRS1=XXXX@hop.example", kNow);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().reason == "5.1.7 SRS: malformed SRS1 sender");
}

TEST_CASE("reverse: SRS0 and SRS1 as Mail::SRS's reverse") {
    auto p = params();
    CHECK(rev(p, "SRS0=mkis=JV=example.com=user@srs.example") == "user@example.com");
    CHECK(rev(p, "srs0-mkis=jv=example.com=user@SRS.example") == "user@example.com");  // tag, stamp, domain case
    CHECK(rev(p, "SRS0=MKIS=JV=example.com=user@srs.example") == "user@example.com");  // case smashed
    CHECK(rev(p, "SRS0=xE0t=JV=x.example=a=b@srs.example") == "a=b@x.example");
    CHECK(rev(p, "SRS1=XGSx=hop.example==HHHH=TT=orig.example=bob@srs.example") ==
          "SRS0=HHHH=TT=orig.example=bob@hop.example");
    CHECK(rev(p, "SRS1=zcGh=hop.example=+HHHH=TT=orig.example=bob@srs.example") ==
          "SRS0+HHHH=TT=orig.example=bob@hop.example");
}

TEST_CASE("reverse: each refusal has its reason") {
    auto p = params();
    CHECK(rev_error(p, "SRS0=mkit=JV=example.com=user@srs.example") == "5.1.1 SRS: invalid hash");
    CHECK(rev_error(p, "SRS0=mkis=JV=example.com=user@other.example") ==
          "5.1.1 SRS: not an address of our SRS domain srs.example");
    CHECK(rev_error(p, "user@srs.example") == "5.1.1 SRS: not an SRS address");
    CHECK(rev_error(p, "SRS2=mkis=JV=example.com=user@srs.example") == "5.1.1 SRS: not an SRS address");
    CHECK(rev_error(p, "SRS0=mkis=JV=example.com@srs.example") == "5.1.1 SRS: malformed SRS0 address");
    CHECK(rev_error(p, "SRS0=mkis=JV=example.com=@srs.example") == "5.1.1 SRS: malformed SRS0 address");
    CHECK(rev_error(p, "SRS1=XGSx=hop.example@srs.example") == "5.1.1 SRS: malformed SRS1 address");
    CHECK(rev_error(p, "SRS1=hop.example=x==HHHH=TT=o=u@srs.example") == "5.1.1 SRS: hashless SRS1 address refused");
    CHECK(rev_error(p, "SRS0=mkis=JV=example.com=user@srs.example", kNow + 22 * kDay) ==
          "5.1.1 SRS: timestamp expired: minted 22 days ago (srs_maxage is 21)");
    CHECK(rev(p, "SRS0=mkis=JV=example.com=user@srs.example", kNow + 21 * kDay) == "user@example.com");
    CHECK(rev_error(p, "SRS0=mkis=JV=example.com=user@srs.example", kNow - kDay) ==
          "5.1.1 SRS: timestamp is 1 day in the future");
    p.domain.clear();
    CHECK(rev_error(p, "SRS0=mkis=JV=example.com=user@srs.example") ==
          "5.1.1 SRS: SRS is off (no srs_domain)");
}

TEST_CASE("secrets rotation: the first signs, every one verifies") {
    auto rotated = params({"new", "S"});
    CHECK(rev(rotated, "SRS0=mkis=JV=example.com=user@srs.example") == "user@example.com");
    std::string minted = fwd(rotated, "user@example.com");
    CHECK(minted != "SRS0=mkis=JV=example.com=user@srs.example");
    CHECK(rev(rotated, minted) == "user@example.com");
    CHECK_FALSE(reverse(params({"S"}), minted, kNow));  // dropped secrets no longer verify
}

TEST_CASE("hashlength and hashmin") {
    auto p = params();
    p.hashlength = 8;
    std::string eight = fwd(p, "user@example.com");
    CHECK(eight.substr(0, 9) == "SRS0=mkis");  // the 4-character hash is its prefix
    CHECK(eight.substr(13, 4) == "=JV=");
    p.hashmin = 4;
    CHECK(rev(p, eight) == "user@example.com");
    CHECK(rev(p, "SRS0=mkis=JV=example.com=user@srs.example") == "user@example.com");  // old, shorter ones
    p.hashmin = 5;
    CHECK(rev_error(p, "SRS0=mkis=JV=example.com=user@srs.example") == "5.1.1 SRS: invalid hash");
}

TEST_CASE("separators: '=', '+', '-' written and accepted") {
    for (char sep : {'=', '+', '-'}) {
        auto p = params();
        p.separator = sep;
        std::string a = fwd(p, "user@example.com");
        CHECK(a == std::string("SRS0") + sep + "mkis=JV=example.com=user@srs.example");
        CHECK(rev(params(), a) == "user@example.com");
        std::string s1 = fwd(p, "SRS0=HHHH=TT=orig.example=bob@hop.example");
        CHECK(s1[4] == sep);
        CHECK(rev(params(), s1) == "SRS0=HHHH=TT=orig.example=bob@hop.example");
    }
}

TEST_CASE("'=' in user parts, quoted and long local parts round-trip") {
    auto p = params();
    for (const std::string& a : std::vector<std::string>{"a=b=c@x.example", "=@x.example", "x==@x.example", "SRS0@x.example", "srs0x=a@x.example",
                          "first.last+tag@sub.x.example", "u@[192.0.2.1]", "\"john doe\"@x.example",
                          "\"a@b\"@x.example", "\"q\\\"uote\"@x.example", std::string(200, 'l') + "@x.example"}) {
        CAPTURE(a);
        std::string s = fwd(p, a);
        CHECK(s.ends_with("@srs.example"));
        CHECK(rev(p, s) == a);
        CHECK(parse_address(s));
    }
    CHECK(fwd(p, "\"john doe\"@x.example").starts_with("\"SRS0="));
    CHECK(fwd(p, "john doe@x.example").starts_with("\"SRS0="));  // qmail's unquoted envelope form
    auto too_long = rewrite(p, std::string(230, 'l') + "@x.example", kNow);  // 240 in, over 254 out
    REQUIRE_FALSE(too_long);
    CHECK(too_long.error().reason.starts_with("5.1.7 SRS: the rewritten address would be "));
    auto huge = rewrite(p, std::string(300, 'l') + "@x.example", kNow);
    REQUIRE_FALSE(huge);
    CHECK(huge.error().reason.starts_with("5.1.7 SRS: address of 310 octets"));
}

/// An SRS0 address at srs.example with a valid hash (secret "S") for any
/// host and user, as a forger with the secret or a buggy peer would mint it.
std::string srs0_for(std::string_view host, std::string_view user) {
    std::string local = "SRS0=" + hash_create("S", {"JV", host, user}, 4) + "=JV=" + std::string(host) + "=" + std::string(user);
    return format_address(local, "srs.example");
}

std::string srs1_for(std::string_view hop, std::string_view rest) {
    std::string local = "SRS1=" + hash_create("S", {hop, rest}, 4) + "=" + std::string(hop) + "=" + std::string(rest);
    return format_address(local, "srs.example");
}

TEST_CASE("reverse: the decoded host and local part make a valid address") {
    auto p = params();
    CHECK(srs0_for("ex ample.com", "user") == "\"SRS0=ZRM6=JV=ex ample.com=user\"@srs.example");
    CHECK(rev_error(p, "SRS0=ZRM6=JV=ex ample.com=user@srs.example") ==
          "5.1.1 SRS: the original domain is not a domain name or address literal: ex ample.com");
    for (const char* host : {"ex ample.com", "[1.2.3.4", "a..b", ".example", "-", "[1.2.3.4.5]"}) {
        CAPTURE(host);
        CHECK(rev_error(p, srs0_for(host, "user")).starts_with("5.1.1 SRS: the original domain is not a domain name"));
    }
    CHECK(rev(p, srs0_for("[192.0.2.1]", "user")) == "user@[192.0.2.1]");
    CHECK(rev(p, srs0_for("example.com", "a@b")) == "\"a@b\"@example.com");
    CHECK(rev(p, srs0_for("example.com", "a b")) == "\"a b\"@example.com");
    CHECK(rev(p, srs0_for("example.com", "a..b")) == "\"a..b\"@example.com");
    CHECK(rev_error(p, srs1_for("hop example", "=HHHH=TT=orig.example=bob")) ==
          "5.1.1 SRS: the SRS1 hop host is not a domain name or address literal: hop example");
    CHECK(rev(p, srs1_for("hop.example", "=HHHH=TT=orig.example=a@b")) ==
          "\"SRS0=HHHH=TT=orig.example=a@b\"@hop.example");
}

TEST_CASE("rewrite leaves alone: null sender, SRS off, our own domains unless alwaysrewrite") {
    auto p = params();
    for (const char* null : {"", "<>", "#@[]"}) {
        auto r = rewrite(p, null, kNow);
        REQUIRE(r);
        CHECK_FALSE(r->rewritten);
        CHECK(r->address == null);
        CHECK(r->why_not == "null sender");
    }
    p.local_domains = {"ours.example", ".sub.example"};
    for (const char* mine : {"a@ours.example", "a@OURS.example", "a@x.sub.example", "a@srs.example",
                             "SRS0=mkis=JV=example.com=user@srs.example"}) {
        auto r = rewrite(p, mine, kNow);
        REQUIRE(r);
        CHECK_FALSE(r->rewritten);
        CHECK(r->address == mine);
        CHECK(r->why_not == "local domain");
    }
    CHECK(fwd(p, "a@sub.example").starts_with("SRS0="));  // ".sub.example" is below it only
    p.always_rewrite = true;
    CHECK(fwd(p, "a@ours.example").starts_with("SRS0="));
    p.domain.clear();
    auto off = rewrite(p, "a@x.example", kNow);
    REQUIRE(off);
    CHECK_FALSE(off->rewritten);
    CHECK(off->address == "a@x.example");
}

TEST_CASE("parse_address: bounds and malformed input") {
    CHECK(parse_address("a@b.example")->local == "a");
    CHECK(parse_address("a@b@c.example")->local == "a@b");  // the last '@'
    CHECK(parse_address("\"a b\"@c.example")->local == "a b");
    for (const std::string& bad : std::vector<std::string>{"", "a", "@b.example", "a@", "a@b=c.example", "a@b c.example", "\"a@b.example",
                            "\"a\"b@c.example", "a\r@b.example", std::string("a\0@b.example", 12), "a@[1 2]",
                            "a\n@b.example", std::string(250, 'a') + "@b.example"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_address(bad));
    }
    auto p = params();
    for (const char* bad : {"user@.example.com", "user@a..b", "user@-", "user@-a.example", "user@a-.example",
                            "user@a.example..", "user@[1.2.3.4", "user@[1.2.3.4.5]", "user@[IPv6:1.2.3.4]",
                            "user@[x:]", "user@[:a]", "user@[]"}) {
        CAPTURE(bad);
        auto r = rewrite(p, bad, kNow);
        REQUIRE_FALSE(r);
        CHECK(r.error().reason == "5.1.7 SRS: malformed domain");
    }
    for (const char* good : {"u@Example.COM.", "u@[192.0.2.1]", "u@[IPv6:2001:db8::1]", "u@[x-tag:abc]",
                             "u@_dmarc.example", "u@b\xc3\xbc" "cher.example"}) {
        CAPTURE(good);
        CHECK(domain_ok(std::string_view(good).substr(2)));
    }
    auto r = rewrite(p, "a\r@b.example", kNow);
    REQUIRE_FALSE(r);
    CHECK(r.error().reason == "5.1.7 SRS: address contains a control character");
    CHECK(format_address("a b", "x") == "\"a b\"@x");
    CHECK(format_address("a\"b\\", "x") == "\"a\\\"b\\\\\"@x");
    CHECK(format_address("a..b", "x") == "\"a..b\"@x");
    CHECK(format_address("a.b", "x") == "a.b@x");
}

TEST_CASE("is_local_domain") {
    std::vector<std::string> list{"a.example", ".b.example", "c.example."};
    CHECK(is_local_domain("A.Example", list));
    CHECK(is_local_domain("a.example.", list));
    CHECK(is_local_domain("x.b.example", list));
    CHECK_FALSE(is_local_domain("b.example", list));
    CHECK(is_local_domain("c.example", list));
    CHECK_FALSE(is_local_domain("xa.example", list));
    CHECK_FALSE(is_local_domain("a.example", {}));
}

TEST_CASE("local_domain_problem: a domain, or '.' and one for its subdomains") {
    CHECK(local_domain_problem("example.com") == "");
    CHECK(local_domain_problem(".example.com") == "");
    CHECK(local_domain_problem("a..b").starts_with("not a domain name: a..b ("));
    CHECK(local_domain_problem("..example.com").starts_with("not a domain name: ..example.com ("));
    CHECK(local_domain_problem("").starts_with("not a domain name:  ("));
}

TEST_CASE("config: control files, per operation") {
    test::TempDir d;
    std::vector<std::string> warnings;
    auto warn = [&](std::string_view w) { warnings.emplace_back(w); };
    Overrides o;
    o.control_dir = d.path;
    // no srs_domain: rewriting is off, reversing impossible
    auto off = load(Operation::Rewrite, o, warn);
    REQUIRE(off);
    CHECK(off->domain.empty());
    auto roff = load(Operation::Reverse, o, warn);
    REQUIRE_FALSE(roff);
    CHECK(roff.error().reason == d.path + "/srs_domain is missing or empty: SRS is off, so no address can be reversed");
    d.write("srs_domain", "srs.example\n");
    auto nosecret = load(Operation::Rewrite, o, warn);
    REQUIRE_FALSE(nosecret);
    CHECK(nosecret.error().reason == d.path + "/srs_secrets: missing: SRS needs a secret (srs_domain is set)");
    d.write("srs_secrets", "# comment\n\n");
    ::chmod((d.path + "/srs_secrets").c_str(), 0600);
    auto empty = load(Operation::Reverse, o, warn);
    REQUIRE_FALSE(empty);
    CHECK(empty.error().reason == d.path + "/srs_secrets: holds no secret (SRS needs one: srs_domain is set)");
    d.write("srs_secrets", "new # with a hash sign\r\n\nold\n");
    d.write("rcpthosts", "ours.example\n.sub.example\n");
    d.write("locals", "localhost\n");
    d.write("srs_separator", "+\n");
    d.write("srs_hashlength", "6\n");
    d.write("srs_maxage", "7\n");
    auto rw = load(Operation::Rewrite, o, warn);
    REQUIRE(rw);
    REQUIRE(rw->secrets.size() == 2);
    CHECK(rw->secrets[0].view() == "new # with a hash sign");
    CHECK(rw->secrets[1].view() == "old");
    CHECK(rw->separator == '+');
    CHECK(rw->hashlength == 6);
    CHECK(rw->local_domains == std::vector<std::string>{"ours.example", ".sub.example", "localhost"});
    CHECK(warnings.empty());
    auto rv = load(Operation::Reverse, o, warn);
    REQUIRE(rv);
    CHECK(rv->maxage == 7);
    CHECK(rv->hashmin == 6);  // defaults to the hash length
    d.write("srs_hashmin", "4\n");
    CHECK(load(Operation::Reverse, o, warn)->hashmin == 4);
    ::chmod((d.path + "/srs_secrets").c_str(), 0644);
    REQUIRE(load(Operation::Reverse, o, warn));
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0] == d.path + "/srs_secrets is readable by every user: chmod o-r it (mode 0600 or 0640)");
    d.write("srs_alwaysrewrite", "1\n");
    CHECK(load(Operation::Rewrite, o, warn)->local_domains.empty());
    for (auto [file, value] : {std::pair{"srs_alwaysrewrite", "2"}, {"srs_separator", "=="}, {"srs_hashlength", "28"},
                               {"srs_hashlength", "0"}, {"srs_maxage", "1024"}}) {
        test::TempDir e;
        e.write("srs_domain", "srs.example\n");
        e.write("srs_secrets", "S\n");
        e.write(file, std::string(value) + "\n");
        Overrides eo;
        eo.control_dir = e.path;
        CAPTURE(file);
        CHECK_FALSE(load(std::string(file) == "srs_maxage" ? Operation::Reverse : Operation::Rewrite, eo, warn));
    }
}

TEST_CASE("config: options win, and with domain and secret given no control directory is needed") {
    Overrides o;
    o.domain = "srs.example";
    o.secrets = {"S"};
    o.local_domains = {"ours.example"};
    auto p = load(Operation::Rewrite, o, [](std::string_view) {});
    REQUIRE(p);
    CHECK(p->local_domains == std::vector<std::string>{"ours.example"});
    o.control_dir = "/nonexistent/qauth-control";
    auto q = load(Operation::Rewrite, o, [](std::string_view) {});
    REQUIRE_FALSE(q);
    CHECK(q.error().reason.starts_with("/nonexistent/qauth-control: control directory"));
    Overrides bad;
    bad.domain = "srs=x.example";
    bad.secrets = {"S"};
    CHECK_FALSE(load(Operation::Reverse, bad, [](std::string_view) {}));
}

TEST_CASE("config: srs_domain normalised (lower-case, no trailing dot), an invalid one refused") {
    Overrides o;
    o.domain = "SRS.Example.";
    o.secrets = {"S"};
    auto p = load(Operation::Rewrite, o, [](std::string_view) {});
    REQUIRE(p);
    CHECK(p->domain == "srs.example");
    CHECK(fwd(*p, "user@example.com") == "SRS0=mkis=JV=example.com=user@srs.example");
    for (const char* bad : {"srs example", "a..example", "-a.example", "a.example..", "."}) {
        CAPTURE(bad);
        o.domain = bad;
        auto q = load(Operation::Reverse, o, [](std::string_view) {});
        REQUIRE_FALSE(q);
        CHECK(q.error().reason.starts_with("--srs-domain: not a domain name: "));
    }
    test::TempDir d;
    d.write("srs_domain", "SRS.Example.\n");
    d.write("srs_secrets", "S\n");
    d.write("rcpthosts", "Ours.EXAMPLE\n");
    Overrides f;
    f.control_dir = d.path;
    auto r = load(Operation::Rewrite, f, [](std::string_view) {});
    REQUIRE(r);
    CHECK(r->domain == "srs.example");
    auto ours = rewrite(*r, "a@ours.example", kNow);
    REQUIRE(ours);
    CHECK(ours->why_not == "local domain");
    d.write("srs_domain", "srs example\n");
    auto bad = load(Operation::Rewrite, f, [](std::string_view) {});
    REQUIRE_FALSE(bad);
    CHECK(bad.error().reason.starts_with(d.path + "/srs_domain: not a domain name: srs example"));
}

TEST_SUITE_END();
