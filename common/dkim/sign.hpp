// DKIM signing (RFC 6376 §5, RFC 8463): one or more signatures made in one
// pass over the body.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/keys.hpp"
#include "dkim/canon.hpp"
#include "mail/header.hpp"
#include "util/result.hpp"

namespace qauth::dkim {

/// What one signature is made with.
struct SignParams {
    std::string domain;                   ///< d=
    std::string selector;                 ///< s=
    const crypto::PrivateKey* key = nullptr;  ///< decides a= (rsa-sha256 or ed25519-sha256)
    Canon header_canon = Canon::Relaxed;
    Canon body_canon = Canon::Relaxed;
    std::vector<std::string> headers;     ///< h= names; empty = default_signed_headers()
    std::optional<std::string> identity;  ///< i=
    std::optional<std::uint64_t> expire_after;  ///< x= = t= + this many seconds
    bool body_length = false;             ///< add l= with the whole body's length
    std::uint64_t now = 0;                ///< t=, Unix seconds
};

/// The h= list we sign by default (RFC 6376 §5.4.1's recommended fields plus
/// Message-ID and the MIME fields): every instance present, in header
/// order, and From once more than it occurs, so that no From can be added
/// without breaking the signature (§8.15 oversigning).
std::vector<std::string> default_signed_headers(const mail::Header& header);

/// Signs the header part (§3.7): hashes the fields `names` and the
/// DKIM-Signature field `sig_field` (complete, ending "b="), and signs the
/// digest with `key`. Returns the b= value in base64.
Result<std::string> sign_header(const mail::Header& header, const std::vector<std::string>& names, Canon canon,
                                std::string_view sig_field, const crypto::PrivateKey& key);

class Signer {
public:
    explicit Signer(std::vector<SignParams> params);
    ~Signer();

    /// Feeds body bytes (any chunking).
    void body(std::string_view chunk);
    /// Ends the body and makes the DKIM-Signature fields, in the order of the
    /// params, each folded at 78 columns with `eol` line ends.
    Result<std::vector<std::string>> finish(const mail::Header& header, std::string_view eol);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace qauth::dkim
