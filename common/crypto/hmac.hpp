// HMAC-SHA1 (RFC 2104) for SRS hashes (common/srs/hash).
#pragma once

#include <string>
#include <string_view>

namespace qauth::crypto {

/// HMAC-SHA1 of `data` keyed with `key` (any length; keys over 64 bytes are
/// hashed first, RFC 2104 §3). Returns the 20-byte MAC; the same bytes as
/// OpenSSL's HMAC(EVP_sha1(), ...) (tests/unit/test_srs.cpp checks it).
/// Never fails.
std::string hmac_sha1(std::string_view key, std::string_view data);

}  // namespace qauth::crypto
