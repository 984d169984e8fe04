// Small string helpers shared by the parsers: the one home of ASCII case
// folding, folding-whitespace trimming and the sanitiser for text that goes
// into a header field or a diagnostic line.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace qauth {

/// Splits `text` at every `sep`; empty pieces are kept ("a::b" -> a, "", b).
std::vector<std::string> split(std::string_view text, char sep);

/// ASCII lower case of one byte; every other byte as it is (no locale).
constexpr char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c; }

/// ASCII lower-case copy.
std::string lower(std::string_view text);

/// ASCII case-insensitive equality (header field names, DNS names: RFC 5322
/// §1.2.2, RFC 4343 §3); bytes outside A-Z/a-z must be equal.
bool iequals(std::string_view a, std::string_view b);

/// Folding whitespace as the DKIM and DMARC tag lists and RFC 5322 header
/// values see it: SP, HTAB, CR, LF (RFC 6376 §2.8, RFC 5322 §3.2.2).
constexpr bool is_fws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/// `text` without leading and trailing is_fws() bytes.
std::string_view trim_fws(std::string_view text);

/// `text` with every is_fws() byte removed (base64 values, h= lists).
std::string strip_fws(std::string_view text);

/// The one sanitiser for text taken from DNS, a message or a control file
/// before it goes into a header field we write or a diagnostic line
/// (DESIGN §2): TAB, CR and LF become a space, runs of spaces one space,
/// leading and trailing spaces are dropped; every other control byte, DEL and
/// every 8-bit byte is written as "\xNN" (two lower-case hex digits), so that
/// "ex\xc3\xa4mple.com" never shows as the different, valid-looking
/// "exmple.com". The result is printable ASCII of at most `max` bytes (an
/// escape is never cut); a longer text ends in "..." so that it cannot pass
/// for a shorter valid name either. Applying it twice changes nothing more,
/// and a caller that puts the result into a quoted-string must still quote
/// '"' and '\' (authres does).
std::string printable(std::string_view text, std::size_t max = 200);

/// `raw` as an RFC 5322 §3.2.4 quoted-string: printable(raw, max) between
/// DQUOTEs, with '"' and '\' escaped as quoted-pairs. For values of header
/// fields we write (RFC 8601 §2.2 pvalues, RFC 7208 §9.1 key-value pairs).
std::string quoted_string(std::string_view raw, std::size_t max = 200);

/// `raw` as the text of an RFC 5322 §3.2.2 comment (without the
/// parentheses): printable(raw), with '(', ')' and '\' escaped as
/// quoted-pairs.
std::string comment_text(std::string_view raw);

}  // namespace qauth
