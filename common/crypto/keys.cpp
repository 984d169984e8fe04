// Key formats and the PrivateKey/PublicKey handles. The algorithms live in
// rsa.cpp and ed25519.cpp; this file decides which one a key file holds.
//
// Private keys are decoded here rather than by PEM_read_bio_PrivateKey, whose
// OSSL_DECODER machinery tries formats a DKIM key file never uses (callgrind,
// a whole process loading an RSA-2048 PEM: 13.3 million instructions that
// way, 6.7 million with this code and d2i_RSAPrivateKey).
#include "crypto/keys.hpp"

#include "crypto/base64.hpp"
#include "crypto/der.hpp"
#include "crypto/key_impl.hpp"
#include "crypto/pem.hpp"
#include "crypto/secret.hpp"

namespace qauth::crypto {

std::string_view key_type_name(KeyType type) {
    return type == KeyType::Rsa ? "rsa" : "ed25519";
}

std::optional<KeyType> key_type_from_name(std::string_view name) {
    for (KeyType t : {KeyType::Rsa, KeyType::Ed25519})
        if (name == key_type_name(t)) return t;
    return std::nullopt;
}

PrivateKey::PrivateKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PrivateKey::~PrivateKey() = default;
PrivateKey::PrivateKey(PrivateKey&&) noexcept = default;
PrivateKey& PrivateKey::operator=(PrivateKey&&) noexcept = default;

KeyType PrivateKey::type() const { return impl_->type(); }
std::size_t PrivateKey::bits() const { return impl_->bits(); }
Result<std::string> PrivateKey::sign_digest(HashAlg alg, std::string_view digest) const {
    return impl_->sign_digest(alg, digest);
}
std::string PrivateKey::public_key_bytes() const { return impl_->public_key_bytes(); }
std::string PrivateKey::to_pem() const { return impl_->to_pem(); }

PublicKey::PublicKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PublicKey::~PublicKey() = default;
PublicKey::PublicKey(PublicKey&&) noexcept = default;
PublicKey& PublicKey::operator=(PublicKey&&) noexcept = default;

KeyType PublicKey::type() const { return impl_->type(); }
std::size_t PublicKey::bits() const { return impl_->bits(); }
bool PublicKey::verify_digest(HashAlg alg, std::string_view digest, std::string_view signature) const {
    return impl_->verify_digest(alg, digest, signature);
}

namespace {

/// PKCS#8 PrivateKeyInfo (RFC 5208 §5), also as OneAsymmetricKey v2 (RFC
/// 5958 §2), holding rsaEncryption or id-Ed25519. The optional attributes
/// and v2 publicKey are skipped: the private key determines the public one.
Result<PrivateKey> parse_pkcs8(std::string_view der) {
    der::Reader top(der);
    auto info = top.read(der::kSequence, "PrivateKeyInfo");
    if (!info) return std::unexpected(info.error());
    if (!top.empty()) return fail("PKCS#8: data after PrivateKeyInfo");

    der::Reader r(*info);
    auto version = r.read(der::kInteger, "PrivateKeyInfo version");
    if (!version) return std::unexpected(version.error());
    if (*version != std::string_view("\0", 1) && *version != "\x01")
        return fail("RFC 5958 2: unknown PrivateKeyInfo version");
    auto alg = der::read_algorithm(r);
    if (!alg) return std::unexpected(alg.error());
    auto key = r.read(der::kOctetString, "privateKey");
    if (!key) return std::unexpected(key.error());
    constexpr std::uint8_t kAttributes = 0xa0, kPublicKey = 0x81;  // [0] and [1] IMPLICIT
    for (std::uint8_t tag : {kAttributes, kPublicKey}) {
        if (r.peek() != tag) continue;
        if (auto skipped = r.read(tag, "PrivateKeyInfo optional field"); !skipped)
            return std::unexpected(skipped.error());
    }
    if (!r.empty()) return fail("PKCS#8: unexpected data after privateKey");

    if (alg->oid == der::kOidRsaEncryption) {
        if (!der::null_or_absent(alg->params)) return fail("PKCS#8: rsaEncryption parameters are not NULL");
        return rsa_private_key_from_der(*key);
    }
    if (alg->oid == der::kOidEd25519) {
        if (!alg->params.empty()) return fail("RFC 8410 3: id-Ed25519 parameters must be absent");
        der::Reader inner(*key);  // CurvePrivateKey ::= OCTET STRING (RFC 8410 §7)
        auto seed = inner.read(der::kOctetString, "CurvePrivateKey");
        if (!seed) return std::unexpected(seed.error());
        if (!inner.empty()) return fail("PKCS#8: data after CurvePrivateKey");
        return ed25519_private_key_from_seed(*seed);
    }
    return fail("PKCS#8: key algorithm is neither rsaEncryption nor id-Ed25519");
}

Result<PrivateKey> parse_pem_private_key(std::string_view text) {
    auto block = pem_decode(text);
    if (!block) return std::unexpected(block.error());
    if (block->label == "RSA PRIVATE KEY") return rsa_private_key_from_der(block->der.view());
    if (block->label == "PRIVATE KEY") return parse_pkcs8(block->der.view());
    if (block->label == "ENCRYPTED PRIVATE KEY")
        return fail("PEM ENCRYPTED PRIVATE KEY: store the key decrypted (openssl pkey -in FILE -out NEWFILE)");
    return fail("PEM " + block->label + ": not a supported key type (want RSA PRIVATE KEY or PRIVATE KEY)");
}

}  // namespace

Result<PrivateKey> parse_private_key(std::string_view text) {
    if (looks_like_pem(text)) return parse_pem_private_key(text);
    // dkimpy's dknewkey writes an Ed25519 key as its base64 seed alone.
    auto raw = base64_decode(text);
    if (!raw) return fail("neither a PEM private key nor a base64 Ed25519 seed");
    SecretString seed(std::move(*raw));
    if (seed.view().empty()) return fail("empty key");
    if (seed.view().size() != 32)
        return fail("neither a PEM private key nor a base64 Ed25519 seed (decodes to " +
                    std::to_string(seed.view().size()) + " bytes, not 32)");
    return ed25519_private_key_from_seed(seed.view());
}

Result<PrivateKey> generate_private_key(KeyType type, std::size_t bits) {
    return type == KeyType::Rsa ? generate_rsa_private_key(bits) : generate_ed25519_private_key();
}

Result<PublicKey> parse_public_key(KeyType type, std::string_view der) {
    return type == KeyType::Rsa ? rsa_public_key_from_der(der) : ed25519_public_key_from_raw(der);
}

}  // namespace qauth::crypto
