// common/crypto: base64, digests, RSA and Ed25519 keys, against published
// vectors (RFC 4648, FIPS 180-2, RFC 8032, RFC 8463) and hostile input.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <openssl/bn.h>
#include <openssl/rsa.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto/base64.hpp"
#include "crypto/der.hpp"
#include "crypto/hash.hpp"
#include "crypto/keys.hpp"
#include "crypto/pem.hpp"
#include "testdata.hpp"

using namespace qauth::crypto;

namespace {

const std::string kDkimData = qauth::test::testdata("dkim/");

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in.good(), "cannot read " << path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string hex(std::string_view bytes) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

std::string b64d(std::string_view text) {
    auto out = base64_decode(text);
    REQUIRE(out.has_value());
    return *out;
}

/// A DER element, for building test structures.
std::string tlv(unsigned char tag, std::string_view contents) {
    std::string out(1, static_cast<char>(tag));
    std::size_t n = contents.size();
    if (n < 0x80) {
        out += static_cast<char>(n);
    } else if (n < 0x100) {
        out += '\x81';
        out += static_cast<char>(n);
    } else {
        out += '\x82';
        out += static_cast<char>(n >> 8);
        out += static_cast<char>(n & 0xff);
    }
    return out.append(contents);
}

const std::string kNullParams("\x05\x00", 2);
const std::string kRsaAlg = tlv(0x30, tlv(0x06, der::kOidRsaEncryption) + kNullParams);
const std::string kEdAlg = tlv(0x30, tlv(0x06, der::kOidEd25519));

/// PKCS#8 PrivateKeyInfo (RFC 5208 §5) around `inner`.
std::string pkcs8(std::string_view version, const std::string& alg, std::string_view inner, std::string_view tail = {}) {
    return tlv(0x30, tlv(0x02, version) + alg + tlv(0x04, inner) + std::string(tail));
}

std::string rsa_pkcs1_der() {
    auto block = pem_decode(slurp(kDkimData + "rfc8463-rsa-private.pem"));
    REQUIRE(block.has_value());
    return std::string(block->der.view());
}

std::string ed25519_seed() {
    return b64d(slurp(kDkimData + "rfc8463-ed25519-seed.b64"));
}

/// The p= value of the RSA record in rfc8463.zone: its quoted strings joined.
std::string zone_rsa_p() {
    std::string zone = slurp(kDkimData + "rfc8463.zone");
    std::size_t at = zone.find("test._domainkey");
    REQUIRE(at != std::string::npos);
    std::string text;
    for (std::size_t open = zone.find('"', at); open != std::string::npos; open = zone.find('"', open)) {
        std::size_t close = zone.find('"', open + 1);
        text += zone.substr(open + 1, close - open - 1);
        open = close + 1;
    }
    std::size_t p = text.find("p=");
    REQUIRE(p != std::string::npos);
    return text.substr(p + 2);
}

PrivateKey must(qauth::Result<PrivateKey> r) {
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().reason));
    return std::move(*r);
}

PublicKey must(qauth::Result<PublicKey> r) {
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().reason));
    return std::move(*r);
}

std::string must(qauth::Result<std::string> r) {
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().reason));
    return std::move(*r);
}

/// A small deterministic generator for garbage tests.
struct Lcg {
    unsigned long s = 12345;
    unsigned next() { return static_cast<unsigned>((s = s * 6364136223846793005UL + 1442695040888963407UL) >> 33); }
};

/// A temporary file holding `text` with `mode`, removed at scope exit.
struct TempFile {
    std::string path;
    TempFile(std::string_view text, mode_t mode) {
        char name[] = "/tmp/qauth-crypto-XXXXXX";
        int fd = mkstemp(name);
        REQUIRE(fd >= 0);
        REQUIRE(write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
        close(fd);
        path = name;
        REQUIRE(chmod(name, mode) == 0);
    }
    ~TempFile() { unlink(path.c_str()); }
};

/// An RSA key of `bits` made directly with OpenSSL, as PKCS#1 PEM: for key
/// sizes generate_private_key refuses.
std::string openssl_rsa_pem(int bits) {
    std::unique_ptr<RSA, decltype(&RSA_free)> rsa(RSA_new(), RSA_free);
    std::unique_ptr<BIGNUM, decltype(&BN_free)> e(BN_new(), BN_free);
    REQUIRE(BN_set_word(e.get(), RSA_F4) == 1);
    REQUIRE(RSA_generate_key_ex(rsa.get(), bits, e.get(), nullptr) == 1);
    std::string der(static_cast<std::size_t>(i2d_RSAPrivateKey(rsa.get(), nullptr)), '\0');
    auto* p = reinterpret_cast<unsigned char*>(der.data());
    i2d_RSAPrivateKey(rsa.get(), &p);
    return pem_encode("RSA PRIVATE KEY", der);
}

/// An RSAPublicKey DER with a random odd modulus of `bits` and e = 65537.
std::string fake_rsa_public_der(int bits) {
    std::unique_ptr<RSA, decltype(&RSA_free)> rsa(RSA_new(), RSA_free);
    std::unique_ptr<BIGNUM, decltype(&BN_free)> n(BN_new(), BN_free), e(BN_new(), BN_free);
    REQUIRE((rsa && n && e));
    REQUIRE(BN_rand(n.get(), bits, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ODD) == 1);
    REQUIRE(BN_set_word(e.get(), RSA_F4) == 1);
    REQUIRE(RSA_set0_key(rsa.get(), n.get(), e.get(), nullptr) == 1);
    n.release();  // rsa owns them now
    e.release();
    std::string der(static_cast<std::size_t>(i2d_RSAPublicKey(rsa.get(), nullptr)), '\0');
    auto* p = reinterpret_cast<unsigned char*>(der.data());
    i2d_RSAPublicKey(rsa.get(), &p);
    return der;
}

}  // namespace

// ---------------------------------------------------------------- base64

TEST_CASE("base64: RFC 4648 section 10 vectors") {
    const std::pair<const char*, const char*> vectors[] = {
        {"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},         {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
    };
    for (auto [plain, encoded] : vectors) {
        CHECK(base64_encode(plain) == encoded);
        CHECK(base64_decode(encoded) == std::optional<std::string>(plain));
    }
}

TEST_CASE("base64: every byte value round-trips") {
    std::string all;
    for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
    for (std::size_t len = 0; len <= all.size(); len += 37) {
        std::string part = all.substr(all.size() - len);
        CHECK(base64_decode(base64_encode(part)) == std::optional<std::string>(part));
    }
    CHECK(base64_encode(std::string("\xfb\xff", 2)) == "+/8=");
}

TEST_CASE("base64: folding whitespace is skipped (RFC 6376 3.5)") {
    CHECK(base64_decode("Zm9v\r\n YmFy\t") == std::optional<std::string>("foobar"));
    CHECK(base64_decode(" Z m 8 = ") == std::optional<std::string>("fo"));
    CHECK(base64_decode("Zg= \r\n\t=") == std::optional<std::string>("f"));
    CHECK(base64_decode(" \t\r\n") == std::optional<std::string>(""));
}

TEST_CASE("base64: bad input is refused") {
    for (const char* bad : {"Zg", "Zg=", "Zm9vY", "Z===", "====", "=Zg=", "Zg=a", "Zm9v=", "Zg==Zg==", "Zg===",
                            "Zm9v!", "Zm9v-_8=", "Zm\x80v", "Zm9vYmFy\v"}) {
        CAPTURE(bad);
        CHECK_FALSE(base64_decode(bad).has_value());
    }
    CHECK_FALSE(base64_decode(std::string_view("Zm\0v", 4)).has_value());
}

TEST_CASE("base64: non-zero pad bits are tolerated (RFC 4648 3.5)") {
    CHECK(base64_decode("Zh==") == std::optional<std::string>("f"));
    CHECK(base64_decode("Zm9=") == std::optional<std::string>("fo"));
}

// ---------------------------------------------------------------- digests

TEST_CASE("hash: FIPS 180-2 vectors") {
    CHECK(digest_size(HashAlg::Sha1) == 20);
    CHECK(digest_size(HashAlg::Sha256) == 32);
    CHECK(hex(digest(HashAlg::Sha1, "abc")) == "a9993e364706816aba3e25717850c26c9cd0d89d");
    CHECK(hex(digest(HashAlg::Sha1, "")) == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    CHECK(hex(digest(HashAlg::Sha256, "abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(hex(digest(HashAlg::Sha256, "")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(hex(digest(HashAlg::Sha256, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("hash: one million 'a', fed incrementally in uneven pieces") {
    const std::string chunk(997, 'a');
    Hasher sha256(HashAlg::Sha256);
    Hasher sha1(HashAlg::Sha1);
    std::size_t left = 1000000;
    for (std::size_t piece = 1; left > 0; piece = piece % chunk.size() + 13) {
        std::size_t n = std::min({piece, left, chunk.size()});
        sha256.update(std::string_view(chunk).substr(0, n));
        sha1.update(std::string_view(chunk).substr(0, n));
        left -= n;
    }
    CHECK(sha256.alg() == HashAlg::Sha256);
    CHECK(hex(sha256.final()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    CHECK(hex(sha1.final()) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

TEST_CASE("hash: a moved Hasher keeps its state") {
    Hasher a(HashAlg::Sha256);
    a.update("ab");
    Hasher b(std::move(a));
    b.update("c");
    Hasher c(HashAlg::Sha1);
    c = std::move(b);
    CHECK(c.alg() == HashAlg::Sha256);
    CHECK(hex(c.final()) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// ---------------------------------------------------------------- Ed25519

TEST_CASE("ed25519: RFC 8032 7.1 TEST 1 key, from the seed file and from PKCS#8 PEM" * qauth::test::needs_testdata()) {
    const std::string kPublic = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
    PrivateKey from_seed = must(parse_private_key(slurp(kDkimData + "rfc8463-ed25519-seed.b64")));
    PrivateKey from_pem = must(parse_private_key(slurp(kDkimData + "rfc8463-ed25519-private.pem")));
    for (const PrivateKey* key : {&from_seed, &from_pem}) {
        CHECK(key->type() == KeyType::Ed25519);
        CHECK(key->bits() == 256);
        CHECK(base64_encode(key->public_key_bytes()) == kPublic);
    }
    // to_pem writes the PKCS#8 form openssl writes, byte for byte.
    CHECK(from_seed.to_pem() == slurp(kDkimData + "rfc8463-ed25519-private.pem"));
    CHECK(key_type_name(KeyType::Ed25519) == "ed25519");
}

TEST_CASE("ed25519: sign_digest is libsodium's Ed25519 over the digest bytes, deterministic, verifiable" * qauth::test::needs_testdata()) {
    PrivateKey key = must(parse_private_key(slurp(kDkimData + "rfc8463-ed25519-private.pem")));
    const std::string d = digest(HashAlg::Sha256, "DKIM header hash input");
    const std::string sig = must(key.sign_digest(HashAlg::Sha256, d));
    CHECK(sig.size() == 64);
    CHECK(must(key.sign_digest(HashAlg::Sha256, d)) == sig);

    // The same signature straight from libsodium with the RFC 8032 key.
    REQUIRE(sodium_init() >= 0);
    const std::string seed = ed25519_seed();
    unsigned char pk[32], sk[64], expected[64];
    crypto_sign_seed_keypair(pk, sk, reinterpret_cast<const unsigned char*>(seed.data()));
    crypto_sign_detached(expected, nullptr, reinterpret_cast<const unsigned char*>(d.data()), d.size(), sk);
    CHECK(sig == std::string(reinterpret_cast<char*>(expected), 64));

    PublicKey pub = must(parse_public_key(KeyType::Ed25519, b64d("11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=")));
    CHECK(pub.type() == KeyType::Ed25519);
    CHECK(pub.bits() == 256);
    CHECK(pub.verify_digest(HashAlg::Sha256, d, sig));

    std::string tampered = sig;
    tampered[10] ^= 0x01;
    CHECK_FALSE(pub.verify_digest(HashAlg::Sha256, d, tampered));
    CHECK_FALSE(pub.verify_digest(HashAlg::Sha256, digest(HashAlg::Sha256, "other"), sig));
    CHECK_FALSE(pub.verify_digest(HashAlg::Sha256, d, sig.substr(0, 63)));
    CHECK_FALSE(pub.verify_digest(HashAlg::Sha1, d.substr(0, 20), sig));
}

TEST_CASE("ed25519: only SHA-256 digests are signed (RFC 8463 3)" * qauth::test::needs_testdata()) {
    PrivateKey key = must(parse_private_key(slurp(kDkimData + "rfc8463-ed25519-seed.b64")));
    auto r = key.sign_digest(HashAlg::Sha1, digest(HashAlg::Sha1, "x"));
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().reason.find("SHA-256") != std::string::npos);
    CHECK_FALSE(key.sign_digest(HashAlg::Sha256, "short").has_value());
}

TEST_CASE("ed25519: p= must be the raw 32 bytes; an SPKI blob is refused" * qauth::test::needs_testdata()) {
    auto pem = pem_decode(slurp(kDkimData + "rfc8463-ed25519-public.pem"));
    REQUIRE(pem.has_value());
    auto spki = parse_public_key(KeyType::Ed25519, pem->der.view());
    REQUIRE_FALSE(spki.has_value());
    CHECK(spki.error().reason.find("SubjectPublicKeyInfo") != std::string::npos);
    CHECK_FALSE(parse_public_key(KeyType::Ed25519, std::string(31, 'x')).has_value());
    CHECK_FALSE(parse_public_key(KeyType::Ed25519, std::string(33, 'x')).has_value());
    CHECK_FALSE(parse_public_key(KeyType::Ed25519, "").has_value());
}

TEST_CASE("ed25519: PKCS#8 variants" * qauth::test::needs_testdata()) {
    const std::string seed = ed25519_seed();
    const std::string inner = tlv(0x04, seed);
    SUBCASE("v2 (RFC 5958) with attributes and publicKey is accepted") {
        std::string pub = std::string(1, '\0') + b64d("11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
        std::string der = pkcs8("\x01", kEdAlg, inner, tlv(0xa0, "") + tlv(0x81, pub));
        PrivateKey key = must(parse_private_key(pem_encode("PRIVATE KEY", der)));
        CHECK(base64_encode(key.public_key_bytes()) == "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
    }
    SUBCASE("parameters after id-Ed25519 are refused (RFC 8410 3)") {
        std::string alg = tlv(0x30, tlv(0x06, der::kOidEd25519) + kNullParams);
        CHECK_FALSE(parse_private_key(pem_encode("PRIVATE KEY", pkcs8(std::string(1, '\0'), alg, inner))).has_value());
    }
    SUBCASE("unknown version, wrong seed size, trailing data, unknown algorithm") {
        CHECK_FALSE(parse_private_key(pem_encode("PRIVATE KEY", pkcs8("\x02", kEdAlg, inner))).has_value());
        CHECK_FALSE(parse_private_key(pem_encode("PRIVATE KEY", pkcs8(std::string(1, '\0'), kEdAlg,
                                                                       tlv(0x04, seed.substr(1))))).has_value());
        CHECK_FALSE(parse_private_key(pem_encode("PRIVATE KEY", pkcs8(std::string(1, '\0'), kEdAlg, inner + "x")))
                        .has_value());
        CHECK_FALSE(parse_private_key(pem_encode("PRIVATE KEY", pkcs8(std::string(1, '\0'), kEdAlg, inner) + "x"))
                        .has_value());
        std::string x448 = tlv(0x30, tlv(0x06, "\x2b\x65\x71"));
        auto r = parse_private_key(pem_encode("PRIVATE KEY", pkcs8(std::string(1, '\0'), x448, inner)));
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().reason.find("neither rsaEncryption nor id-Ed25519") != std::string::npos);
    }
}

TEST_CASE("ed25519: generated keys round-trip through PEM and sign") {
    PrivateKey key = must(generate_private_key(KeyType::Ed25519, 0));
    CHECK(key.type() == KeyType::Ed25519);
    PrivateKey again = must(parse_private_key(key.to_pem()));
    CHECK(again.public_key_bytes() == key.public_key_bytes());
    const std::string d = digest(HashAlg::Sha256, "m");
    PublicKey pub = must(parse_public_key(KeyType::Ed25519, key.public_key_bytes()));
    CHECK(pub.verify_digest(HashAlg::Sha256, d, must(again.sign_digest(HashAlg::Sha256, d))));
    CHECK(must(generate_private_key(KeyType::Ed25519, 0)).public_key_bytes() != key.public_key_bytes());
}

// ---------------------------------------------------------------- RSA

TEST_CASE("rsa: the RFC 8463 key, PKCS#1 and PKCS#8, signs identically and matches its p=" * qauth::test::needs_testdata()) {
    const std::string pkcs1 = rsa_pkcs1_der();
    PrivateKey k1 = must(parse_private_key(slurp(kDkimData + "rfc8463-rsa-private.pem")));
    PrivateKey k8 = must(parse_private_key(pem_encode("PRIVATE KEY", pkcs8(std::string(1, '\0'), kRsaAlg, pkcs1))));
    CHECK(k1.type() == KeyType::Rsa);
    CHECK(k1.bits() == 1024);
    CHECK(key_type_name(KeyType::Rsa) == "rsa");

    const std::string p = b64d(zone_rsa_p());
    CHECK(k1.public_key_bytes() == p);
    CHECK(k8.public_key_bytes() == p);
    auto pub_pem = pem_decode(slurp(kDkimData + "rfc8463-rsa-public.pem"));
    REQUIRE(pub_pem.has_value());
    CHECK(pub_pem->der.view() == p);

    for (HashAlg alg : {HashAlg::Sha256, HashAlg::Sha1}) {
        const std::string d = digest(alg, "DKIM header hash input");
        const std::string s1 = must(k1.sign_digest(alg, d));
        CHECK(s1.size() == 128);
        CHECK(must(k8.sign_digest(alg, d)) == s1);  // PKCS#1 v1.5 is deterministic
        PublicKey pub = must(parse_public_key(KeyType::Rsa, p));
        CHECK(pub.verify_digest(alg, d, s1));
    }
    // to_pem writes what opendkim-genkey writes: PKCS#1, 64-column lines.
    CHECK(k8.to_pem() == slurp(kDkimData + "rfc8463-rsa-private.pem"));
}

TEST_CASE("rsa: the signature is RSASSA-PKCS1-v1_5 with the SHA-256 DigestInfo (RFC 8017 8.2.1, 9.2)" * qauth::test::needs_testdata()) {
    // Checked with the raw public operation, independently of RSA_verify:
    // s^e mod n must be 00 01 FF..FF 00 || DigestInfo || H.
    PrivateKey key = must(parse_private_key(slurp(kDkimData + "rfc8463-rsa-private.pem")));
    const std::string d = digest(HashAlg::Sha256, "abc");
    const std::string sig = must(key.sign_digest(HashAlg::Sha256, d));

    const std::string spki = b64d(zone_rsa_p());
    const std::string rsa_public = spki.substr(spki.size() - 140);  // the BIT STRING's RSAPublicKey
    const unsigned char* q = reinterpret_cast<const unsigned char*>(rsa_public.data());
    std::unique_ptr<RSA, decltype(&RSA_free)> rsa(d2i_RSAPublicKey(nullptr, &q, 140), RSA_free);
    REQUIRE(rsa);
    unsigned char em[128];
    REQUIRE(RSA_public_decrypt(128, reinterpret_cast<const unsigned char*>(sig.data()), em, rsa.get(),
                               RSA_NO_PADDING) == 128);
    // RFC 8017 9.2: 00 01 FF..FF 00 || DigestInfo(SHA-256) || H
    const std::string prefix("\x30\x31\x30\x0d\x06\x09\x60\x86\x48\x01\x65\x03\x04\x02\x01\x05\x00\x04\x20", 19);
    std::string expected = std::string("\x00\x01", 2) + std::string(128 - 3 - prefix.size() - 32, '\xff') +
                           std::string(1, '\0') + prefix + d;
    CHECK(std::string(reinterpret_cast<char*>(em), 128) == expected);
}

TEST_CASE("rsa: SPKI and bare RSAPublicKey parse to the same key" * qauth::test::needs_testdata()) {
    PrivateKey key = must(parse_private_key(slurp(kDkimData + "rfc8463-rsa-private.pem")));
    const std::string spki = b64d(zone_rsa_p());
    // SPKI = SEQUENCE { AlgorithmIdentifier, BIT STRING { 00, RSAPublicKey } }
    der::Reader outer(spki);
    auto contents = outer.read(der::kSequence, "spki");
    REQUIRE(contents.has_value());
    der::Reader r(*contents);
    REQUIRE(der::read_algorithm(r).has_value());
    auto bits = r.read(der::kBitString, "bits");
    REQUIRE(bits.has_value());
    const std::string bare(bits->substr(1));

    PublicKey a = must(parse_public_key(KeyType::Rsa, spki));
    PublicKey b = must(parse_public_key(KeyType::Rsa, bare));
    CHECK(a.bits() == 1024);
    CHECK(b.bits() == 1024);
    CHECK(a.type() == KeyType::Rsa);
    const std::string d = digest(HashAlg::Sha256, "x");
    const std::string sig = must(key.sign_digest(HashAlg::Sha256, d));
    CHECK(a.verify_digest(HashAlg::Sha256, d, sig));
    CHECK(b.verify_digest(HashAlg::Sha256, d, sig));

    std::string tampered = sig;
    tampered[0] ^= 0x40;
    CHECK_FALSE(a.verify_digest(HashAlg::Sha256, d, tampered));
    CHECK_FALSE(a.verify_digest(HashAlg::Sha256, digest(HashAlg::Sha256, "y"), sig));
    CHECK_FALSE(a.verify_digest(HashAlg::Sha1, digest(HashAlg::Sha1, "x"), sig));
    CHECK_FALSE(a.verify_digest(HashAlg::Sha256, d, sig.substr(1)));
    CHECK_FALSE(a.verify_digest(HashAlg::Sha256, d.substr(1), sig));

    CHECK_FALSE(parse_public_key(KeyType::Rsa, bare + "x").has_value());
    CHECK_FALSE(parse_public_key(KeyType::Rsa, spki + std::string(1, '\0')).has_value());
}

TEST_CASE("rsa: other SPKI algorithms and odd encodings are refused" * qauth::test::needs_testdata()) {
    auto ed = pem_decode(slurp(kDkimData + "rfc8463-ed25519-public.pem"));
    REQUIRE(ed.has_value());
    auto r = parse_public_key(KeyType::Rsa, ed->der.view());
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().reason.find("Ed25519") != std::string::npos);

    const std::string spki = b64d(zone_rsa_p());
    std::string unused_bits = spki;
    unused_bits[spki.size() - 141] = '\x01';  // the BIT STRING's unused-bits byte
    CHECK_FALSE(parse_public_key(KeyType::Rsa, unused_bits).has_value());
}

TEST_CASE("rsa: key size bounds") {
    SUBCASE("generation outside 1024..8192 is refused before any work") {
        auto small = generate_private_key(KeyType::Rsa, 1023);
        REQUIRE_FALSE(small.has_value());
        CHECK(small.error().reason.find("1023 bits") != std::string::npos);
        CHECK_FALSE(generate_private_key(KeyType::Rsa, 8193).has_value());
    }
    SUBCASE("a 512-bit private key is refused") {
        auto r = parse_private_key(openssl_rsa_pem(512));
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().reason.find("512 bits refused") != std::string::npos);
    }
    SUBCASE("public keys: 8192 bits accepted, 8200 refused") {
        CHECK(must(parse_public_key(KeyType::Rsa, fake_rsa_public_der(8192))).bits() == 8192);
        CHECK_FALSE(parse_public_key(KeyType::Rsa, fake_rsa_public_der(8200)).has_value());
        CHECK(must(parse_public_key(KeyType::Rsa, fake_rsa_public_der(512))).bits() == 512);  // policy is the caller's
    }
}

TEST_CASE("rsa: a generated key round-trips and verifies") {
    PrivateKey key = must(generate_private_key(KeyType::Rsa, 1024));
    CHECK(key.bits() == 1024);
    const std::string pem = key.to_pem();
    CHECK(pem.starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
    PrivateKey again = must(parse_private_key(pem));
    CHECK(again.public_key_bytes() == key.public_key_bytes());
    PublicKey pub = must(parse_public_key(KeyType::Rsa, key.public_key_bytes()));
    const std::string d = digest(HashAlg::Sha256, "m");
    CHECK(pub.verify_digest(HashAlg::Sha256, d, must(again.sign_digest(HashAlg::Sha256, d))));
    CHECK_FALSE(key.sign_digest(HashAlg::Sha256, d.substr(0, 20)).has_value());
}

// ---------------------------------------------------------------- key files and formats

TEST_CASE("key file: world-readable keys are refused, naming the file and mode" * qauth::test::needs_testdata()) {
    const std::string pem = slurp(kDkimData + "rfc8463-rsa-private.pem");
    {
        TempFile f(pem, 0644);
        auto r = load_private_key(f.path);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().reason.find(f.path) == 0);
        CHECK(r.error().reason.find("0644") != std::string::npos);
    }
    for (mode_t ok_mode : {0600, 0640, 0400}) {
        TempFile f(pem, ok_mode);
        CHECK(must(load_private_key(f.path)).bits() == 1024);
    }
    {
        TempFile f("not a key\n", 0600);
        auto r = load_private_key(f.path);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().reason.find(f.path + ": ") == 0);
    }
    auto missing = load_private_key("/nonexistent/qauth/key");
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().reason.find("/nonexistent/qauth/key: ") == 0);
    CHECK_FALSE(load_private_key("/tmp").has_value());
}

TEST_CASE("key formats: CRLF line ends and text around the PEM block are accepted" * qauth::test::needs_testdata()) {
    std::string pem = slurp(kDkimData + "rfc8463-rsa-private.pem");
    std::string crlf;
    for (char c : pem) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    CHECK(must(parse_private_key(crlf)).bits() == 1024);
    CHECK(must(parse_private_key("# made for test.football.example.com\n" + pem + "trailing\n")).bits() == 1024);
    CHECK(must(parse_private_key("  nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=\r\n")).type() == KeyType::Ed25519);
}

TEST_CASE("key formats: encrypted, unknown and malformed PEM are refused with a reason") {
    auto enc = parse_private_key(
        "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n"
        "AAAA\n-----END RSA PRIVATE KEY-----\n");
    REQUIRE_FALSE(enc.has_value());
    CHECK(enc.error().reason.find("encrypted") != std::string::npos);
    auto enc8 = parse_private_key("-----BEGIN ENCRYPTED PRIVATE KEY-----\nMAA=\n-----END ENCRYPTED PRIVATE KEY-----\n");
    REQUIRE_FALSE(enc8.has_value());
    CHECK(enc8.error().reason.find("decrypted") != std::string::npos);
    auto ec = parse_private_key("-----BEGIN EC PRIVATE KEY-----\nMAA=\n-----END EC PRIVATE KEY-----\n");
    REQUIRE_FALSE(ec.has_value());
    CHECK(ec.error().reason.find("EC PRIVATE KEY") != std::string::npos);

    for (const char* bad : {"", "\n", "-----BEGIN RSA PRIVATE KEY-----\nMAA=\n",
                            "-----BEGIN RSA PRIVATE KEY-----\nMA!=\n-----END RSA PRIVATE KEY-----\n",
                            "-----BEGIN RSA PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n",
                            "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n", "-----BEGIN \n",
                            "Zm9vYmFy", "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_private_key(bad).has_value());
    }
}

TEST_CASE("key formats: truncated and corrupted DER never crash" * qauth::test::needs_testdata()) {
    const std::string pkcs1 = rsa_pkcs1_der();
    const std::string p8rsa = pkcs8(std::string(1, '\0'), kRsaAlg, pkcs1);
    const std::string p8ed = pkcs8(std::string(1, '\0'), kEdAlg, tlv(0x04, ed25519_seed()));
    const std::string spki = b64d(zone_rsa_p());

    for (std::size_t n = 0; n < pkcs1.size(); ++n) {
        CHECK_FALSE(parse_private_key(pem_encode("RSA PRIVATE KEY", pkcs1.substr(0, n))).has_value());
        CHECK_FALSE(parse_private_key(pem_encode("PRIVATE KEY", p8rsa.substr(0, n))).has_value());
    }
    for (std::size_t n = 0; n < p8ed.size(); ++n)
        CHECK_FALSE(parse_private_key(pem_encode("PRIVATE KEY", p8ed.substr(0, n))).has_value());
    for (std::size_t n = 0; n < spki.size(); ++n) CHECK_FALSE(parse_public_key(KeyType::Rsa, spki.substr(0, n)).has_value());

    // Random corruption: any outcome but a crash (run under ASan by make check-asan).
    Lcg rng;
    const std::string d = digest(HashAlg::Sha256, "x");
    for (int i = 0; i < 2000; ++i) {
        const std::string& base = i % 3 == 0 ? pkcs1 : i % 3 == 1 ? p8rsa : p8ed;
        std::string der = base;
        for (unsigned flips = rng.next() % 4 + 1; flips > 0; --flips)
            der[rng.next() % der.size()] = static_cast<char>(rng.next());
        auto key = parse_private_key(pem_encode(i % 3 == 0 ? "RSA PRIVATE KEY" : "PRIVATE KEY", der));
        if (key) (void)key->public_key_bytes();

        std::string pub = spki;
        pub[rng.next() % pub.size()] = static_cast<char>(rng.next());
        if (auto k = parse_public_key(KeyType::Rsa, pub)) (void)k->verify_digest(HashAlg::Sha256, d, std::string(128, 'x'));
    }
    std::string noise;
    for (int i = 0; i < 300; ++i) {
        noise += static_cast<char>(rng.next());
        CHECK_FALSE(parse_public_key(KeyType::Rsa, noise).has_value());
        (void)parse_private_key(pem_encode("PRIVATE KEY", noise));
    }
    // Lengths that point past the end, indefinite and oversized lengths.
    for (const char* bad : {"\x30\x84\xff\xff\xff\xff", "\x30\x80\x00\x00", "\x30\x85\x01\x00\x00\x00\x00",
                            "\x30\x81\x05\x02\x01\x00", "\x30\x81\x7f"}) {
        CHECK_FALSE(parse_public_key(KeyType::Rsa, bad).has_value());
        CHECK_FALSE(parse_private_key(pem_encode("PRIVATE KEY", bad)).has_value());
    }
    CHECK_FALSE(parse_public_key(KeyType::Rsa, std::string(5000, '\x30')).has_value());
}

TEST_CASE("key_type_from_name: the names key_type_name gives, nothing else") {
    CHECK(key_type_from_name("rsa") == KeyType::Rsa);
    CHECK(key_type_from_name("ed25519") == KeyType::Ed25519);
    CHECK_FALSE(key_type_from_name("RSA").has_value());
    CHECK_FALSE(key_type_from_name("").has_value());
}
