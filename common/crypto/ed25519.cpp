// Ed25519 keys through libsodium (RFC 8032 §5.1, PureEdDSA). DKIM signs the
// SHA-256 digest of the header hash input with it (RFC 8463 §3), so the
// "message" handed to Ed25519 is always the 32-byte digest.
#include <algorithm>
#include <array>
#include <memory>
#include <string>

#include <sodium.h>

#include "crypto/key_impl.hpp"
#include "crypto/pem.hpp"
#include "crypto/secret.hpp"

namespace qauth::crypto {
namespace {

// PKCS#8 PrivateKeyInfo for id-Ed25519 up to the 32 seed bytes (RFC 8410 §7):
// SEQUENCE { INTEGER 0, SEQUENCE { OID 1.3.101.112 }, OCTET STRING { OCTET STRING (32) } }.
constexpr std::string_view kPkcs8Prefix{"\x30\x2e\x02\x01\x00\x30\x05\x06\x03\x2b\x65\x70\x04\x22\x04\x20", 16};

// The start of an Ed25519 SubjectPublicKeyInfo (RFC 8410 §4), recognised only
// to explain why it is refused as a p= value.
constexpr std::string_view kSpkiPrefix{"\x30\x2a\x30\x05\x06\x03\x2b\x65\x70\x03\x21\x00", 12};

const unsigned char* bytes(std::string_view s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}

Result<void> sodium_ready() {
    // Idempotent and thread-safe; needed before randombytes (key generation).
    if (sodium_init() < 0) return fail("libsodium initialisation failed");
    return {};
}

/// RFC 8463 §3 defines Ed25519 only with SHA-256.
bool sha256_digest(HashAlg alg, std::string_view digest) {
    return alg == HashAlg::Sha256 && digest.size() == crypto_hash_sha256_BYTES;
}

class Ed25519PrivateKey final : public PrivateKey::Impl {
public:
    // libsodium's secret key is the seed followed by the public key.
    std::array<unsigned char, crypto_sign_SECRETKEYBYTES> sk{};

    ~Ed25519PrivateKey() override { sodium_memzero(sk.data(), sk.size()); }

    KeyType type() const override { return KeyType::Ed25519; }
    std::size_t bits() const override { return 256; }

    Result<std::string> sign_digest(HashAlg alg, std::string_view digest) const override {
        if (!sha256_digest(alg, digest)) return fail("RFC 8463 3: Ed25519 signs a SHA-256 digest only");
        std::string sig(crypto_sign_BYTES, '\0');
        crypto_sign_detached(reinterpret_cast<unsigned char*>(sig.data()), nullptr, bytes(digest), digest.size(),
                             sk.data());
        return sig;
    }

    std::string public_key_bytes() const override {
        return std::string(reinterpret_cast<const char*>(sk.data()) + crypto_sign_SEEDBYTES, crypto_sign_PUBLICKEYBYTES);
    }

    std::string to_pem() const override {
        SecretString der{std::string(kPkcs8Prefix)};
        der.str().reserve(kPkcs8Prefix.size() + crypto_sign_SEEDBYTES);  // before any key byte goes in
        der.str().append(reinterpret_cast<const char*>(sk.data()), crypto_sign_SEEDBYTES);
        return pem_encode("PRIVATE KEY", der.view());
    }
};

class Ed25519PublicKey final : public PublicKey::Impl {
public:
    std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> pk{};

    KeyType type() const override { return KeyType::Ed25519; }
    std::size_t bits() const override { return 256; }

    bool verify_digest(HashAlg alg, std::string_view digest, std::string_view signature) const override {
        if (!sha256_digest(alg, digest) || signature.size() != crypto_sign_BYTES) return false;
        return crypto_sign_verify_detached(bytes(signature), bytes(digest), digest.size(), pk.data()) == 0;
    }
};

}  // namespace

Result<PrivateKey> ed25519_private_key_from_seed(std::string_view seed) {
    if (seed.size() != crypto_sign_SEEDBYTES) return fail("Ed25519 private key is not 32 bytes (RFC 8032 5.1.5)");
    if (auto ok = sodium_ready(); !ok) return std::unexpected(ok.error());
    auto key = std::make_unique<Ed25519PrivateKey>();
    std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> pk;
    crypto_sign_seed_keypair(pk.data(), key->sk.data(), bytes(seed));
    return PrivateKey(std::move(key));
}

Result<PrivateKey> generate_ed25519_private_key() {
    if (auto ok = sodium_ready(); !ok) return std::unexpected(ok.error());
    auto key = std::make_unique<Ed25519PrivateKey>();
    std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> pk;
    crypto_sign_keypair(pk.data(), key->sk.data());
    return PrivateKey(std::move(key));
}

Result<PublicKey> ed25519_public_key_from_raw(std::string_view raw) {
    if (raw.size() == kSpkiPrefix.size() + crypto_sign_PUBLICKEYBYTES && raw.starts_with(kSpkiPrefix))
        return fail("RFC 8463 4: Ed25519 p= must be the bare 32-byte key, not a SubjectPublicKeyInfo");
    if (raw.size() != crypto_sign_PUBLICKEYBYTES)
        return fail("RFC 8463 4: Ed25519 public key is " + std::to_string(raw.size()) + " bytes, not 32");
    auto key = std::make_unique<Ed25519PublicKey>();
    std::copy(raw.begin(), raw.end(), key->pk.begin());
    return PublicKey(std::move(key));
}

}  // namespace qauth::crypto
