// What qauth-dnsrecords --check reports: findings about what is published,
// and DNS trouble that kept it from looking.
#pragma once

#include <string>
#include <vector>

namespace qauth::dnsrecords {

/// One problem with what is published at `name`. `text` starts with the
/// rule ("RFC 7208 4.6.4: ..."), may quote DNS data raw: finding_line()
/// makes it printable.
struct Finding {
    std::string name;
    std::string text;
    friend bool operator==(const Finding&, const Finding&) = default;
};

/// The outcome of checking records: findings, and one line per lookup that
/// failed temporarily (timeout, SERVFAIL: DNS trouble, exit 111).
struct Lint {
    std::vector<Finding> findings;
    std::vector<std::string> trouble;
    void add(std::string name, std::string text) { findings.push_back({std::move(name), std::move(text)}); }
};

/// "NAME: TEXT" as one line of printable ASCII (util/strings.hpp printable():
/// controls and 8-bit bytes escaped, at most 2000 bytes), without newline.
std::string finding_line(const Finding& f);

}  // namespace qauth::dnsrecords
