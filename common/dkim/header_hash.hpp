// The header part of the DKIM hash input (RFC 6376 §3.7, §5.4.2).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dkim/canon.hpp"
#include "mail/header.hpp"

namespace qauth::dkim {

/// `raw_field` (a whole DKIM-Signature field) with the value of its b= tag,
/// including the whitespace around it, deleted (§3.7).
std::string remove_b_value(std::string_view raw_field);

/// Appends to `out` the canonical header data a signature covers: for each
/// name in `names`, the last not yet used field of that name counting from
/// the bottom (a name with no unused instance adds nothing, §5.4.2), then
/// `sig_field` (with b= already empty) canonicalized without its final CRLF.
void signed_header_data(const mail::Header& header, const std::vector<std::string>& names, Canon canon,
                        std::string_view sig_field, std::string& out);

}  // namespace qauth::dkim
