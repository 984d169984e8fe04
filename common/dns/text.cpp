#include "dns/text.hpp"

#include "util/strings.hpp"

namespace qauth::dns {

std::optional<std::string> canonical_name(std::string_view name) {
    if (name.empty()) return std::nullopt;
    if (name.back() == '.') name.remove_suffix(1);
    std::string key;
    key.reserve(name.size());
    std::size_t wire = 1;  // the root label's length octet
    std::size_t label = 0;
    for (std::size_t i = 0; i <= name.size(); ++i) {
        if (i == name.size() || name[i] == '.') {
            if (name.empty()) break;  // the root: no labels at all
            if (label == 0 || label > 63) return std::nullopt;
            wire += label + 1;
            label = 0;
            if (i < name.size()) key += '.';
            continue;
        }
        char c = name[i];
        key += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        ++label;
    }
    if (wire > 255) return std::nullopt;
    return key;
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
