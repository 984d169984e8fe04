#include "dkim/signature.hpp"

#include <charconv>
#include <limits>

#include "crypto/base64.hpp"
#include "dns/domain.hpp"
#include "util/strings.hpp"
#include "util/tag_list.hpp"

namespace qauth::dkim {

std::string algorithm_name(Algorithm a) {
    if (a.key == crypto::KeyType::Ed25519) return "ed25519-sha256";
    return a.hash == crypto::HashAlg::Sha1 ? "rsa-sha1" : "rsa-sha256";
}

Result<Algorithm> parse_algorithm(std::string_view text) {
    using crypto::HashAlg;
    using crypto::KeyType;
    // Values are case-sensitive (RFC 6376 3.2): "RSA-SHA256" is not a= rsa-sha256.
    if (text == "rsa-sha256") return Algorithm{KeyType::Rsa, HashAlg::Sha256};
    if (text == "rsa-sha1") return Algorithm{KeyType::Rsa, HashAlg::Sha1};
    if (text == "ed25519-sha256") return Algorithm{KeyType::Ed25519, HashAlg::Sha256};
    return fail("RFC 6376 3.5: unsupported algorithm a=" + std::string(text.substr(0, 32)));
}

std::optional<std::string> decode_dkim_qp(std::string_view text) {
    std::string out;
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
        if (c != '=') {
            out += c;
            continue;
        }
        if (i + 2 >= text.size()) return std::nullopt;
        int hi = hex(text[i + 1]), lo = hex(text[i + 2]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return out;
}

std::string encode_dkim_qp(std::string_view text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (char ch : text) {
        auto c = static_cast<unsigned char>(ch);
        if (c >= 0x21 && c <= 0x7e && c != ';' && c != '=') {
            out += ch;
        } else {
            out += '=';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

namespace {

// t=, x= and l= values. RFC 6376 3.5 allows treating a value longer than 12
// digits as infinite; so does a value past 2^64.
Result<std::uint64_t> parse_number(std::string_view tag, std::string_view text) {
    if (text.empty() || text.size() > 76) return fail("RFC 6376 3.5: bad " + std::string(tag) + "= value");
    for (char c : text)
        if (c < '0' || c > '9') return fail("RFC 6376 3.5: bad " + std::string(tag) + "= value");
    std::uint64_t v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.size() > 12 || ec != std::errc()) return std::numeric_limits<std::uint64_t>::max();
    return v;
}

}  // namespace

Result<Signature> parse_signature(std::string_view value) {
    auto list = parse_tag_list(value);
    if (!list) return std::unexpected(list.error());
    Signature sig;
    auto need = [&](const char* name) -> Result<std::string> {
        const std::string* v = list->find(name);
        if (!v) return fail(std::string("RFC 6376 3.5: missing ") + name + "= tag");
        return *v;
    };
    auto v = need("v");
    if (!v) return std::unexpected(v.error());
    if (*v != "1") return fail("RFC 6376 3.5: unsupported version v=" + v->substr(0, 16));

    auto a = need("a");
    if (!a) return std::unexpected(a.error());
    auto alg = parse_algorithm(*a);
    if (!alg) return std::unexpected(alg.error());
    sig.algorithm = *alg;

    auto b = need("b");
    if (!b) return std::unexpected(b.error());
    sig.b_text = strip_fws(*b);
    auto bdec = crypto::base64_decode(sig.b_text);
    if (!bdec || bdec->empty()) return fail("RFC 6376 3.5: b= is not valid base64");
    sig.signature = std::move(*bdec);

    auto bh = need("bh");
    if (!bh) return std::unexpected(bh.error());
    auto bhdec = crypto::base64_decode(*bh);
    if (!bhdec || bhdec->empty()) return fail("RFC 6376 3.5: bh= is not valid base64");
    sig.body_hash = std::move(*bhdec);

    if (const std::string* c = list->find("c")) {
        auto canon = parse_canon_pair(*c);
        if (!canon) return std::unexpected(canon.error());
        sig.header_canon = canon->first;
        sig.body_canon = canon->second;
    }

    auto d = need("d");
    if (!d) return std::unexpected(d.error());
    auto domain = dns::Domain::parse(*d, dns::NameRules::Mail);
    if (!domain) return fail("RFC 6376 3.5: bad d= domain");
    sig.domain = *d;

    auto s = need("s");
    if (!s) return std::unexpected(s.error());
    if (!dns::Domain::parse(*s, dns::NameRules::Mail)) return fail("RFC 6376 3.5: bad s= selector");
    sig.selector = *s;

    auto h = need("h");
    if (!h) return std::unexpected(h.error());
    bool has_from = false;
    auto names = split(strip_fws(*h), ':');
    if (names.size() > kMaxSignedFields) return fail("RFC 6376 3.5: h= names more than 1000 fields");
    for (auto& name : names) {
        if (name.empty()) return fail("RFC 6376 3.5: empty name in h=");
        has_from |= iequals(name, "from");
        sig.headers.push_back(std::move(name));
    }
    if (!has_from) return fail("RFC 6376 5.4: h= does not include From");

    if (const std::string* i = list->find("i")) {
        auto id = decode_dkim_qp(*i);
        if (!id) return fail("RFC 6376 3.5: bad i= encoding");
        std::size_t at = id->rfind('@');
        if (at == std::string::npos) return fail("RFC 6376 3.5: i= has no '@'");
        auto idom = dns::Domain::parse(std::string_view(*id).substr(at + 1), dns::NameRules::Mail);
        if (!idom || !idom->within(*domain))
            return fail("RFC 6376 6.1.1: i= domain is not d= or a subdomain of it");
        sig.identity = std::move(*id);
        sig.identity_given = true;
    } else {
        sig.identity = "@" + sig.domain;
    }

    if (const std::string* l = list->find("l")) {
        auto n = parse_number("l", *l);
        if (!n) return std::unexpected(n.error());
        sig.length = *n;
    }
    if (const std::string* q = list->find("q")) {
        // q= is a colon-separated list; dns/txt must be among the methods (§3.5).
        bool dns = false;
        for (const auto& m : split(strip_fws(*q), ':')) dns |= m == "dns/txt" || m == "dns";
        if (!dns) return fail("RFC 6376 3.5: q= does not offer dns/txt");
    }
    if (const std::string* t = list->find("t")) {
        auto n = parse_number("t", *t);
        if (!n) return std::unexpected(n.error());
        sig.timestamp = *n;
    }
    if (const std::string* x = list->find("x")) {
        auto n = parse_number("x", *x);
        if (!n) return std::unexpected(n.error());
        sig.expiration = *n;
        if (sig.timestamp && *n < *sig.timestamp) return fail("RFC 6376 3.5: x= is before t=");
    }
    return sig;
}

Result<void> check_expiry(const Signature& sig, std::uint64_t now) {
    if (sig.expiration && *sig.expiration < now) return fail("RFC 6376 3.5: signature expired (x=)");
    return {};
}

}  // namespace qauth::dkim
