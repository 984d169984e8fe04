// RFC 5322 header fields as they arrived, with the views DKIM and the
// Authentication-Results reader need.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace qauth::mail {

/// The line-end convention of a message: qmail stores LF; SMTP carries CRLF.
enum class LineEnd { Lf, CrLf };

/// "\n" or "\r\n".
std::string_view eol(LineEnd le);

/// One header field (RFC 5322 §2.2) exactly as it arrived.
struct HeaderField {
    /// All bytes of the field: name, colon, value and every folded line,
    /// each with its original line end (the last one may lack it at end of input).
    std::string raw;
    /// Length of the field name (RFC 5322 §3.6.8 ftext, without WSP before
    /// the colon); 0 for a malformed line (no colon, empty or bad name, or a
    /// continuation line with no field before it).
    std::size_t name_len = 0;
    /// Offset of the colon in `raw` (meaningful only when name_len > 0).
    std::size_t colon = 0;

    bool valid() const { return name_len > 0; }
    std::string_view name() const { return std::string_view(raw).substr(0, name_len); }
    /// The value after the colon, still folded, with the final line end removed.
    std::string_view value() const;
    /// The value unfolded (RFC 5322 §2.2.3: CR and LF removed), leading and
    /// trailing WSP trimmed.
    std::string unfolded_value() const;
    /// Case-insensitive comparison of the field name (RFC 5322 §1.2.2).
    bool is(std::string_view field_name) const;
};

/// The header of a message.
struct Header {
    std::vector<HeaderField> fields;
    LineEnd line_end = LineEnd::Lf;
    /// The empty line that ended the header ("\n", "\r\n"), or "" when the
    /// input ended (or the header limit was reached) without one.
    std::string separator;
    /// Lines and bytes of the header block as read (fields only, without the separator).
    std::size_t lines = 0, bytes = 0;
    /// The reader stopped at its header limit (kMaxHeaderLines or
    /// kMaxHeaderBytes) before the separator: the rest of the header was
    /// handed on as body, where header fields (forged ones too) go unseen.
    bool truncated = false;

    /// Indices of the fields named `name`, top to bottom.
    std::vector<std::size_t> find_all(std::string_view name) const;
    /// The number of fields named `name`.
    std::size_t count(std::string_view name) const;
};

/// Splits a header block (the bytes before the separator line) into fields.
/// Never fails: malformed lines become fields with name_len == 0.
void parse_fields(std::string_view block, std::vector<HeaderField>& out);

}  // namespace qauth::mail
