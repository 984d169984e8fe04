#include "srs/hash.hpp"

#include <openssl/crypto.h>

#include "crypto/base64.hpp"
#include "crypto/hmac.hpp"
#include "util/strings.hpp"

namespace qauth::srs {

namespace {

/// The full unpadded base64 MAC (27 characters).
std::string full_hash(std::string_view secret, std::initializer_list<std::string_view> fields) {
    std::string data;
    for (auto f : fields) data += lower(f);
    std::string b64 = crypto::base64_encode(crypto::hmac_sha1(secret, data));
    b64.resize(kMaxHashLength);  // drop the one '=' of 20 bytes
    return b64;
}

bool same(std::string_view a, std::string_view b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

std::string hash_create(std::string_view secret, std::initializer_list<std::string_view> fields, std::size_t length) {
    std::string h = full_hash(secret, fields);
    h.resize(std::min(length, kMaxHashLength));
    return h;
}

bool hash_verify(std::string_view hash, std::span<const crypto::SecretString> secrets,
                 std::initializer_list<std::string_view> fields, std::size_t hashmin) {
    if (hash.size() < hashmin || hash.empty() || hash.size() > kMaxHashLength) return false;
    bool exact = false, folded = false;
    const std::string given_lower = lower(hash);
    for (const auto& secret : secrets) {
        std::string valid = full_hash(secret.view(), fields);
        valid.resize(hash.size());
        exact |= same(valid, hash);
        folded |= same(lower(valid), given_lower);
    }
    return exact || folded;
}

}  // namespace qauth::srs
