// SHA-1 and SHA-256 through OpenSSL's low-level digest functions.
//
// Why not EVP_DigestInit: in OpenSSL 3 the first EVP digest of a process
// fetches the algorithm from the default provider (configuration, provider
// activation, method-store construction). Callgrind, whole process: hashing
// 10 KB costs 4.6 million instructions with SHA256_Init/Update/Final and 10.5
// million with EVP_sha256 + EVP_DigestInit_ex; a whole RSA-2048 signing run
// (key load, 10 KB hashed, one signature) costs 18.2 million against 22.2.
// The low-level functions run the same assembler block functions without
// the fetch. They are deprecated in OpenSSL 3 but present (the Makefile
// passes -Wno-deprecated-declarations).
#include "crypto/hash.hpp"

#include <openssl/sha.h>

namespace qauth::crypto {

struct Hasher::State {
    union {
        SHA_CTX sha1;
        SHA256_CTX sha256;
    };
};

std::size_t digest_size(HashAlg alg) {
    return alg == HashAlg::Sha1 ? SHA_DIGEST_LENGTH : SHA256_DIGEST_LENGTH;
}

Hasher::Hasher(HashAlg alg) : alg_(alg), state_(std::make_unique<State>()) {
    if (alg_ == HashAlg::Sha1)
        SHA1_Init(&state_->sha1);
    else
        SHA256_Init(&state_->sha256);
}

Hasher::~Hasher() = default;
Hasher::Hasher(Hasher&&) noexcept = default;
Hasher& Hasher::operator=(Hasher&&) noexcept = default;

void Hasher::update(std::string_view data) {
    if (alg_ == HashAlg::Sha1)
        SHA1_Update(&state_->sha1, data.data(), data.size());
    else
        SHA256_Update(&state_->sha256, data.data(), data.size());
}

std::string Hasher::final() {
    std::string out(digest_size(alg_), '\0');
    auto* md = reinterpret_cast<unsigned char*>(out.data());
    if (alg_ == HashAlg::Sha1)
        SHA1_Final(md, &state_->sha1);
    else
        SHA256_Final(md, &state_->sha256);
    return out;
}

std::string digest(HashAlg alg, std::string_view data) {
    Hasher h(alg);
    h.update(data);
    return h.final();
}

}  // namespace qauth::crypto
