// The SRS hash (Mail::SRS hash_create and hash_verify, libsrs2
// srs_hash_create and srs_hash_check): HMAC-SHA1 keyed with a secret over
// the lower-cased fields concatenated without separators, standard base64
// (RFC 4648 §4), its first `length` characters.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

#include "crypto/secret.hpp"

namespace qauth::srs {

/// Characters of an unpadded base64 HMAC-SHA1: the longest hash (27).
inline constexpr std::size_t kMaxHashLength = 27;

/// The hash of `fields` (SRS0: timestamp, host, local part; SRS1: hop host,
/// rest) under `secret`, `length` characters (1 to kMaxHashLength). Fields
/// are lower-cased in ASCII only, as Perl's lc on the byte strings
/// Mail::SRS is given.
std::string hash_create(std::string_view secret, std::initializer_list<std::string_view> fields, std::size_t length);

/// True when `hash` is at least `hashmin` characters and equals the first
/// hash.size() characters of the hash under one of `secrets` (the first
/// signs, the others are old ones still accepted), exactly or, failing that,
/// ignoring ASCII case (someone smashed the case of the local part on the
/// way; Mail::SRS warns and accepts). The comparisons take the same time
/// wherever the bytes differ (CRYPTO_memcmp), and every secret is tried.
bool hash_verify(std::string_view hash, std::span<const crypto::SecretString> secrets,
                 std::initializer_list<std::string_view> fields, std::size_t hashmin);

}  // namespace qauth::srs
