#include "qmail/custom_error.hpp"

#include <cctype>
#include <cstdlib>

#include "util/strings.hpp"

namespace qauth::qmail {

namespace {

// The defaults of the trees (sagredo qmail.h and indimail-mta qmail.h: CUSTOM_ERR_FD).
constexpr int kNotqmailFd = 6, kSagredoFd = 4, kIndimailFd = 2;
constexpr int kNotqmailExit = 82, kCustomExit88 = 88;

// "D.d{1,3}.d{1,3} " with D the class digit (RFC 3463 §2).
bool has_status_code(std::string_view s, char cls) {
    if (s.size() < 6 || s[0] != cls || s[1] != '.') return false;
    std::size_t i = 2;
    for (int part = 0; part < 2; ++part) {
        std::size_t start = i;
        while (i < s.size() && i - start < 4 && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
        if (i == start || i - start > 3) return false;
        if (part == 0 && (i >= s.size() || s[i++] != '.')) return false;
    }
    return i < s.size() && s[i] == ' ';
}

}  // namespace

Result<CustomErrorConvention> parse_custom_error_convention(std::string_view word) {
    if (word.empty() || word == "notqmail") return CustomErrorConvention::Notqmail;
    if (word == "sagredo") return CustomErrorConvention::Sagredo;
    if (word == "indimail") return CustomErrorConvention::Indimail;
    if (word == "none") return CustomErrorConvention::None;
    return fail("unknown custom error convention \"" + printable(word, 40) +
                "\" (one of notqmail, sagredo, indimail, none)");
}

std::optional<CustomErrorChannel> custom_error_channel(CustomErrorConvention convention, const Environment& env,
                                                      bool (*is_open)(int fd)) {
    CustomErrorChannel ch;
    switch (convention) {
        case CustomErrorConvention::None: return std::nullopt;
        case CustomErrorConvention::Notqmail: ch = {kNotqmailFd, kNotqmailExit}; break;
        case CustomErrorConvention::Sagredo: ch = {kSagredoFd, kCustomExit88}; break;
        case CustomErrorConvention::Indimail: ch = {kIndimailFd, kCustomExit88}; break;
    }
    if (convention != CustomErrorConvention::Notqmail) {
        if (const char* v = env("ERROR_FD"); v && *v) {
            char* end = nullptr;
            long fd = std::strtol(v, &end, 10);
            if (*end || fd < 0 || fd > 1023) return std::nullopt;  // -1 switches it off (indimail)
            ch.fd = static_cast<int>(fd);
        }
    }
    if (ch.fd == 0 || ch.fd == 1 || !is_open(ch.fd)) return std::nullopt;  // 0 and 1 carry message and envelope
    return ch;
}

std::string custom_error_text(char kind, std::string_view reason) {
    const char cls = kind == 'D' ? '5' : '4';
    std::string text = printable(reason, kMaxCustomErrorText);
    if (!has_status_code(text, cls)) text = (kind == 'D' ? "5.7.1 " : "4.3.0 ") + text;
    if (text.back() == ' ') text.pop_back();  // only the code: nothing after it
    std::string out(1, kind == 'D' ? 'D' : 'Z');
    out += printable(text, kMaxCustomErrorText - 1);
    return out;
}

}  // namespace qauth::qmail
