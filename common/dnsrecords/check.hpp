// qauth-dnsrecords --check: asking DNS for what is published and comparing
// it with what we would publish (dnsrecords/expected.hpp).
#pragma once

#include <vector>

#include "dns/resolver.hpp"
#include "dnsrecords/expected.hpp"
#include "dnsrecords/finding.hpp"

namespace qauth::dnsrecords {

/// Checks each record of `expected` in DNS, in order: SPF records with
/// lint_spf(), DMARC records with lint_dmarc(), DKIM keys with
/// lint_dkim_key(); other template TXT records must be among the name's TXT
/// records, text for text (RFC 1035 §3.3.14). DkimPolicy records are not
/// checked: DomainKeys (RFC 4870) is historic and no receiver acts on "o=-".
/// A temporary failure of one lookup is noted in Lint::trouble and the
/// others go on, so one run shows every finding it can.
Lint check_records(dns::Resolver& dns, const std::vector<ExpectedRecord>& expected);

}  // namespace qauth::dnsrecords
