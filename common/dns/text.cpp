#include "dns/text.hpp"

#include "dns/domain.hpp"
#include "util/strings.hpp"

namespace qauth::dns {

std::optional<std::string> canonical_name(std::string_view name) {
    auto domain = Domain::parse(name, NameRules::Query);
    if (!domain) return std::nullopt;
    return domain->str();
}

std::string_view type_name(RrType type) {
    switch (type) {
        case RrType::A: return "A";
        case RrType::NS: return "NS";
        case RrType::CNAME: return "CNAME";
        case RrType::PTR: return "PTR";
        case RrType::MX: return "MX";
        case RrType::TXT: return "TXT";
        case RrType::AAAA: return "AAAA";
    }
    return "TYPE?";
}

std::string question_text(std::string_view canonical, RrType type) {
    return (canonical.empty() ? std::string(".") : std::string(canonical)) + "/" + std::string(type_name(type));
}

Answer temp_fail(std::string_view why) {
    return Answer{Status::TempFail, {}, printable(why, kMaxErrorText)};
}

Answer invalid_name(std::string_view name) {
    return Answer{Status::NxDomain, {}, printable("not a valid domain name: " + std::string(name), kMaxErrorText)};
}

}  // namespace qauth::dns
