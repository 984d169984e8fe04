// Authentication-Results header fields (RFC 8601): writing ours, finding
// the ones that carry our authserv-id, and dropping forged ones (DESIGN §7).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mail/header.hpp"

namespace qauth::authres {

/// One ptype.property=value item, e.g. {"header.d", "example.com"}.
struct Property {
    std::string name;
    std::string value;
};

/// One resinfo: method=result, an optional reason, and properties. Each
/// protocol has its own result words (dkim/result.hpp, RFC 8601 §2.7); the
/// entries are made from its outputs (authres/dkim.hpp).
struct MethodResult {
    std::string method;  ///< "dkim", "spf", "dmarc"
    std::string result;  ///< the result word: "pass", "temperror", ...
    std::string reason;  ///< reason="..." when non-empty (RFC 8601 §2.2)
    std::vector<Property> properties;
    /// A comment written after method=result when non-empty, e.g. DMARC's
    /// "p=reject dis=none" as "(p=reject dis=none)"; cleaned like values.
    /// Not read back by parse_results() (comments are CFWS).
    std::string comment = {};
};

/// A whole Authentication-Results field for `authserv_id` listing `results`
/// (or "none" when empty), folded at 78 columns, lines ended with `eol`.
/// Values are cleaned of control characters and quoted where RFC 8601 §2.2
/// (a value that is not a token or an address) requires it.
std::string format(std::string_view authserv_id, const std::vector<MethodResult>& results, std::string_view eol);

/// True when `id` can stand as an authserv-id token (RFC 8601 §2.2, RFC 2045
/// token): 1 to 255 printable ASCII characters, none of SP and tspecials
/// other than '.', '-' and '_' which are token characters anyway.
bool valid_authserv_id(std::string_view id);

/// The authserv-id of an Authentication-Results field (RFC 8601 §2.2), or
/// nullopt when the field does not parse.
std::optional<std::string> authserv_id_of(const mail::HeaderField& field);

/// True when `field` is an Authentication-Results field with `authserv_id`
/// (compared ignoring case and a trailing dot).
bool is_ours(const mail::HeaderField& field, std::string_view authserv_id);

/// Number of fields at the top of `header` written by our own filters in this
/// pass: the leading run of Authentication-Results fields carrying our
/// authserv-id and Received-SPF fields, which every qauth filter prepends.
/// Everything below arrived with the message.
std::size_t own_block(const mail::Header& header, std::string_view authserv_id);

/// Removes Authentication-Results fields carrying `authserv_id` that lie
/// below own_block(): they arrived from outside and are forged (RFC 8601 §5).
/// Returns how many were removed.
std::size_t remove_forged(mail::Header& header, std::string_view authserv_id);

}  // namespace qauth::authres
