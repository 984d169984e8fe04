#include "spf/record.hpp"

#include <algorithm>

#include "spf/macro.hpp"
#include "util/strings.hpp"

namespace qauth::spf {

namespace {

constexpr std::string_view kVersion = "v=spf1";

bool is_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }
bool is_name_char(char c) { return is_alnum(c) || c == '-' || c == '_' || c == '.'; }

std::string quoted(std::string_view text) { return "\"" + printable(text, 60) + "\""; }

/// toplabel (§12): LDH, a letter or digit at both ends, not all digits.
bool is_toplabel(std::string_view label) {
    if (label.empty() || !is_alnum(label.front()) || !is_alnum(label.back())) return false;
    bool alpha_or_hyphen = false;
    for (char c : label) {
        if (!is_alnum(c) && c != '-') return false;
        alpha_or_hyphen |= is_alpha(c) || c == '-';
    }
    return alpha_or_hyphen;
}

/// domain-spec = macro-string domain-end; domain-end = ( "." toplabel [ "." ] ) / macro-expand (§7.1, §12).
Result<void> check_domain_spec(std::string_view spec) {
    if (spec.empty()) return fail("RFC 7208 7.1: empty domain-spec");
    auto tail = check_macro_string(spec, MacroUse::DomainSpec);
    if (!tail) return std::unexpected(tail.error());
    if (tail->empty()) return {};  // ends in a macro-expand
    std::string_view end = *tail;
    if (end.ends_with('.')) end.remove_suffix(1);
    const auto dot = end.rfind('.');
    if (dot == std::string_view::npos || !is_toplabel(end.substr(dot + 1)))
        return fail("RFC 7208 7.1: domain-spec " + quoted(spec) + " does not end in a macro or a \".\" toplabel");
    return {};
}

/// A CIDR length "/" DIGITS (§12: "0" or no leading zero; at most `max`).
Result<unsigned> parse_cidr(std::string_view digits, unsigned max, std::string_view which) {
    if (digits.empty() || (digits.size() > 1 && digits[0] == '0'))
        return fail("RFC 7208 12: bad " + std::string(which) + " /" + printable(digits, 20));
    unsigned value = 0;
    for (char c : digits) {
        if (!is_digit(c)) return fail("RFC 7208 12: bad " + std::string(which) + " /" + printable(digits, 20));
        value = std::min(value * 10 + static_cast<unsigned>(c - '0'), max + 1);
    }
    if (value > max) return fail("RFC 7208 5.6: " + std::string(which) + " /" + printable(digits, 20) + " is over " +
                    std::to_string(max));
    return value;
}

/// Takes a trailing "/" DIGITS off `arg`, or nothing when it does not end so.
std::optional<std::string_view> take_cidr(std::string_view& arg) {
    const auto slash = arg.rfind('/');
    if (slash == std::string_view::npos || slash + 1 == arg.size()) return std::nullopt;
    for (char c : arg.substr(slash + 1))
        if (!is_digit(c)) return std::nullopt;
    std::string_view digits = arg.substr(slash + 1);
    arg = arg.substr(0, slash);
    return digits;
}

/// a and mx: [ ":" domain-spec ] [ dual-cidr-length ] (§5.3, §5.4). No
/// domain-spec ends in "/" DIGITS (domain-end), so a trailing one is a CIDR.
Result<void> parse_a_mx(std::string_view arg, Directive& d) {
    if (auto v6 = take_cidr(arg)) {
        if (arg.ends_with('/')) {
            arg.remove_suffix(1);
            auto len = parse_cidr(*v6, 128, "ip6-cidr-length");
            if (!len) return std::unexpected(len.error());
            d.ip6_cidr = *len;
            if (auto v4 = take_cidr(arg)) {
                auto len4 = parse_cidr(*v4, 32, "ip4-cidr-length");
                if (!len4) return std::unexpected(len4.error());
                d.ip4_cidr = *len4;
            }
        } else {
            auto len = parse_cidr(*v6, 32, "ip4-cidr-length");
            if (!len) return std::unexpected(len.error());
            d.ip4_cidr = *len;
        }
    }
    if (arg.empty()) return {};
    if (arg[0] != ':') return fail("RFC 7208 12: bad argument " + quoted(arg));
    d.domain_spec = arg.substr(1);
    return check_domain_spec(d.domain_spec);
}

/// ip4 and ip6: ":" network [ "/" DIGITS ] (§5.6).
Result<void> parse_ip(std::string_view arg, Directive& d) {
    const bool v4 = d.mechanism == Mechanism::Ip4;
    const std::string_view name = v4 ? "ip4" : "ip6";
    if (!arg.starts_with(':')) return fail("RFC 7208 5.6: " + std::string(name) + " needs a network");
    arg.remove_prefix(1);
    const auto slash = arg.find('/');
    auto net = dns::IpAddress::parse(arg.substr(0, slash));
    if (!net || net->v4() != v4)
        return fail("RFC 7208 5.6: bad " + std::string(name) + " network " + quoted(arg.substr(0, slash)));
    d.network = *net;
    if (slash == std::string_view::npos) return {};
    auto len = parse_cidr(arg.substr(slash + 1), v4 ? 32 : 128, v4 ? "ip4-cidr-length" : "ip6-cidr-length");
    if (!len) return std::unexpected(len.error());
    (v4 ? d.ip4_cidr : d.ip6_cidr) = *len;
    return {};
}

struct MechanismName {
    std::string_view name;
    Mechanism mechanism;
};
constexpr MechanismName kMechanisms[] = {
    {"all", Mechanism::All}, {"include", Mechanism::Include}, {"a", Mechanism::A},
    {"mx", Mechanism::Mx},   {"ptr", Mechanism::Ptr},         {"ip4", Mechanism::Ip4},
    {"ip6", Mechanism::Ip6}, {"exists", Mechanism::Exists},
};

Result<Term> parse_directive(std::string_view term) {
    Directive d;
    if (!term.empty() && std::string_view("+-~?").find(term[0]) != std::string_view::npos) {
        d.qualifier = static_cast<Qualifier>(term[0]);
        term.remove_prefix(1);
    }
    std::size_t n = 0;
    while (n < term.size() && is_alnum(term[n])) ++n;
    const std::string_view name = term.substr(0, n), arg = term.substr(n);
    const MechanismName* found = nullptr;
    for (const auto& m : kMechanisms)
        if (iequals(m.name, name)) found = &m;
    if (!found) return fail("RFC 7208 4.6.1: unknown mechanism " + quoted(term));
    d.mechanism = found->mechanism;
    Result<void> ok;
    switch (d.mechanism) {
    case Mechanism::All:
        if (!arg.empty()) ok = fail("RFC 7208 5.1: \"all\" takes no argument, got " + quoted(arg));
        break;
    case Mechanism::Include:
    case Mechanism::Exists:
        if (!arg.starts_with(':'))
            ok = fail(std::string(d.mechanism == Mechanism::Include ? "RFC 7208 5.2: include" : "RFC 7208 5.7: exists") +
                      " needs \":\" domain-spec");
        else ok = check_domain_spec(d.domain_spec = arg.substr(1));
        break;
    case Mechanism::A:
    case Mechanism::Mx: ok = parse_a_mx(arg, d); break;
    case Mechanism::Ptr:
        if (arg.empty()) break;
        if (!arg.starts_with(':')) ok = fail("RFC 7208 5.5: bad argument to ptr " + quoted(arg));
        else ok = check_domain_spec(d.domain_spec = arg.substr(1));
        break;
    case Mechanism::Ip4:
    case Mechanism::Ip6: ok = parse_ip(arg, d); break;
    }
    if (!ok) return std::unexpected(ok.error());
    return d;
}

Result<Term> parse_modifier(std::string_view name, std::string_view value) {
    if (name.empty() || !is_alpha(name[0]))
        return fail("RFC 7208 6: bad modifier name " + quoted(name));
    Modifier m{ModifierKind::Unknown, std::string(name), std::string(value)};
    if (iequals(name, "redirect")) m.kind = ModifierKind::Redirect;
    else if (iequals(name, "exp")) m.kind = ModifierKind::Exp;
    if (m.kind != ModifierKind::Unknown) {
        auto ok = check_domain_spec(value);
        if (!ok) return std::unexpected(ok.error());
    } else if (auto ok = check_macro_string(value, MacroUse::Explanation); !ok) {
        return std::unexpected(ok.error());
    }
    return m;
}

Result<Term> parse_term(std::string_view term) {
    std::size_t n = 0;
    while (n < term.size() && is_name_char(term[n])) ++n;
    if (n < term.size() && term[n] == '=') return parse_modifier(term.substr(0, n), term.substr(n + 1));
    return parse_directive(term);
}

}  // namespace

std::string directive_text(const Directive& d) {
    std::string text;
    if (d.qualifier != Qualifier::Pass) text += static_cast<char>(d.qualifier);
    for (const auto& m : kMechanisms)
        if (m.mechanism == d.mechanism) text += m.name;
    if (d.network) {
        text += ":" + d.network->str();
    } else if (!d.domain_spec.empty()) {
        text += ":" + d.domain_spec;
    }
    const bool v4_net = d.mechanism == Mechanism::Ip4, v6_net = d.mechanism == Mechanism::Ip6;
    const bool dual = d.mechanism == Mechanism::A || d.mechanism == Mechanism::Mx;
    if ((dual || v4_net) && d.ip4_cidr != 32) text += "/" + std::to_string(d.ip4_cidr);
    if ((dual || v6_net) && d.ip6_cidr != 128) text += (v6_net ? "/" : "//") + std::to_string(d.ip6_cidr);
    return text;
}

const Modifier* Record::find(ModifierKind kind) const {
    for (const auto& t : terms)
        if (const auto* m = std::get_if<Modifier>(&t); m && m->kind == kind) return m;
    return nullptr;
}

bool is_spf_record(std::string_view text) {
    return text.size() >= kVersion.size() && iequals(text.substr(0, kVersion.size()), kVersion) &&
           (text.size() == kVersion.size() || text[kVersion.size()] == ' ');
}

Result<std::optional<std::string_view>> select_record(std::span<const std::string> txt_records) {
    std::optional<std::string_view> chosen;
    for (const auto& txt : txt_records) {
        if (!is_spf_record(txt)) continue;
        if (chosen) return fail("RFC 7208 4.5: more than one \"v=spf1\" record");
        chosen = txt;
    }
    return chosen;
}

Result<Record> parse_record(std::string_view text) {
    if (text.size() > kMaxRecordSize)
        return fail("record longer than " + std::to_string(kMaxRecordSize) + " octets");
    if (!is_spf_record(text)) return fail("RFC 7208 4.5: record does not start with \"v=spf1\" and SP");
    Record record;
    bool redirect = false, exp = false;
    std::size_t i = kVersion.size();
    while (i < text.size()) {
        while (i < text.size() && text[i] == ' ') ++i;
        if (i == text.size()) break;
        const std::size_t end = std::min(text.find(' ', i), text.size());
        if (record.terms.size() == kMaxTerms) return fail("record has more than " + std::to_string(kMaxTerms) + " terms");
        auto term = parse_term(text.substr(i, end - i));
        if (!term) return std::unexpected(term.error());
        if (const auto* m = std::get_if<Modifier>(&*term); m && m->kind != ModifierKind::Unknown) {
            bool& seen = m->kind == ModifierKind::Redirect ? redirect : exp;
            if (seen) return fail("RFC 7208 6: " + lower(m->name) + "= appears more than once");
            seen = true;
        }
        record.terms.push_back(std::move(*term));
        i = end;
    }
    return record;
}

}  // namespace qauth::spf
