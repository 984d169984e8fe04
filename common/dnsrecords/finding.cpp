#include "dnsrecords/finding.hpp"

#include "util/strings.hpp"

namespace qauth::dnsrecords {

std::string finding_line(const Finding& f) { return printable(f.name + ": " + f.text, 2000); }

}  // namespace qauth::dnsrecords
