// Internal to common/crypto: the per-algorithm implementations behind
// PrivateKey and PublicKey (rsa.cpp, ed25519.cpp), and the constructors that
// keys.cpp dispatches to once it knows the key format.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "crypto/keys.hpp"

namespace qauth::crypto {

struct PrivateKey::Impl {
    virtual ~Impl() = default;
    virtual KeyType type() const = 0;
    virtual std::size_t bits() const = 0;
    virtual Result<std::string> sign_digest(HashAlg alg, std::string_view digest) const = 0;
    virtual std::string public_key_bytes() const = 0;
    virtual std::string to_pem() const = 0;
};

struct PublicKey::Impl {
    virtual ~Impl() = default;
    virtual KeyType type() const = 0;
    virtual std::size_t bits() const = 0;
    virtual bool verify_digest(HashAlg alg, std::string_view digest, std::string_view signature) const = 0;
};

/// RSA limits for keys we sign with (RFC 8301 §3.2: at least 1024 bits) and
/// for any key we accept; 8192 bounds the cost of one operation.
inline constexpr std::size_t kRsaMinBits = 1024;
inline constexpr std::size_t kRsaMaxBits = 8192;

/// RSAPrivateKey DER (RFC 8017 Appendix A.1.2), the whole input.
Result<PrivateKey> rsa_private_key_from_der(std::string_view der);
/// A new RSA key with public exponent 65537.
Result<PrivateKey> generate_rsa_private_key(std::size_t bits);
/// SubjectPublicKeyInfo with rsaEncryption, or a bare RSAPublicKey (RFC 8017 A.1.1).
Result<PublicKey> rsa_public_key_from_der(std::string_view der);

/// The 32-byte Ed25519 private key, the RFC 8032 §5.1.5 seed.
Result<PrivateKey> ed25519_private_key_from_seed(std::string_view seed);
/// A new Ed25519 key.
Result<PrivateKey> generate_ed25519_private_key();
/// The 32-byte public key of RFC 8032 §5.1.5, as RFC 8463 §4 publishes it.
Result<PublicKey> ed25519_public_key_from_raw(std::string_view raw);

}  // namespace qauth::crypto
