// Mail addresses in header fields (RFC 5322 §3.4) and envelopes.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace qauth::mail {

/// The addr-specs of an address-list or mailbox-list field value
/// (From:, Sender:, To:), in order: comments and display names dropped,
/// groups opened. Bounded: at most 100 addresses, values up to 64 KiB.
std::vector<std::string> addresses(std::string_view field_value);

/// The domain of an addr-spec or envelope address ("a@Example.COM." ->
/// "example.com"): lower-case, without a trailing dot. nullopt when there is
/// no '@', or the domain is empty, a domain literal, or not a name under
/// dns::NameRules::Mail (dns/domain.hpp).
std::optional<std::string> address_domain(std::string_view address);

}  // namespace qauth::mail
