// HMAC-SHA1 on OpenSSL's low-level SHA-1, not HMAC(EVP_sha1(), ...).
//
// Why: HMAC() goes through EVP, and the first EVP digest of a process
// fetches SHA-1 from the default provider. Callgrind, a whole process that
// starts libcrypto as init_openssl() does and computes one HMAC-SHA1 of a
// few bytes: 2.65 million instructions without the HMAC, 6.85 million with
// HMAC(); 4.2 million for the fetch, which would take srsfilter past the
// issue's budget (Mail::SRS's 68.5 million / 10). RFC 2104's construction on
// SHA1_Init/Update/Final is the same computation without the fetch (the
// reason crypto/hash.cpp gives for its digests); the unit tests compare it
// with HMAC() byte for byte. The padded key blocks are wiped.
#include "crypto/hmac.hpp"

#include <cstring>

#include <openssl/crypto.h>
#include <openssl/sha.h>

namespace qauth::crypto {

namespace {
constexpr std::size_t kBlock = SHA_CBLOCK;  // 64 bytes, RFC 2104 §2 "B"
}  // namespace

std::string hmac_sha1(std::string_view key, std::string_view data) {
    unsigned char k[kBlock] = {};
    if (key.size() > kBlock)
        SHA1(reinterpret_cast<const unsigned char*>(key.data()), key.size(), k);
    else
        std::memcpy(k, key.data(), key.size());
    unsigned char pad[kBlock];
    unsigned char inner[SHA_DIGEST_LENGTH];
    SHA_CTX ctx;
    for (std::size_t i = 0; i < kBlock; ++i) pad[i] = k[i] ^ 0x36;
    SHA1_Init(&ctx);
    SHA1_Update(&ctx, pad, kBlock);
    SHA1_Update(&ctx, data.data(), data.size());
    SHA1_Final(inner, &ctx);
    for (std::size_t i = 0; i < kBlock; ++i) pad[i] = k[i] ^ 0x5c;
    std::string out(SHA_DIGEST_LENGTH, '\0');
    SHA1_Init(&ctx);
    SHA1_Update(&ctx, pad, kBlock);
    SHA1_Update(&ctx, inner, sizeof inner);
    SHA1_Final(reinterpret_cast<unsigned char*>(out.data()), &ctx);
    OPENSSL_cleanse(k, sizeof k);
    OPENSSL_cleanse(pad, sizeof pad);
    OPENSSL_cleanse(&ctx, sizeof ctx);
    return out;
}

}  // namespace qauth::crypto
