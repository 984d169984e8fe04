// PEM armour for keys (RFC 7468): the textual encoding OpenSSL, opendkim-genkey
// and dkimpy write private keys in.
#pragma once

#include <string>
#include <string_view>

#include "crypto/secret.hpp"
#include "util/result.hpp"

namespace qauth::crypto {

/// One decoded PEM block: its label ("RSA PRIVATE KEY", "PRIVATE KEY", ...)
/// and the DER it carries, wiped on destruction.
struct PemBlock {
    std::string label;
    SecretString der;
};

/// True when `text` contains a PEM pre-encapsulation boundary.
bool looks_like_pem(std::string_view text);

/// Decodes the first PEM block in `text` (RFC 7468 §2; lax about whitespace
/// inside the base64 as §3 allows). Refuses a block with RFC 1421
/// encapsulated headers: in a key file those mean legacy encryption
/// ("Proc-Type: 4,ENCRYPTED"), which is reported as such.
Result<PemBlock> pem_decode(std::string_view text);

/// Armours `der` under `label`, in 64-character lines (RFC 7468 §2).
std::string pem_encode(std::string_view label, std::string_view der);

}  // namespace qauth::crypto
