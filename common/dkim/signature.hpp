// The DKIM-Signature header field (RFC 6376 §3.5) and its validation rules
// (§6.1.1).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/hash.hpp"
#include "crypto/keys.hpp"
#include "dkim/canon.hpp"
#include "util/result.hpp"

namespace qauth::dkim {

/// The a= tag: key type and hash (RFC 6376 §3.3, RFC 8463 §3).
struct Algorithm {
    crypto::KeyType key = crypto::KeyType::Rsa;
    crypto::HashAlg hash = crypto::HashAlg::Sha256;
};

/// "rsa-sha256", "rsa-sha1" or "ed25519-sha256".
std::string algorithm_name(Algorithm a);
/// Parses an a= value; an error for anything else.
Result<Algorithm> parse_algorithm(std::string_view text);

/// The most names an h= may list: real signatures name a few dozen fields,
/// and the bound keeps a hostile h= cheap. The signer keeps within it too.
inline constexpr std::size_t kMaxSignedFields = 1000;

/// A parsed DKIM-Signature (RFC 6376 §3.5).
struct Signature {
    Algorithm algorithm;
    std::string signature;    ///< b=, decoded
    std::string b_text;       ///< b= as written, FWS removed (for header.b)
    std::string body_hash;    ///< bh=, decoded
    Canon header_canon = Canon::Simple;
    Canon body_canon = Canon::Simple;
    std::string domain;       ///< d=, as written
    std::vector<std::string> headers;  ///< h=, names as written
    std::string identity;     ///< i= decoded, or "@" + d when absent
    bool identity_given = false;
    std::optional<std::uint64_t> length;      ///< l=
    std::string selector;     ///< s=
    std::optional<std::uint64_t> timestamp;   ///< t=
    std::optional<std::uint64_t> expiration;  ///< x=
};

/// Parses and checks the value of a DKIM-Signature field (§3.5, §6.1.1):
/// required tags v a b bh d h s; v=1; known algorithm and canonicalization;
/// h= containing From; i= inside d=; q= listing dns/txt; x= after t=.
/// d= and s= must be names under dns::NameRules::Mail (dns/domain.hpp), the
/// i= domain within d= (dns::Domain::within).
/// Errors cite the rule; every error means PERMFAIL for this signature.
/// Time checks (expiry) are the verifier's: see check_expiry().
Result<Signature> parse_signature(std::string_view value);

/// RFC 6376 §3.5 x=: fails when the signature expired before `now` (Unix
/// seconds). A t= in the future is accepted: §3.5 only says verifiers MAY
/// ignore such signatures, and clocks of real senders drift by hours.
Result<void> check_expiry(const Signature& sig, std::uint64_t now);

/// Decodes DKIM-quoted-printable (§2.11): "=XX" hex escapes, FWS removed.
std::optional<std::string> decode_dkim_qp(std::string_view text);

/// Encodes `text` as DKIM-quoted-printable (§2.11): every byte outside
/// %x21-3A / %x3C / %x3E-7E (that is ';', '=', space, controls, 8-bit) as =XX.
std::string encode_dkim_qp(std::string_view text);

}  // namespace qauth::dkim
