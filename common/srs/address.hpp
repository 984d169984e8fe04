// Envelope addresses as srsfilter takes and gives them: the null sender,
// a local part (dot-atom, quoted-string, or raw as qmail stores it) and a
// domain split at the last '@', and the one way they are written back.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace qauth::srs {

/// Longest address taken or made: RFC 5321 4.5.3.1.3's path of 256 octets
/// less its angle brackets. (Its 64-octet local part limit is not applied:
/// SRS local parts exceed it by design, and receivers accept them.)
inline constexpr std::size_t kMaxAddress = 254;

/// True for the null sender in the forms qmail and SMTP use: "" (qmail's
/// $SENDER), "<>" and "#@[]" (qmail's bounce sender for double bounces).
bool is_null_sender(std::string_view address);

/// An address split into its parts. `local` is raw: a quoted-string's
/// quotes and backslashes removed (RFC 5321 4.1.2), the form qmail keeps
/// in the envelope and the SRS hash covers.
struct MailAddress {
    std::string local;
    std::string domain;
};

/// True when `domain` is a domain name under dns::NameRules::Mail (labels of
/// letters, digits, '-' and '_', not starting or ending with '-', no empty
/// label; one trailing dot allowed; 8-bit bytes count as letters, for UTF-8
/// names, RFC 6531 3.3) or a well-formed address literal (RFC 5321 4.1.3:
/// "[IPv4]", "[IPv6:...]", "[tag:text]" without '=', space or '\').
bool domain_ok(std::string_view domain);

/// Splits `text` at its last '@' (a quoted local part may hold '@'s).
/// Refuses (reason without a status code): more than kMaxAddress octets;
/// a control character (NUL, CR, LF, DEL...); no '@'; an empty local part;
/// an unterminated quoted-string or one not followed by '@'; a domain that
/// domain_ok() refuses ('=' is never in one: SRS splits its fields at '=').
Result<MailAddress> parse_address(std::string_view text);

/// `local@domain`, the local part as a dot-atom when it is one (RFC 5321
/// 4.1.2), else as a quoted-string with '"' and '\' escaped: so a quoted
/// original stays a valid address once rewritten and reversed.
std::string format_address(std::string_view local, std::string_view domain);

}  // namespace qauth::srs
