// SPF macros (RFC 7208 §7): the syntax check the record parser applies to
// every domain-spec and modifier value, and the expansion the evaluator
// applies to domain-specs and to explanation text.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "dns/address.hpp"
#include "util/result.hpp"

namespace qauth::spf {

/// Where a macro-string appears, which decides the letters it may use and
/// what is done with the expansion (RFC 7208 §7.1, §7.3).
enum class MacroUse {
    /// A domain-spec (mechanism argument, redirect=, exp=): no c, r, t
    /// letters, no spaces; the expansion is cut to 253 octets from the left.
    DomainSpec,
    /// The explanation TXT text (explain-string, §6.2): every letter and SP.
    /// Unknown-modifier values are checked this way too: any macro-letter is
    /// valid syntax there, and they are never expanded.
    Explanation,
};

/// What the macro letters expand to (RFC 7208 §7.3). The caller prepares the
/// values: local-part "postmaster" when the sender has none (§4.3), the
/// client already unmapped from ::ffff:a.b.c.d (§5).
struct MacroContext {
    std::string sender_local;   ///< l (and s = l "@" o)
    std::string sender_domain;  ///< o
    std::string domain;         ///< d: the <domain> of the current check_host()
    dns::IpAddress client;      ///< i, c, v
    std::string helo;           ///< h: HELO/EHLO domain
    std::string receiver;       ///< r: our host name; empty expands to "unknown"
    std::int64_t timestamp = 0; ///< t: seconds since the epoch
    /// p: the validated domain name of the client (§5.5); the evaluator does
    /// the DNS work and returns "unknown" when none validates. Not set: "unknown".
    std::function<std::string()> validated_name;
};

/// Checks `text` against the macro-string ABNF of RFC 7208 §7.1 (and, for
/// a domain-spec, the §7.3 rule that c, r and t are for exp text only)
/// without expanding it. Returns the literal tail: the text after the last
/// macro-expand ("%{...}", "%%", "%_", "%-"), which is all of `text` when it
/// has no macros, so the record parser can check the domain-end rule.
/// Errors cite the rule ("RFC 7208 7.1: '%' followed by '('").
Result<std::string_view> check_macro_string(std::string_view text, MacroUse use);

/// Expands `text` (RFC 7208 §7.3): each macro letter's value is split at its
/// delimiters (default "."), reversed for "r", cut to the rightmost N parts
/// for a digit transformer, joined with "."; an upper-case letter's value is
/// then URL-escaped (all but RFC 3986 unreserved characters); "%%" is "%",
/// "%_" a space, "%-" "%20". "i" of an IPv6 client is its 32 nibbles,
/// dot-separated (lower-case hex in a domain-spec, upper-case in explanation
/// text, as pyspf writes it); "c" is its RFC 5952 text. For a DomainSpec, an expansion longer than 253
/// octets (a trailing dot not counted) loses labels from the left until it
/// fits. Errors are the check_macro_string() ones (a permerror, §7.1) and an
/// expansion over 64 KiB.
Result<std::string> expand(std::string_view text, const MacroContext& ctx, MacroUse use);

}  // namespace qauth::spf
