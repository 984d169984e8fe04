// Fuzz harness (tests/fuzz/fuzz.hpp, `make fuzz`): the small parsers of
// untrusted names and addresses the filters share: domain names under each
// rule set, IP addresses, and qmail-smtpd's Received line (--trust-received).
#include <string>
#include <string_view>

#include "dns/address.hpp"
#include "dns/domain.hpp"
#include "fuzz.hpp"
#include "qmail/envelope.hpp"

using namespace qauth;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    for (auto rules : {dns::NameRules::Host, dns::NameRules::Mail, dns::NameRules::Query}) {
        auto d = dns::Domain::parse(text, rules);
        if (!d) continue;
        // Normal form is a fixed point (the root's is "", written "."), and
        // every name is within itself.
        auto again = dns::Domain::parse(d->str().empty() ? "." : d->str(), rules);
        if (!again || !(*again == *d) || !d->within(*d)) __builtin_trap();
    }
    if (auto ip = dns::IpAddress::parse(text)) {
        auto again = dns::IpAddress::parse(ip->str());
        if (!again || again->str() != ip->str() || !ip->in_network(*ip, 128)) __builtin_trap();
    }
    if (auto r = qmail::parse_qmail_received(text)) {
        // HELO may be empty: qmail-smtpd writes "(HELO )" for a bare HELO.
        if (r->host.empty() || !dns::IpAddress::parse(r->ip)) __builtin_trap();
    }
    return 0;
}
