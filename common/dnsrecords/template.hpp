// control/dnstemplate: the TXT records a domain should publish beside its
// DKIM keys (qauth-dnsrecords), one RFC 1035 master-file line per record,
// with the placeholders <domain> and <ip>.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "qmail/control.hpp"
#include "util/result.hpp"

namespace qauth::dnsrecords {

/// The panel's default template: the SPF record that lets the domain's A and
/// MX hosts send and nobody else (RFC 7208 §5.3, §5.4, §5.1).
inline constexpr std::string_view kDefaultTemplate = "<domain>. TXT \"v=spf1 +a +mx -all\"\n";

/// Bounds of the template: a few lines in practice; past them it is refused.
constexpr std::size_t kMaxTemplateSize = 64 * 1024;
constexpr std::size_t kMaxTemplateRecords = 100;
/// One record's text, strings joined: far above any SPF record that stays
/// under the DNS-lookup limits, well under a 64 KiB RRset.
constexpr std::size_t kMaxTxtText = 8 * 1024;

/// One TXT record: the owner name, lower-case and absolute without the
/// trailing dot, and its character-strings joined (RFC 7208 §3.3).
struct TxtRecord {
    std::string name;
    std::string text;
    friend bool operator==(const TxtRecord&, const TxtRecord&) = default;
};

/// The template text: control/dnstemplate, or kDefaultTemplate when the file
/// does not exist. Errors name the file: unreadable, not a regular file,
/// larger than kMaxTemplateSize.
Result<std::string> read_template(const qmail::ControlDir& control);

/// The records of template `text` for `domain` (already checked, lower-case).
///
/// Each line is "OWNER [TTL] [IN] TXT STRING..." (RFC 1035 §5.1): STRING is a
/// quoted character-string with \" \\ and \DDD escapes, several of them are
/// joined, and "( ... )" on the same line is allowed. Lines that are empty
/// or start with ';' or '#' are comments, and ';' after the strings starts
/// one. OWNER "@" is the domain, a name
/// ending in '.' is absolute, any other is relative to the domain; it must
/// be the domain or a name under it. Before a line is read, "<domain>"
/// becomes `domain` and "<ip>" becomes `ip`.
///
/// Errors name `source` and the line: a NUL, CR or other control byte (TAB
/// excepted), "<ip>" without `ip`, any other "<...>" placeholder, a type
/// other than TXT, a bad owner name, a bad or unterminated string, a text
/// over kMaxTxtText, more than kMaxTemplateRecords records, and a v=spf1 or
/// v=DMARC1 text that does not parse (RFC 7208 §4.6, RFC 7489 §6.3): a
/// broken template is a configuration error, never a record to publish.
Result<std::vector<TxtRecord>> expand_template(std::string_view text, std::string_view domain,
                                               const std::optional<std::string>& ip, std::string_view source);

}  // namespace qauth::dnsrecords
