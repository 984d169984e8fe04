#include "srs/local_domains.hpp"

#include "dns/domain.hpp"
#include "util/strings.hpp"

namespace qauth::srs {

namespace {
std::string_view no_root(std::string_view d) {
    if (d.size() > 1 && d.back() == '.') d.remove_suffix(1);
    return d;
}
}  // namespace

bool is_local_domain(std::string_view domain, std::span<const std::string> list) {
    domain = no_root(domain);
    for (std::string_view entry : list) {
        entry = no_root(entry);
        if (entry.empty()) continue;
        if (entry.front() == '.') {
            if (domain.size() > entry.size() && iequals(domain.substr(domain.size() - entry.size()), entry))
                return true;
        } else if (iequals(domain, entry)) {
            return true;
        }
    }
    return false;
}

std::string local_domain_problem(std::string_view entry) {
    std::string_view name = entry;
    if (name.starts_with('.')) name.remove_prefix(1);
    auto d = dns::Domain::parse(name, dns::NameRules::Mail);
    return d ? std::string() : "not a domain name: " + printable(entry) + " (" + d.error().reason + ")";
}

}  // namespace qauth::srs
