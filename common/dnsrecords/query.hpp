// The lookups the lint shares: one TXT lookup whose temporary failure is
// noted as DNS trouble.
#pragma once

#include <optional>
#include <string_view>

#include "dns/resolver.hpp"
#include "dnsrecords/finding.hpp"

namespace qauth::dnsrecords {

/// Asks `dns` for `name`/`type`. A temporary failure adds "NAME/TYPE: why"
/// to lint.trouble and gives nullopt; any other answer (records, NXDOMAIN,
/// no data) is returned.
std::optional<dns::Answer> ask(dns::Resolver& dns, std::string_view name, dns::RrType type, Lint& lint);

/// Adds the temporary failure `a` of `name`/`type` to lint.trouble: its
/// error (which names the question), or "NAME/TYPE" when it has none.
void note_trouble(Lint& lint, std::string_view name, dns::RrType type, const dns::Answer& a);

/// True for NXDOMAIN and no data: a "void lookup" (RFC 7208 §4.6.4).
bool is_void(const dns::Answer& a);

}  // namespace qauth::dnsrecords
