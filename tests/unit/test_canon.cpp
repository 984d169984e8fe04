// Canonicalization (RFC 6376 §3.4) with known values.
#include <doctest/doctest.h>

#include "crypto/base64.hpp"
#include "dkim/canon.hpp"

using namespace qauth;
using dkim::Canon;

namespace {

std::string body_hash(Canon c, std::string_view body, std::size_t chunk = 0,
                      std::optional<std::uint64_t> limit = std::nullopt) {
    dkim::BodyCanonicalizer bc(c, crypto::HashAlg::Sha256, limit);
    if (chunk == 0) {
        bc.update(body);
    } else {
        for (std::size_t i = 0; i < body.size(); i += chunk) bc.update(body.substr(i, chunk));
    }
    return crypto::base64_encode(bc.finish());
}

// The canonical text itself, recovered by hashing is impossible; so compare
// against the hash of the expected canonical text under simple/no-op rules.
std::string sha(std::string_view s) { return crypto::base64_encode(crypto::digest(crypto::HashAlg::Sha256, s)); }

std::string header(Canon c, std::string_view raw) {
    std::string out;
    dkim::canon_header(c, raw, out);
    return out;
}

}  // namespace

TEST_CASE("empty body hashes (RFC 6376 3.4.3, 3.4.4)") {
    CHECK(body_hash(Canon::Relaxed, "") == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
    CHECK(body_hash(Canon::Simple, "") == "frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY=");
    // Only empty lines: still an empty body.
    CHECK(body_hash(Canon::Relaxed, "\r\n\r\n") == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
    CHECK(body_hash(Canon::Simple, "\n\n\n") == "frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY=");
    CHECK(body_hash(Canon::Relaxed, " \t \r\n\r\n") == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
}

TEST_CASE("RFC 6376 3.4.5 example bodies") {
    // Body " C \r\nD \t E\r\n\r\n\r\n": relaxed gives " C\r\nD E\r\n", simple " C \r\nD \t E\r\n".
    std::string body = " C \r\nD \t E\r\n\r\n\r\n";
    CHECK(body_hash(Canon::Relaxed, body) == sha(" C\r\nD E\r\n"));
    CHECK(body_hash(Canon::Simple, body) == sha(" C \r\nD \t E\r\n"));
    // Header example: "A: X" / "B : Y\t\r\n\tZ  ".
    CHECK(header(Canon::Relaxed, "A: X\r\n") == "a:X\r\n");
    CHECK(header(Canon::Relaxed, "B : Y\t\r\n\tZ  \r\n") == "b:Y Z\r\n");
    CHECK(header(Canon::Simple, "B : Y\t\r\n\tZ  \r\n") == "B : Y\t\r\n\tZ  \r\n");
}

TEST_CASE("LF input canonicalizes like CRLF") {
    std::string crlf = "Hi.\r\n\r\nWe lost  the game.\r\n  \r\n";
    std::string lf = "Hi.\n\nWe lost  the game.\n  \n";
    for (Canon c : {Canon::Simple, Canon::Relaxed}) CHECK(body_hash(c, lf) == body_hash(c, crlf));
    CHECK(header(Canon::Simple, "Subject: a\n b\n") == "Subject: a\r\n b\r\n");
    CHECK(header(Canon::Relaxed, "Subject: a\n b\n") == "subject:a b\r\n");
}

TEST_CASE("chunk boundaries do not change the hash") {
    std::string body = "line one  \r\n\tindented\t\r\n\r\nbare\rcr\r\n\r\n \r\nlast  line \r\n\r\n";
    for (Canon c : {Canon::Simple, Canon::Relaxed}) {
        std::string whole = body_hash(c, body);
        for (std::size_t n : {1, 2, 3, 5, 7, 13}) CHECK(body_hash(c, body, n) == whole);
    }
}

TEST_CASE("a missing final line end is added; bare CR is content") {
    CHECK(body_hash(Canon::Simple, "abc") == sha("abc\r\n"));
    CHECK(body_hash(Canon::Relaxed, "abc  ") == sha("abc\r\n"));
    CHECK(body_hash(Canon::Simple, "a\rb\r\n") == sha("a\rb\r\n"));
    CHECK(body_hash(Canon::Simple, "a\r") == sha("a\r\r\n"));
}

TEST_CASE("l= limits the hashed bytes but not the counted length") {
    dkim::BodyCanonicalizer bc(Canon::Simple, crypto::HashAlg::Sha256, 5);
    bc.update("hello world\r\n");
    CHECK(crypto::base64_encode(bc.finish()) == sha("hello"));
    CHECK(bc.length() == 13);
    CHECK(bc.hashed() == 5);
}
