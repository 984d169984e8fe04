// Base64 (RFC 4648 §4) as DKIM uses it: b=, bh= and p= values may carry
// folding whitespace (RFC 6376 §3.5, §3.6.1), which the decoder skips.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace qauth::crypto {

/// Encodes `bytes` with padding, no line breaks.
std::string base64_encode(std::string_view bytes);

/// Decodes `text`, skipping SP, HTAB, CR and LF anywhere. Returns nullopt on
/// any other character outside the alphabet, on bad padding, or on a length
/// that is not a whole number of quanta after whitespace is removed.
/// Non-zero pad bits in the last quantum are accepted (RFC 4648 §3.5 allows
/// it; dkimpy and OpenSSL do too).
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace qauth::crypto
