#include "srs/local_domains.hpp"

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

}  // namespace qauth::srs
