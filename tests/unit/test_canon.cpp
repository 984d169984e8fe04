// Canonicalization (RFC 6376 §3.4) with known values, and the body
// canonicalizer against a plain whole-body reference.
#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <random>
#include <vector>

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

namespace {

// The body rules written plainly, for the whole body at once (RFC 6376
// §3.4.3, §3.4.4): lines end at LF, a CR just before it belongs to the line
// end, any other CR is content; relaxed drops WSP at the end of a line and
// makes every other WSP run one SP; empty lines at the end are dropped; a
// last line without a line end gets one; an empty simple body is CRLF.
std::string reference_body(Canon c, std::string_view body) {
    std::vector<std::string> lines;
    while (!body.empty()) {
        std::size_t lf = body.find('\n');
        std::string_view line = body.substr(0, lf);
        body.remove_prefix(lf == std::string_view::npos ? body.size() : lf + 1);
        if (lf != std::string_view::npos && line.ends_with('\r')) line.remove_suffix(1);
        if (c == Canon::Simple) {
            lines.emplace_back(line);
            continue;
        }
        std::string out;
        for (std::size_t i = 0; i < line.size();) {
            if (line[i] != ' ' && line[i] != '\t') {
                out += line[i++];
                continue;
            }
            while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
            if (i < line.size()) out += ' ';
        }
        lines.push_back(out);
    }
    while (!lines.empty() && lines.back().empty()) lines.pop_back();
    std::string text;
    for (const auto& l : lines) text += l + "\r\n";
    if (text.empty() && c == Canon::Simple) text = "\r\n";
    return text;
}

// Feeds `body` cut at `cuts` (ascending offsets) and checks the digest,
// length() and hashed() against the reference. Returns a description of the
// first difference, or "".
std::string differ(Canon c, std::string_view body, const std::vector<std::size_t>& cuts,
                   std::optional<std::uint64_t> limit) {
    dkim::BodyCanonicalizer bc(c, crypto::HashAlg::Sha256, limit);
    // Each piece in an allocation of its own size, so that under
    // AddressSanitizer a read past the end of a chunk is an error.
    auto feed = [&](std::string_view piece) {
        auto copy = std::make_unique<char[]>(piece.size());
        std::copy(piece.begin(), piece.end(), copy.get());
        bc.update({copy.get(), piece.size()});
    };
    std::size_t at = 0;
    for (std::size_t cut : cuts) {
        feed(body.substr(at, cut - at));
        at = cut;
    }
    feed(body.substr(at));
    std::string digest = bc.finish();
    std::string want = reference_body(c, body);
    std::size_t hashed = limit ? std::min<std::size_t>(*limit, want.size()) : want.size();
    if (digest == crypto::digest(crypto::HashAlg::Sha256, std::string_view(want).substr(0, hashed)) &&
        bc.length() == want.size() && bc.hashed() == hashed)
        return "";
    std::string what = std::string(canon_name(c)) + " body \"";
    for (unsigned char ch : body.substr(0, 200)) {
        static constexpr char hex[] = "0123456789abcdef";
        if (ch >= ' ' && ch < 0x7f && ch != '\\' && ch != '"')
            what += static_cast<char>(ch);
        else
            what += std::string("\\x") + hex[ch >> 4] + hex[ch & 15];
    }
    what += "\" (" + std::to_string(body.size()) + " bytes), cuts";
    for (std::size_t cut : cuts) what += " " + std::to_string(cut);
    if (limit) what += ", l=" + std::to_string(*limit);
    return what;
}

// Bytes drawn mostly from what the rules treat specially. The weights vary
// per body so that some bodies are long runs of text with single spaces (the
// fast paths) and others mostly WSP and line ends.
std::string random_body(std::mt19937& rng, std::size_t size) {
    static constexpr std::string_view specials = " \t\r\n";
    static constexpr std::string_view others = "a\x01\x7f\xe9";  // 'a' mostly; a control, DEL, an 8-bit byte
    unsigned text_weight = rng() % 16;  // out of 16: how often a byte is 'a' (or rarely another)
    std::string body;
    for (std::size_t i = 0; i < size; ++i) {
        if (rng() % 16 < text_weight)
            body += rng() % 32 ? 'a' : others[rng() % others.size()];
        else
            body += specials[rng() % specials.size()];
    }
    return body;
}

}  // namespace

TEST_CASE("body canonicalizer matches a plain reference on random bodies, however cut (RFC 6376 3.4.3-3.4.5)") {
    std::mt19937 rng(6376);
    std::string first;
    std::size_t failures = 0, runs = 0;
    auto check = [&](Canon c, std::string_view body, const std::vector<std::size_t>& cuts,
                     std::optional<std::uint64_t> limit) {
        ++runs;
        std::string d = differ(c, body, cuts, limit);
        if (d.empty()) return;
        if (failures++ == 0) first = d;
    };
    for (Canon c : {Canon::Simple, Canon::Relaxed}) {
        // Short bodies: every cut position, and byte by byte.
        for (int n = 0; n < 400; ++n) {
            std::string body = random_body(rng, rng() % 24);
            std::optional<std::uint64_t> limit;
            if (n % 2) limit = rng() % (body.size() + 4);
            for (std::size_t cut = 0; cut <= body.size(); ++cut) check(c, body, {cut}, limit);
            std::vector<std::size_t> every(body.size());
            for (std::size_t i = 0; i < every.size(); ++i) every[i] = i;
            check(c, body, every, limit);
        }
        // Longer bodies, past the SIMD block size and the output buffer (some as one
        // long line): random cuts.
        for (int n = 0; n < 300; ++n) {
            std::size_t size = n % 5 == 0 ? 20000 + rng() % 50000 : rng() % 2000;
            std::string body = random_body(rng, size);
            if (n % 10 == 5) std::replace(body.begin(), body.end(), '\n', 'a');  // one line longer than the output buffer
            std::optional<std::uint64_t> limit;
            if (n % 2) limit = rng() % (body.size() + 4);
            std::vector<std::size_t> cuts(rng() % 12);
            for (auto& cut : cuts) cut = body.empty() ? 0 : rng() % (body.size() + 1);
            std::sort(cuts.begin(), cuts.end());
            check(c, body, cuts, limit);
            check(c, body, {}, limit);
        }
    }
    INFO("runs: " << runs);
    CHECK_MESSAGE(failures == 0, first);
}
