#include "spf/macro.hpp"

#include <algorithm>
#include <vector>

#include "util/strings.hpp"

namespace qauth::spf {

namespace {

// Bounds: a digit transformer beyond the most parts a value can have means
// "all parts" (§7.3), so it saturates; the expansion of a record-sized text
// stays far below this.
constexpr unsigned kMaxDigits = 1000;
constexpr std::size_t kMaxExpansion = 64 * 1024;
constexpr std::size_t kMaxDomainSpec = 253;  // RFC 7208 §7.3, RFC 1035 §2.3.4

constexpr std::string_view kLetters = "slodiphcrtv";
constexpr std::string_view kDelimiters = ".-+,/_=";

/// One "%{...}" macro-expand.
struct Macro {
    char letter = 's';  // lower case
    bool upper = false;
    unsigned digits = 0;  // 0: no transformer
    bool reverse = false;
    std::string_view delimiters;
};

/// Two hex digits of a byte, upper case when `upper` (URL escapes, §7.3).
std::string hex(unsigned char b, bool upper) {
    const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    return {digits[b >> 4], digits[b & 0xf]};
}

bool macro_literal(char c) { return c >= 0x21 && c <= 0x7e && c != '%'; }

/// Walks `text` by the §7.1 ABNF, handing literal text (and the fixed text of
/// "%%", "%_", "%-") to `literal` and each "%{...}" to `macro`. Returns the
/// offset after the last macro-expand.
template <typename Literal, typename Expand>
Result<std::size_t> walk(std::string_view text, MacroUse use, Literal&& literal, Expand&& macro) {
    std::size_t tail = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        if (c != '%') {
            if (!macro_literal(c) && !(c == ' ' && use == MacroUse::Explanation))
                return fail("RFC 7208 7.1: byte 0x" + hex(static_cast<unsigned char>(c), false) +
                            " is not allowed in a macro-string");
            std::size_t j = i + 1;
            while (j < text.size() && text[j] != '%' &&
                   (macro_literal(text[j]) || (text[j] == ' ' && use == MacroUse::Explanation)))
                ++j;
            literal(text.substr(i, j - i));
            i = j;
            continue;
        }
        if (i + 1 == text.size()) return fail("RFC 7208 7.1: '%' at the end of a macro-string");
        const char next = text[i + 1];
        if (next == '%' || next == '_' || next == '-') {
            literal(next == '%' ? "%" : next == '_' ? " " : "%20");
            i += 2;
            tail = i;
            continue;
        }
        if (next != '{')
            return fail("RFC 7208 7.1: '%' followed by " + printable(text.substr(i + 1, 1)));
        std::size_t j = i + 2;
        if (j == text.size()) return fail("RFC 7208 7.1: unterminated macro");
        Macro m;
        m.letter = ascii_lower(text[j]);
        m.upper = m.letter != text[j];
        if (kLetters.find(m.letter) == std::string_view::npos)
            return fail("RFC 7208 7.1: unknown macro letter " + printable(text.substr(j, 1)));
        if (use == MacroUse::DomainSpec && (m.letter == 'c' || m.letter == 'r' || m.letter == 't'))
            return fail(std::string("RFC 7208 7.3: %{") + text[j] + "} is allowed only in explanation text");
        ++j;
        bool have_digits = false;
        while (j < text.size() && text[j] >= '0' && text[j] <= '9') {
            m.digits = std::min(kMaxDigits, m.digits * 10 + static_cast<unsigned>(text[j] - '0'));
            have_digits = true;
            ++j;
        }
        if (have_digits && m.digits == 0) return fail("RFC 7208 7.3: a digit transformer must be nonzero");
        if (j < text.size() && ascii_lower(text[j]) == 'r') {
            m.reverse = true;
            ++j;
        }
        const std::size_t delims = j;
        while (j < text.size() && kDelimiters.find(text[j]) != std::string_view::npos) ++j;
        m.delimiters = text.substr(delims, j - delims);
        if (j == text.size() || text[j] != '}')
            return fail("RFC 7208 7.1: bad macro " + printable(text.substr(i, j + 1 - i), 60));
        macro(m);
        i = j + 1;
        tail = i;
    }
    return tail;
}

/// "i" of an IPv6 client: its 32 nibbles in hex, dot-separated (§7.3).
/// The RFC fixes no case: lower case in a domain-spec, as the §7.4 example
/// and our PTR names (dns::reverse_name) have it; upper case in explanation
/// text, which is what pyspf writes and the RFC 7208 test suite's
/// v-macro-ip6 case expects byte for byte. DNS names compare without case.
std::string nibbles(const dns::IpAddress& ip, bool upper) {
    std::string out;
    for (std::uint8_t b : ip.bytes()) {
        const std::string h = hex(b, upper);
        if (!out.empty()) out += '.';
        out += h[0];
        out += '.';
        out += h[1];
    }
    return out;
}

std::string letter_value(char letter, const MacroContext& ctx, MacroUse use) {
    switch (letter) {
    case 's': return ctx.sender_local + "@" + ctx.sender_domain;
    case 'l': return ctx.sender_local;
    case 'o': return ctx.sender_domain;
    case 'd': return ctx.domain;
    case 'i': return ctx.client.v4() ? ctx.client.str() : nibbles(ctx.client, use == MacroUse::Explanation);
    case 'p': return ctx.validated_name ? ctx.validated_name() : "unknown";
    case 'h': return ctx.helo;
    case 'c': return ctx.client.str();
    case 'r': return ctx.receiver.empty() ? "unknown" : ctx.receiver;
    case 't': return std::to_string(ctx.timestamp);
    case 'v': return ctx.client.v4() ? "in-addr" : "ip6";
    }
    return {};
}

/// The §7.3 transformation of one macro's value.
std::string transform(const Macro& m, std::string_view value) {
    const std::string_view delims = m.delimiters.empty() ? std::string_view(".") : m.delimiters;
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= value.size(); ++i) {
        if (i == value.size() || delims.find(value[i]) != std::string_view::npos) {
            parts.push_back(value.substr(start, i - start));
            start = i + 1;
        }
    }
    if (m.reverse) std::reverse(parts.begin(), parts.end());
    const std::size_t keep = m.digits == 0 ? parts.size() : std::min<std::size_t>(m.digits, parts.size());
    const std::size_t first = parts.size() - keep;
    std::string out;
    for (std::size_t i = first; i < parts.size(); ++i) {
        if (i > first) out += '.';
        out += parts[i];
    }
    if (!m.upper) return out;
    std::string escaped;
    for (char c : out) {
        const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                                c == '-' || c == '.' || c == '_' || c == '~';
        if (unreserved) escaped += c;
        else escaped += "%" + hex(static_cast<unsigned char>(c), true);
    }
    return escaped;
}

}  // namespace

Result<std::string_view> check_macro_string(std::string_view text, MacroUse use) {
    auto tail = walk(text, use, [](std::string_view) {}, [](const Macro&) {});
    if (!tail) return std::unexpected(tail.error());
    return text.substr(*tail);
}

Result<std::string> expand(std::string_view text, const MacroContext& ctx, MacroUse use) {
    std::string out;
    bool too_long = false;
    auto add = [&](std::string_view piece) {
        if (out.size() + piece.size() > kMaxExpansion) too_long = true;
        else out += piece;
    };
    auto walked = walk(text, use, add, [&](const Macro& m) { add(transform(m, letter_value(m.letter, ctx, use))); });
    if (!walked) return std::unexpected(walked.error());
    if (too_long) return fail("RFC 7208 7.3: macro expansion longer than 64 KiB");
    if (use == MacroUse::DomainSpec) {
        // A single label over the limit is left whole: the query-name check
        // (dns::Domain::parse) refuses it, and nothing is left to drop.
        const bool absolute = out.ends_with('.');
        for (std::size_t dot; out.size() - absolute > kMaxDomainSpec && (dot = out.find('.')) < out.size() - 1;)
            out.erase(0, dot + 1);
    }
    return out;
}

}  // namespace qauth::spf
