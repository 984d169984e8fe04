// DKIM key records published in DNS (RFC 6376 §3.6.1, RFC 8463 §4).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "crypto/hash.hpp"
#include "crypto/keys.hpp"
#include "util/result.hpp"

namespace qauth::dkim {

/// A parsed key record.
struct KeyRecord {
    crypto::KeyType type = crypto::KeyType::Rsa;  ///< k=, default rsa
    std::vector<crypto::HashAlg> hashes;          ///< h=; empty means any
    std::string public_key;                       ///< p= decoded; empty = revoked
    bool testing = false;                         ///< t=y
    bool strict = false;                          ///< t=s: i= domain must equal d=
};

/// Parses a key record's TXT text (strings already joined). Errors, each a
/// PERMFAIL reason (§6.1.2): bad tag list, v= other than DKIM1, missing p=,
/// unknown k=, s= not allowing email, bad base64 in p=. Unknown tags and
/// unknown h= and t= words are ignored (§3.6.1).
Result<KeyRecord> parse_key_record(std::string_view text);

/// True when the record's h= allows `alg` (or has no h=).
bool key_allows_hash(const KeyRecord& key, crypto::HashAlg alg);

/// The DNS name of a key: SELECTOR._domainkey.DOMAIN (§3.6.2.1).
std::string key_query_name(std::string_view selector, std::string_view domain);

}  // namespace qauth::dkim
