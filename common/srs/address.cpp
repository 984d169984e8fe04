#include "srs/address.hpp"

#include <cstring>

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

bool domain_ok(std::string_view d) {
    if (d.empty()) return false;
    if (d.front() == '[') {
        if (d.size() < 3 || d.back() != ']') return false;
        for (unsigned char c : d.substr(1, d.size() - 2))
            if (c == '[' || c == ']' || c == '\\' || c == '=' || c == ' ') return false;
        return true;
    }
    for (unsigned char c : d)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
              c == '_' || c >= 0x80))
            return false;
    return true;
}

}  // namespace

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
