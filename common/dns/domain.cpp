#include "dns/domain.hpp"

#include "util/strings.hpp"

namespace qauth::dns {

namespace {

constexpr std::size_t kMaxLabel = 63;   // RFC 1035 §2.3.4
constexpr std::size_t kMaxName = 253;   // 255 octets in wire form, without the root dot

constexpr bool let_dig(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// The one label check (`label` already lower-cased).
Result<void> check_label(std::string_view label, NameRules rules) {
    if (label.empty()) return fail("RFC 1035 2.3.4: empty label");
    if (label.size() > kMaxLabel) return fail("RFC 1035 2.3.4: label longer than 63 octets");
    if (rules == NameRules::Query) return {};
    const bool underscore = rules == NameRules::Mail;
    for (char c : label)
        if (!let_dig(c) && c != '-' && !(underscore && c == '_'))
            return fail("RFC 1123 2.1: a label holds only letters, digits and hyphens" +
                        std::string(underscore ? " (and '_')" : ""));
    if (label.front() == '-' || label.back() == '-') return fail("RFC 5321 4.1.2: a label starts and ends with a letter or digit");
    return {};
}

}  // namespace

Result<Domain> Domain::parse(std::string_view text, NameRules rules) {
    const bool absolute = !text.empty() && text.back() == '.';
    if (absolute) text.remove_suffix(1);
    if (text.empty()) {
        // "." is the root, a name only where DNS names are meant; "" is nothing.
        if (absolute && rules == NameRules::Query) return Domain("");
        return fail("empty domain name");
    }
    std::string name = lower(text);
    if (name.size() > kMaxName) return fail("RFC 1035 2.3.4: name longer than 253 octets");
    std::string_view rest = name;
    for (;;) {
        std::size_t dot = rest.find('.');
        if (auto ok = check_label(rest.substr(0, dot), rules); !ok) return std::unexpected(ok.error());
        if (dot == std::string_view::npos) break;
        rest.remove_prefix(dot + 1);
    }
    return Domain(std::move(name));
}

bool Domain::within(const Domain& parent) const {
    if (parent.name_.empty() || name_ == parent.name_) return true;
    return name_.size() > parent.name_.size() && name_.ends_with(parent.name_) &&
           name_[name_.size() - parent.name_.size() - 1] == '.';
}

}  // namespace qauth::dns
