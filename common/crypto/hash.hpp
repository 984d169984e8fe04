// Message digests for DKIM (RFC 6376 §3.3: SHA-256, and SHA-1 for the
// verify-side legacy policy of RFC 8301).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace qauth::crypto {

enum class HashAlg { Sha1, Sha256 };

/// Digest length in bytes: 20 for SHA-1, 32 for SHA-256.
std::size_t digest_size(HashAlg alg);

/// An incremental digest. Cheap to create: no provider lookup happens, so a
/// signer that hashes one small message pays no start-up cost for it.
class Hasher {
public:
    explicit Hasher(HashAlg alg);
    ~Hasher();
    Hasher(Hasher&&) noexcept;
    Hasher& operator=(Hasher&&) noexcept;
    Hasher(const Hasher&) = delete;
    Hasher& operator=(const Hasher&) = delete;

    HashAlg alg() const { return alg_; }
    void update(std::string_view data);
    /// Returns the raw digest (digest_size(alg) bytes). Call once.
    std::string final();

private:
    struct State;
    HashAlg alg_;
    std::unique_ptr<State> state_;
};

/// One-shot digest of `data`.
std::string digest(HashAlg alg, std::string_view data);

}  // namespace qauth::crypto
