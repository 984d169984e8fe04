// RFC 8463 Appendix A: reproducing the published b= values by signing the
// unsigned message with the RFC's keys and tags, and verifying both
// signatures offline.
#include <doctest/doctest.h>

#include <cstdio>

#include "crypto/keys.hpp"
#include "dkim/header_hash.hpp"
#include "dkim/sign.hpp"
#include "dkim/signature.hpp"
#include "dkim/verify.hpp"
#include "dns/zone_resolver.hpp"
#include "mail/reader.hpp"
#include "testdata.hpp"

using namespace qauth;

namespace {
test::Parsed parse(const std::string& text) { return test::read_message(text); }
}  // namespace

TEST_CASE("RFC 8463 A.3: signing reproduces both b= values" * test::needs_testdata()) {
    auto signed_msg = parse(test::slurp(test::testdata("dkim/rfc8463-signed.lf.eml")));
    auto unsigned_msg = parse(test::slurp(test::testdata("dkim/rfc8463-unsigned.lf.eml")));
    auto ed = crypto::parse_private_key(test::slurp(test::testdata("dkim/rfc8463-ed25519-private.pem")));
    auto seed = crypto::parse_private_key(test::slurp(test::testdata("dkim/rfc8463-ed25519-seed.b64")));
    auto rsa = crypto::parse_private_key(test::slurp(test::testdata("dkim/rfc8463-rsa-private.pem")));
    REQUIRE(ed);
    REQUIRE(seed);
    REQUIRE(rsa);
    auto sigs = signed_msg.header.find_all("DKIM-Signature");
    REQUIRE(sigs.size() == 2);
    const crypto::PrivateKey* keys[] = {&*ed, &*rsa};
    for (int i = 0; i < 2; ++i) {
        const auto& field = signed_msg.header.fields[sigs[i]];
        auto sig = dkim::parse_signature(field.value());
        REQUIRE(sig);
        auto b = dkim::sign_header(unsigned_msg.header, sig->headers, sig->header_canon,
                                   dkim::remove_b_value(field.raw), *keys[i]);
        REQUIRE(b);
        CHECK(*b == sig->b_text);
    }
    // The raw seed file and the PKCS#8 file are the same key.
    auto field = signed_msg.header.fields[sigs[0]];
    auto sig = dkim::parse_signature(field.value());
    CHECK(*dkim::sign_header(unsigned_msg.header, sig->headers, sig->header_canon, dkim::remove_b_value(field.raw), *seed) ==
          sig->b_text);
}

TEST_CASE("RFC 8463 A.3: body hash and verification of both signatures, LF and CRLF" * test::needs_testdata()) {
    auto zone = dns::make_zone_resolver({test::testdata("dkim/rfc8463.zone")});
    REQUIRE(zone);
    for (const char* file : {"dkim/rfc8463-signed.lf.eml", "dkim/rfc8463-signed.crlf.eml"}) {
        auto m = parse(test::slurp(test::testdata(file)));
        dkim::Verifier v(**zone, {.now = 1700000000});
        CHECK(v.begin(m.header) == 2);
        v.body(m.body);
        auto r = v.finish();
        REQUIRE(r.size() == 2);
        CHECK(r[0].result == dkim::DkimResult::Pass);
        CHECK(r[0].algorithm == "ed25519-sha256");
        CHECK(r[0].selector == "brisbane");
        CHECK(r[0].identity == "@football.example.com");
        CHECK(r[1].result == dkim::DkimResult::Pass);
        CHECK(r[1].algorithm == "rsa-sha256");
        CHECK(r[1].b_prefix == "F45dVWDf");
    }
}

TEST_CASE("Signer output verifies; altered body and header fail" * test::needs_testdata()) {
    auto zone = dns::make_zone_resolver({test::testdata("dkim/rfc8463.zone")});
    auto ed = crypto::parse_private_key(test::slurp(test::testdata("dkim/rfc8463-ed25519-private.pem")));
    auto rsa = crypto::parse_private_key(test::slurp(test::testdata("dkim/rfc8463-rsa-private.pem")));
    REQUIRE(zone);
    std::string text = test::slurp(test::testdata("dkim/rfc8463-unsigned.lf.eml"));
    for (auto hc : {dkim::Canon::Simple, dkim::Canon::Relaxed}) {
        for (auto bc : {dkim::Canon::Simple, dkim::Canon::Relaxed}) {
            auto m = parse(text);
            std::vector<dkim::SignParams> params(2);
            params[0] = {"football.example.com", "brisbane", &*ed, hc, bc, {}, {}, {}, false, 1528637909};
            params[1] = {"football.example.com", "test", &*rsa, hc, bc, {}, {}, {}, false, 1528637909};
            dkim::Signer s(params);
            s.body(m.body);
            auto fields = s.finish(m.header, "\n");
            REQUIRE(fields);
            REQUIRE(fields->size() == 2);
            for (const auto& f : *fields)
                for (std::size_t start = 0, nl; (nl = f.find('\n', start)) != std::string::npos; start = nl + 1)
                    CHECK(nl - start + (start ? 7 : 0) <= 78);
            for (int variant = 0; variant < 3; ++variant) {
                std::string body = m.body, signed_text = (*fields)[0] + (*fields)[1];
                std::string head = text.substr(0, text.find("\n\n") + 2);
                if (variant == 1) body[3] ^= 1;
                if (variant == 2) head.replace(head.find("dinner"), 6, "Dinner");
                auto v = parse(signed_text + head + body);
                dkim::Verifier ver(**zone, {.now = 1528637909});
                ver.begin(v.header);
                ver.body(v.body);
                auto r = ver.finish();
                REQUIRE(r.size() == 2);
                auto want = variant == 0 ? dkim::DkimResult::Pass : dkim::DkimResult::Fail;
                CHECK(r[0].result == want);
                CHECK(r[1].result == want);
            }
        }
    }
}
