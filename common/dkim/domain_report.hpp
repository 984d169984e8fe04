// What `qauth-config dkim enable|disable|show` says about the outcome of
// common/dkim/domain_switch: the lines an admin reads, one fact a line.
#pragma once

#include <span>
#include <string>

#include "dkim/domain_switch.hpp"

namespace qauth::dkim {

/// The notes after the records of `dkim enable DOMAIN` (zone-file comments,
/// each "; ..." and a newline): a domain restored from domainkeys/.disabled,
/// an existing key kept, each alias newly linked. Empty when there is none.
std::string enable_report(const EnableOutcome& done, const std::string& domain);

/// The lines of `dkim disable DOMAIN`: an alias's link removed, a domain off
/// already, or its keys parked; then each alias that stopped with it.
std::string disable_report(const DisableOutcome& done, const std::string& domain);

/// The lines of `dkim show`: "DOMAIN  STATE selectors..." a domain, made
/// printable (at most 1000 bytes a line).
std::string show_report(std::span<const DomainState> domains);

}  // namespace qauth::dkim
