#include "mail/address.hpp"

#include <algorithm>

#include "dns/domain.hpp"
#include "mail/header.hpp"
#include "util/strings.hpp"

namespace qauth::mail {

namespace {

// RFC 5322 sets no limit on either; no real From, To or Sender comes near.
constexpr std::size_t kMaxAddresses = 100;
constexpr std::size_t kMaxValue = 64 * 1024;

// The end of the quoted string that starts at s[i] == '"': the index of the
// closing quote, or s.size() when it is unterminated.
std::size_t quoted_end(std::string_view s, std::size_t i) {
    for (++i; i < s.size() && s[i] != '"'; ++i)
        if (s[i] == '\\') ++i;
    return std::min(i, s.size());
}

// The text of one addr-spec with the whitespace RFC 5322 allows in it
// removed: at either end and next to '.' or '@' (CFWS around the dots of
// obs-local-part and obs-domain, §4.4; comments are spaces by now). Other
// whitespace is kept as one space, so two words do not run together into an
// address nobody wrote. Quoted strings are copied whole.
std::string squeeze(std::string_view s) {
    std::string out;
    bool space = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (is_fws(c)) {
            space = true;
            continue;
        }
        if (space && !out.empty() && out.back() != '.' && out.back() != '@' && c != '.' && c != '@') out += ' ';
        space = false;
        if (c == '"') {
            std::size_t end = quoted_end(s, i);
            out.append(s.substr(i, end + 1 - i));
            i = end;
            continue;
        }
        out += c;
    }
    return out;
}

// The number of `c` in `a` outside quoted strings.
std::size_t count_unquoted(std::string_view a, char c) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i] == '"') i = quoted_end(a, i);
        else if (a[i] == c) ++n;
    }
    return n;
}

}  // namespace

AddressList parse_address_list(std::string_view v) {
    AddressList r;
    auto problem = [&](const char* why) {
        if (r.problem.empty()) r.problem = why;
    };
    if (v.size() > kMaxValue) {
        problem("address list longer than 64 KiB");
        v = v.substr(0, kMaxValue);
    }
    // One pass. Per mailbox: the text outside angle brackets (display name,
    // or the addr-spec when there are no brackets), then the angle-addr.
    enum class At { Text, Angle, AfterAngle } at = At::Text;
    std::string text, angle;
    bool in_group = false;
    auto push = [&] {
        std::string a;
        if (at == At::Text) {
            a = squeeze(text);
        } else {
            std::string_view spec = trim_fws(angle);
            if (!spec.empty() && spec.front() == '@') {  // obs-route "@a,@b:" (§4.4)
                if (std::size_t colon = spec.find(':'); colon != std::string_view::npos)
                    spec.remove_prefix(colon + 1);
                else
                    problem("RFC 5322 4.4: obs-route without an addr-spec");
            }
            a = squeeze(spec);
            if (a.empty()) problem("RFC 5322 3.4: empty angle-addr");
        }
        if (!a.empty()) {
            if (r.addresses.size() < kMaxAddresses) r.addresses.push_back(std::move(a));
            else problem("more than 100 addresses in one field");
        }
        text.clear();
        angle.clear();
        at = At::Text;
    };
    for (std::size_t i = 0; i < v.size(); ++i) {
        char c = v[i];
        std::string& buf = at == At::Angle ? angle : text;
        if (c == '(') {  // comment, possibly nested (§3.2.2): a space
            int depth = 1;
            std::size_t j = i + 1;
            for (; j < v.size() && depth > 0; ++j) {
                if (v[j] == '\\') ++j;
                else if (v[j] == '(') ++depth;
                else if (v[j] == ')') --depth;
            }
            if (depth > 0) problem("RFC 5322 3.2.2: unterminated comment");
            i = std::min(j, v.size()) - 1;
            buf += ' ';
            continue;
        }
        if (c == '"') {  // quoted string (§3.2.4): a display-name word or a local-part
            std::size_t end = quoted_end(v, i);
            if (end == v.size()) problem("RFC 5322 3.2.4: unterminated quoted string");
            if (at == At::AfterAngle) problem("RFC 5322 3.4: text after an angle-addr");
            buf.append(v.substr(i, end + 1 - i));
            i = end;
            continue;
        }
        if (at == At::Angle) {
            if (c == '>') {
                at = At::AfterAngle;
                continue;
            }
            if (c == '<') problem("RFC 5322 3.4: '<' inside an angle-addr");
            angle += c;
            continue;
        }
        switch (c) {
        case '<':
            if (at == At::AfterAngle) {
                problem("RFC 5322 3.4: two angle-addrs in one mailbox");
                push();
            }
            at = At::Angle;
            continue;
        case ',':
            push();
            continue;
        case ';':  // end of a group, or a mistaken list separator
            push();
            in_group = false;
            continue;
        case ':':  // a group's display name ends (§3.4): drop it
            if (at == At::AfterAngle) {
                problem("RFC 5322 3.4: text after an angle-addr");
                push();
            }
            if (in_group) problem("RFC 5322 3.4: group inside a group");
            // A phrase has no '@' (§3.2.5): "a@example.com: b@evil.example;"
            // would show one domain to the reader and hand another to DMARC.
            if (count_unquoted(text, '@') > 0) problem("RFC 5322 3.4: '@' in a group's display name");
            text.clear();
            in_group = true;
            continue;
        case '>':
            problem("RFC 5322 3.4: '>' without '<'");
            break;
        case ')':
            problem("RFC 5322 3.2.2: ')' without '('");
            break;
        default:
            // Bare CR, NUL and other controls have no place outside quoted
            // strings (§3.2.3, §4.1); a field split by a bare CR is one of them.
            if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f)
                problem("RFC 5322 3.2.3: control character in an address list");
            break;
        }
        if (at == At::AfterAngle) {
            if (!is_fws(c)) problem("RFC 5322 3.4: text after an angle-addr");
            continue;
        }
        text += c;
    }
    if (at == At::Angle) problem("RFC 5322 3.4: unterminated angle-addr");
    push();
    return r;
}

std::vector<std::string> addresses(std::string_view v) { return parse_address_list(v).addresses; }

std::optional<std::string> address_domain(std::string_view address) {
    std::size_t at = address.rfind('@');
    if (at == std::string_view::npos) return std::nullopt;
    std::string_view d = trim_fws(address.substr(at + 1));
    while (!d.empty() && d.back() == '>') d.remove_suffix(1);
    auto domain = dns::Domain::parse(d, dns::NameRules::Mail);
    if (!domain) return std::nullopt;
    return domain->str();
}

std::expected<std::vector<std::string>, FromError> from_domains(const Header& header) {
    auto error = [](FromProblem p, std::string reason) { return std::unexpected(FromError{p, std::move(reason)}); };
    auto fields = header.find_all("From");
    if (fields.empty()) return error(FromProblem::NoField, "RFC 5322 3.6: no From field");
    std::vector<std::string> domains;
    std::size_t mailboxes = 0;
    for (std::size_t idx : fields) {
        auto list = parse_address_list(header.fields[idx].unfolded_value());
        if (!list.problem.empty()) return error(FromProblem::Malformed, "From: " + list.problem);
        if (list.addresses.empty()) return error(FromProblem::NoAddress, "RFC 5322 3.6.2: From field without an address");
        mailboxes += list.addresses.size();
        if (mailboxes > kMaxAddresses) return error(FromProblem::Malformed, "more than 100 From addresses");
        for (const auto& a : list.addresses) {
            auto d = count_unquoted(a, '@') == 1 ? address_domain(a) : std::nullopt;
            if (!d) {
                std::size_t at = a.rfind('@');
                bool utf8 = at != std::string::npos &&
                            std::any_of(a.begin() + static_cast<std::ptrdiff_t>(at), a.end(),
                                        [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
                return error(FromProblem::NoDomain,
                             utf8 ? "RFC 9989: U-label From domain not converted to an A-label: " + a
                                  : "RFC 7489 6.6.1: From address without a usable domain: " + a);
            }
            if (std::find(domains.begin(), domains.end(), *d) == domains.end()) domains.push_back(std::move(*d));
        }
    }
    return domains;
}

}  // namespace qauth::mail
