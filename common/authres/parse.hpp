// Reading Authentication-Results fields (RFC 8601 §2.2): what dmarccheck
// takes from the SPF and DKIM entries our own filters wrote in this pass
// (DESIGN §7). Fields of other authserv-ids are never read for results.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "authres/authres.hpp"
#include "mail/header.hpp"

namespace qauth::authres {

/// Bounds of one field's parse: far above what our filters write.
constexpr std::size_t kMaxResinfos = 100;
constexpr std::size_t kMaxProperties = 20;

/// The resinfos of an Authentication-Results field value (RFC 8601 §2.2):
/// the authserv-id and an optional authres-version are skipped, then each
/// "; method[/version]=result [reason=value] [ptype.property=pvalue ...]",
/// with CFWS (comments, folding) anywhere between tokens and quoted-strings
/// unquoted; a fold inside a quoted-string reads as one space, as format()
/// folds a reason at its spaces. "none" (no-result) gives an empty list. Method, result and
/// property names are lower-cased; values are kept as written. nullopt when
/// the value does not follow the grammar or goes past kMaxResinfos or
/// kMaxProperties per resinfo: the whole field is then not used.
std::optional<std::vector<MethodResult>> parse_results(std::string_view field_value);

/// The resinfos of the Authentication-Results fields with `authserv_id` in
/// our own block at the top of `header` (own_block()), top to bottom: what
/// this pass's filters found. A field of the block that does not parse adds
/// nothing. Fields below the block are forged (remove_forged()) and never
/// read here; nor are other authserv-ids' fields anywhere.
std::vector<MethodResult> own_results(const mail::Header& header, std::string_view authserv_id);

/// The value of property `name` ("smtp.mailfrom", "header.d") of `r`, or nullptr.
const std::string* property(const MethodResult& r, std::string_view name);

}  // namespace qauth::authres
