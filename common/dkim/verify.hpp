// DKIM verification of every signature of a message (RFC 6376 §6, RFC 8301,
// RFC 8463), fed as the message streams by.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dkim/result.hpp"
#include "dns/resolver.hpp"
#include "mail/header.hpp"

namespace qauth::dkim {

struct VerifyOptions {
    std::uint64_t now = 0;               ///< Unix seconds, for x= and t=
    bool allow_sha1 = false;             ///< RFC 8301 §3.1: rsa-sha1 does not pass unless allowed
    std::size_t max_signatures = 10;     ///< signatures past this many (from the top) are ignored
    std::size_t min_rsa_bits = 1024;     ///< RFC 8301 §3.2
};

class Verifier {
public:
    Verifier(dns::Resolver& resolver, VerifyOptions options);
    ~Verifier();

    /// Parses the DKIM-Signature fields of `header` and computes their header
    /// hashes, so the header may be changed afterwards. Returns the number of
    /// signatures that will be evaluated.
    std::size_t begin(const mail::Header& header);
    /// Feeds body bytes (any chunking).
    void body(std::string_view chunk);
    /// Ends the body, fetches the keys and returns one result per signature,
    /// top to bottom. While the header has more than one From field no
    /// signature passes: a would-be pass is reported as policy (RFC 8601
    /// §2.7.1) with Failure::SeveralFrom, since the From a reader sees need
    /// not be the one signed (RFC 5322 §3.6 allows one).
    std::vector<SignatureResult> finish();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace qauth::dkim
