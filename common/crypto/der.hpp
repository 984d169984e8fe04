// A minimal DER reader (ITU-T X.690 §8, §10): enough to walk PKCS#8
// PrivateKeyInfo (RFC 5208, RFC 5958) and SubjectPublicKeyInfo (RFC 5280
// §4.1.2.7) without OpenSSL's generic decoders. Definite, minimal lengths
// only; every read is bounded by the enclosing element.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "util/result.hpp"

namespace qauth::crypto::der {

inline constexpr std::uint8_t kInteger = 0x02;
inline constexpr std::uint8_t kBitString = 0x03;
inline constexpr std::uint8_t kOctetString = 0x04;
inline constexpr std::uint8_t kOid = 0x06;
inline constexpr std::uint8_t kSequence = 0x30;

/// OID contents (without tag and length) of rsaEncryption, 1.2.840.113549.1.1.1
/// (RFC 8017 Appendix C), and of id-Ed25519, 1.3.101.112 (RFC 8410 §3).
inline constexpr std::string_view kOidRsaEncryption{"\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01", 9};
inline constexpr std::string_view kOidEd25519{"\x2b\x65\x70", 3};

/// Reads consecutive elements from a DER byte string.
class Reader {
public:
    explicit Reader(std::string_view der) : rest_(der) {}

    bool empty() const { return rest_.empty(); }
    /// The tag of the next element, nullopt at the end.
    std::optional<std::uint8_t> peek() const;
    /// Reads the next element, which must carry `tag`, and returns its
    /// contents. `what` names the element in the error.
    Result<std::string_view> read(std::uint8_t tag, std::string_view what);

private:
    std::string_view rest_;
};

/// AlgorithmIdentifier (RFC 5280 §4.1.1.2): the OID contents and the whole
/// parameters element (tag and length included), empty when absent.
struct AlgorithmIdentifier {
    std::string_view oid;
    std::string_view params;
};

/// Reads an AlgorithmIdentifier SEQUENCE from `r`.
Result<AlgorithmIdentifier> read_algorithm(Reader& r);

/// True when `params` is absent or the DER NULL that RFC 8017 Appendix C
/// puts after rsaEncryption.
bool null_or_absent(std::string_view params);

}  // namespace qauth::crypto::der
