#include "dkim/key_record.hpp"

#include "crypto/base64.hpp"
#include "util/strings.hpp"
#include "util/tag_list.hpp"

namespace qauth::dkim {

namespace {

// Calls `fn` for every colon-separated word of `list`, FWS removed.
template <typename Fn>
void each_word(std::string_view list, Fn fn) {
    for (const auto& w : split(strip_fws(list), ':')) fn(std::string_view(w));
}

}  // namespace

Result<KeyRecord> parse_key_record(std::string_view text) {
    auto list = parse_tag_list(text);
    if (!list) return fail("key record: " + list.error().reason);
    KeyRecord key;
    if (const std::string* v = list->find("v"); v && *v != "DKIM1")
        return fail("RFC 6376 3.6.1: key record v= is not DKIM1");
    if (const std::string* k = list->find("k")) {
        // Values are case-sensitive (RFC 6376 3.2), as dkimpy reads them.
        if (*k == "rsa")
            key.type = crypto::KeyType::Rsa;
        else if (*k == "ed25519")
            key.type = crypto::KeyType::Ed25519;
        else
            return fail("RFC 6376 3.6.1: unknown key type k=" + k->substr(0, 16));
    }
    if (const std::string* h = list->find("h")) {
        each_word(*h, [&](std::string_view w) {
            if (w == "sha256") key.hashes.push_back(crypto::HashAlg::Sha256);
            if (w == "sha1") key.hashes.push_back(crypto::HashAlg::Sha1);
        });
        if (key.hashes.empty()) return fail("RFC 6376 3.6.1: key h= names no supported hash");
    }
    if (const std::string* s = list->find("s")) {
        bool email = false;
        each_word(*s, [&](std::string_view w) { email |= (w == "*" || w == "email"); });
        if (!email) return fail("RFC 6376 3.6.1: key s= does not allow email");
    }
    if (const std::string* t = list->find("t")) {
        each_word(*t, [&](std::string_view w) {
            key.testing |= (w == "y");
            key.strict |= (w == "s");
        });
    }
    const std::string* p = list->find("p");
    if (!p) return fail("RFC 6376 3.6.1: key record has no p=");
    auto der = crypto::base64_decode(*p);
    if (!der) return fail("RFC 6376 3.6.1: key p= is not valid base64");
    key.public_key = std::move(*der);
    return key;
}

bool key_allows_hash(const KeyRecord& key, crypto::HashAlg alg) {
    if (key.hashes.empty()) return true;
    for (auto h : key.hashes)
        if (h == alg) return true;
    return false;
}

std::string key_query_name(std::string_view selector, std::string_view domain) {
    std::string n(selector);
    n += "._domainkey.";
    n += domain;
    return n;
}

}  // namespace qauth::dkim
