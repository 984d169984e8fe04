// Whether a sender's domain is one of ours (then srsfilter does not rewrite
// it: SPF at the next hop already passes for it).
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace qauth::srs {

/// True when `domain` equals an entry of `list` ignoring ASCII case, or
/// lies below an entry that starts with '.' (".example.com" is every
/// subdomain of example.com, as in qmail's rcpthosts). A trailing dot on
/// either side is ignored.
bool is_local_domain(std::string_view domain, std::span<const std::string> list);

/// Why `entry` cannot be a --local-domain (a domain name under the mail
/// rules, or '.' and one for all its subdomains, rcpthosts' form), or ""
/// when it can.
std::string local_domain_problem(std::string_view entry);

}  // namespace qauth::srs
