#include "srs/address.hpp"

#include <cstring>

#include "dns/address.hpp"
#include "dns/domain.hpp"
#include "util/strings.hpp"

namespace qauth::srs {

namespace {

bool is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

/// RFC 5322 3.2.3 atext, with 8-bit bytes as RFC 6531 3.3 allows.
bool is_atext(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80 ||
           (c != '\0' && std::strchr("!#$%&'*+-/=?^_`{|}~", c) != nullptr);
}

bool is_dot_atom(std::string_view s) {
    if (s.empty() || s.front() == '.' || s.back() == '.') return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        unsigned char c = s[i];
        if (c == '.' ? s[i - 1] == '.' : !is_atext(c)) return false;
    }
    return true;
}

/// RFC 5321 4.1.3 address literal "[...]": an IPv4 address, "IPv6:" and an
/// IPv6 address, or a General-address-literal (Ldh-str tag ':' dcontent);
/// never '=' (SRS splits its fields at '=').
bool literal_ok(std::string_view d) {
    if (d.size() < 3 || d.front() != '[' || d.back() != ']') return false;
    std::string_view in = d.substr(1, d.size() - 2);
    if (auto ip = dns::IpAddress::parse(in)) return ip->v4();
    std::size_t colon = in.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == in.size()) return false;
    std::string_view tag = in.substr(0, colon), content = in.substr(colon + 1);
    if (iequals(tag, "IPv6")) {
        auto ip = dns::IpAddress::parse(content);
        return ip && !ip->v4();
    }
    if (!dns::Domain::parse(tag, dns::NameRules::Host) || tag.find('.') != std::string_view::npos) return false;
    for (unsigned char c : content)  // dcontent: %d33-90 / %d94-126
        if (c < 33 || c > 126 || (c >= 91 && c <= 93) || c == '=') return false;
    return true;
}

}  // namespace

bool domain_ok(std::string_view d) {
    if (!d.empty() && d.front() == '[') return literal_ok(d);
    // UTF-8 labels (RFC 6531 3.3) count as letters; the rest is dns::Domain's rule.
    std::string ascii(d);
    for (char& c : ascii)
        if (static_cast<unsigned char>(c) >= 0x80) c = 'x';
    return dns::Domain::parse(ascii, dns::NameRules::Mail).has_value();
}

bool is_null_sender(std::string_view address) { return address.empty() || address == "<>" || address == "#@[]"; }

Result<MailAddress> parse_address(std::string_view text) {
    if (text.size() > kMaxAddress)
        return fail("address of " + std::to_string(text.size()) +
                    " octets, over RFC 5321 4.5.3.1.3's 256-octet path limit");
    for (unsigned char c : text)
        if (is_control(c)) return fail("address contains a control character");
    MailAddress a;
    std::size_t at;
    if (!text.empty() && text.front() == '"') {
        std::size_t i = 1;
        for (; i < text.size() && text[i] != '"'; ++i) {
            if (text[i] == '\\' && ++i == text.size()) break;
            a.local += text[i];
        }
        if (i >= text.size()) return fail("unterminated quoted local part");
        at = i + 1;
        if (at >= text.size() || text[at] != '@') return fail("quoted local part not followed by '@'");
    } else {
        at = text.rfind('@');
        if (at == std::string_view::npos) return fail("no '@' in the address");
        a.local = text.substr(0, at);
    }
    if (a.local.empty()) return fail("empty local part");
    a.domain = text.substr(at + 1);
    if (!domain_ok(a.domain)) return fail("malformed domain");
    return a;
}

std::string format_address(std::string_view local, std::string_view domain) {
    std::string out;
    if (is_dot_atom(local)) {
        out = local;
    } else {
        out = '"';
        for (char c : local) {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
        out += '"';
    }
    out += '@';
    out += domain;
    return out;
}

}  // namespace qauth::srs
