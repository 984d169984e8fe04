// Signing and verifying keys for DKIM: RSA (RFC 6376 §3.3.1, RSASSA-PKCS1-v1_5)
// and Ed25519 (RFC 8463 §3, PureEdDSA over the SHA-256 digest).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/hash.hpp"
#include "util/result.hpp"

namespace qauth::crypto {

/// The k= key types of RFC 6376 §3.6.1 and RFC 8463 §4.
enum class KeyType { Rsa, Ed25519 };

/// "rsa" or "ed25519".
std::string_view key_type_name(KeyType type);

/// The type key_type_name() names ("rsa", "ed25519"); nullopt for any other name.
std::optional<KeyType> key_type_from_name(std::string_view name);

/// A private key. Move-only; owns its OpenSSL or libsodium material.
class PrivateKey {
public:
    struct Impl;
    explicit PrivateKey(std::unique_ptr<Impl> impl);
    ~PrivateKey();
    PrivateKey(PrivateKey&&) noexcept;
    PrivateKey& operator=(PrivateKey&&) noexcept;

    KeyType type() const;
    /// Modulus size in bits for RSA, 256 for Ed25519.
    std::size_t bits() const;

    /// Signs a digest made with `alg` (digest_size(alg) bytes). RSA: PKCS#1 v1.5
    /// with the DigestInfo of `alg` (RFC 8017 §8.2). Ed25519: Ed25519 over the
    /// digest bytes (RFC 8463 §3). Returns the raw signature. The first RSA
    /// signature calls use_system_random() (crypto/random.hpp), which routes
    /// OpenSSL's random numbers to the kernel for the whole process.
    Result<std::string> sign_digest(HashAlg alg, std::string_view digest) const;

    /// The public key as DKIM publishes it in p= (RFC 6376 §3.6.1, RFC 8463 §4),
    /// raw bytes before base64: RSA as DER SubjectPublicKeyInfo, Ed25519 as the
    /// 32-byte key.
    std::string public_key_bytes() const;

    /// The private key as PEM: RSA as PKCS#1 ("RSA PRIVATE KEY"), Ed25519 as
    /// PKCS#8 ("PRIVATE KEY").
    std::string to_pem() const;

private:
    std::unique_ptr<Impl> impl_;
};

/// Parses a private key from file contents: PEM PKCS#1 RSA, PEM PKCS#8 (RSA or
/// Ed25519), or a bare base64 32-byte Ed25519 seed (dkimpy's format). The DER
/// is decoded directly for the known types, not through a generic decoder.
Result<PrivateKey> parse_private_key(std::string_view text);

/// Reads and parses the key file at `path`. Fails, naming the file, if it
/// cannot be read, does not parse, or is readable by others (mode & 004).
Result<PrivateKey> load_private_key(const std::string& path);

/// Makes a new key: RSA with `bits` (1024..8192) and public exponent 65537,
/// or Ed25519 (bits ignored), from the kernel's random numbers.
Result<PrivateKey> generate_private_key(KeyType type, std::size_t bits);

/// A public key taken from a DKIM key record's p= (after base64 decoding).
class PublicKey {
public:
    struct Impl;
    explicit PublicKey(std::unique_ptr<Impl> impl);
    ~PublicKey();
    PublicKey(PublicKey&&) noexcept;
    PublicKey& operator=(PublicKey&&) noexcept;

    KeyType type() const;
    /// Modulus size in bits for RSA, 256 for Ed25519.
    std::size_t bits() const;

    /// True when `signature` is a valid signature of `digest` (made with `alg`)
    /// under this key; see PrivateKey::sign_digest for the schemes.
    bool verify_digest(HashAlg alg, std::string_view digest, std::string_view signature) const;

private:
    std::unique_ptr<Impl> impl_;
};

/// Parses p= bytes for key type `type`. RSA: DER SubjectPublicKeyInfo or bare
/// PKCS#1 RSAPublicKey (both occur in real DNS), modulus at most 8192 bits.
/// Ed25519: exactly 32 bytes (RFC 8463 §4); an SPKI blob is refused.
Result<PublicKey> parse_public_key(KeyType type, std::string_view der);

}  // namespace qauth::crypto
