// RSA keys through OpenSSL's RSA object, not EVP_PKEY: RSA_sign and
// RSA_verify run the PKCS#1 v1.5 code directly, where EVP_PKEY_sign in
// OpenSSL 3 first fetches a provider implementation and exports the key to it
// (callgrind, load + one RSA-2048 signature: 24.5 million instructions this
// way against 29.0 million for PEM_read_PrivateKey + EVP_DigestSign, before
// use_system_random takes a further 6.7 million off).
#include <memory>
#include <new>
#include <string>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "crypto/der.hpp"
#include "crypto/key_impl.hpp"
#include "crypto/openssl_init.hpp"
#include "crypto/pem.hpp"
#include "crypto/random.hpp"
#include "crypto/secret.hpp"

namespace qauth::crypto {
namespace {

using RsaPtr = std::unique_ptr<RSA, decltype(&RSA_free)>;
using BignumPtr = std::unique_ptr<BIGNUM, decltype(&BN_free)>;

// Longest DER we hand to OpenSSL for a public key: an 8192-bit SPKI is 1062 bytes.
constexpr std::size_t kMaxPublicDer = 1100;

int digest_nid(HashAlg alg) {
    return alg == HashAlg::Sha1 ? NID_sha1 : NID_sha256;
}

const unsigned char* bytes(std::string_view s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}

/// Parses exactly `der` with an OpenSSL d2i function; a trailing byte fails.
template <typename D2i>
RsaPtr parse_whole(D2i d2i, std::string_view der) {
    const unsigned char* p = bytes(der);
    RsaPtr rsa(d2i(nullptr, &p, static_cast<long>(der.size())), RSA_free);
    if (rsa && p != bytes(der) + der.size()) rsa.reset();
    return rsa;
}

Result<void> check_bits(std::size_t bits) {
    if (bits < kRsaMinBits)
        return fail("RSA key of " + std::to_string(bits) + " bits refused: RFC 8301 3.2 requires at least " +
                    std::to_string(kRsaMinBits));
    if (bits > kRsaMaxBits)
        return fail("RSA key of " + std::to_string(bits) + " bits refused: more than " + std::to_string(kRsaMaxBits));
    return {};
}

class RsaPrivateKey final : public PrivateKey::Impl {
public:
    explicit RsaPrivateKey(RsaPtr rsa) : rsa_(std::move(rsa)) {}

    KeyType type() const override { return KeyType::Rsa; }
    std::size_t bits() const override { return static_cast<std::size_t>(RSA_bits(rsa_.get())); }

    Result<std::string> sign_digest(HashAlg alg, std::string_view digest) const override {
        if (digest.size() != digest_size(alg)) return fail("RSA sign: digest has the wrong length");
        use_system_random();  // blinding draws a random number
        std::string sig(static_cast<std::size_t>(RSA_size(rsa_.get())), '\0');
        unsigned int len = 0;
        if (RSA_sign(digest_nid(alg), bytes(digest), static_cast<unsigned int>(digest.size()),
                     reinterpret_cast<unsigned char*>(sig.data()), &len, rsa_.get()) != 1)
            return fail(openssl_error("RSA sign failed"));
        sig.resize(len);
        return sig;
    }

    std::string public_key_bytes() const override {
        // Two passes write straight into the string: no OpenSSL buffer to free.
        int len = i2d_RSA_PUBKEY(rsa_.get(), nullptr);
        if (len <= 0) throw std::bad_alloc();
        std::string der(static_cast<std::size_t>(len), '\0');
        auto* p = reinterpret_cast<unsigned char*>(der.data());
        if (i2d_RSA_PUBKEY(rsa_.get(), &p) != len) throw std::bad_alloc();
        return der;
    }

    std::string to_pem() const override {
        int len = i2d_RSAPrivateKey(rsa_.get(), nullptr);
        if (len <= 0) throw std::bad_alloc();
        SecretString der(std::string(static_cast<std::size_t>(len), '\0'));
        auto* p = reinterpret_cast<unsigned char*>(der.str().data());
        if (i2d_RSAPrivateKey(rsa_.get(), &p) != len) throw std::bad_alloc();
        return pem_encode("RSA PRIVATE KEY", der.view());
    }

private:
    RsaPtr rsa_;  // RSA_free clears the private BIGNUMs
};

class RsaPublicKey final : public PublicKey::Impl {
public:
    explicit RsaPublicKey(RsaPtr rsa) : rsa_(std::move(rsa)) {}

    KeyType type() const override { return KeyType::Rsa; }
    std::size_t bits() const override { return static_cast<std::size_t>(RSA_bits(rsa_.get())); }

    bool verify_digest(HashAlg alg, std::string_view digest, std::string_view signature) const override {
        if (digest.size() != digest_size(alg)) return false;
        if (signature.size() != static_cast<std::size_t>(RSA_size(rsa_.get()))) return false;
        bool good = RSA_verify(digest_nid(alg), bytes(digest), static_cast<unsigned int>(digest.size()),
                               bytes(signature), static_cast<unsigned int>(signature.size()), rsa_.get()) == 1;
        ERR_clear_error();
        return good;
    }

private:
    RsaPtr rsa_;
};

/// The RSAPublicKey inside a SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) whose
/// algorithm is rsaEncryption with NULL or absent parameters (RFC 8017 C).
Result<std::string_view> spki_rsa_public_key(std::string_view spki_contents) {
    der::Reader r(spki_contents);
    auto alg = der::read_algorithm(r);
    if (!alg) return std::unexpected(alg.error());
    if (alg->oid == der::kOidEd25519) return fail("SubjectPublicKeyInfo holds an Ed25519 key, not RSA");
    if (alg->oid != der::kOidRsaEncryption) return fail("SubjectPublicKeyInfo algorithm is not rsaEncryption");
    if (!der::null_or_absent(alg->params)) return fail("rsaEncryption parameters are not NULL");
    auto bits = r.read(der::kBitString, "subjectPublicKey");
    if (!bits) return std::unexpected(bits.error());
    if (!r.empty()) return fail("data after subjectPublicKey");
    if (bits->empty() || (*bits)[0] != 0) return fail("subjectPublicKey has unused bits");
    return bits->substr(1);
}

}  // namespace

Result<PrivateKey> rsa_private_key_from_der(std::string_view der) {
    if (auto ready = init_openssl(); !ready) return std::unexpected(ready.error());
    RsaPtr rsa = parse_whole(d2i_RSAPrivateKey, der);
    if (!rsa) return fail(openssl_error("RSAPrivateKey (RFC 8017 A.1.2) does not parse"));
    if (auto ok = check_bits(static_cast<std::size_t>(RSA_bits(rsa.get()))); !ok)
        return std::unexpected(ok.error());
    return PrivateKey(std::make_unique<RsaPrivateKey>(std::move(rsa)));
}

Result<PrivateKey> generate_rsa_private_key(std::size_t bits) {
    if (auto ok = check_bits(bits); !ok) return std::unexpected(ok.error());
    if (auto ready = init_openssl(); !ready) return std::unexpected(ready.error());
    use_system_random();
    BignumPtr e(BN_new(), BN_free);
    RsaPtr rsa(RSA_new(), RSA_free);
    if (!e || !rsa || BN_set_word(e.get(), RSA_F4) != 1 ||
        RSA_generate_key_ex(rsa.get(), static_cast<int>(bits), e.get(), nullptr) != 1)
        return fail(openssl_error("RSA key generation failed"));
    return PrivateKey(std::make_unique<RsaPrivateKey>(std::move(rsa)));
}

// The SPKI wrapper is walked here rather than by d2i_RSA_PUBKEY, which costs
// the same but also accepts an RSASSA-PSS key (id-RSASSA-PSS), whose owner
// has restricted it to PSS signatures, and says little about what was wrong.
Result<PublicKey> rsa_public_key_from_der(std::string_view der) {
    if (der.size() > kMaxPublicDer) return fail("RSA public key too large (over 8192 bits)");
    if (auto ready = init_openssl(); !ready) return std::unexpected(ready.error());
    // Both forms are a SEQUENCE; SPKI starts with the AlgorithmIdentifier
    // SEQUENCE, a bare RSAPublicKey with the modulus INTEGER.
    der::Reader outer(der);
    auto contents = outer.read(der::kSequence, "RSA public key");
    if (!contents) return std::unexpected(contents.error());
    if (!outer.empty()) return fail("RSA public key: data after the key");
    std::string_view pkcs1 = der;
    if (der::Reader(*contents).peek() == der::kSequence) {
        auto inner = spki_rsa_public_key(*contents);
        if (!inner) return std::unexpected(inner.error());
        pkcs1 = *inner;
    }
    RsaPtr rsa = parse_whole(d2i_RSAPublicKey, pkcs1);
    if (!rsa) return fail(openssl_error("RSAPublicKey (RFC 8017 A.1.1) does not parse"));
    // The minimum is verifier policy (RFC 8301 3.2), applied by the caller through bits().
    if (RSA_bits(rsa.get()) > static_cast<int>(kRsaMaxBits))
        return fail("RSA public key of " + std::to_string(RSA_bits(rsa.get())) + " bits refused: more than " +
                    std::to_string(kRsaMaxBits));
    return PublicKey(std::make_unique<RsaPublicKey>(std::move(rsa)));
}

}  // namespace qauth::crypto
