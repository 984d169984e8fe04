#include "util/strings.hpp"

namespace qauth {

std::vector<std::string> split(std::string_view text, char sep) {
    std::vector<std::string> out;
    for (;;) {
        std::size_t at = text.find(sep);
        out.emplace_back(text.substr(0, at));
        if (at == std::string_view::npos) return out;
        text.remove_prefix(at + 1);
    }
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = ascii_lower(c);
    return out;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    return true;
}

std::string_view trim_fws(std::string_view s) {
    while (!s.empty() && is_fws(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_fws(s.back())) s.remove_suffix(1);
    return s;
}

std::string strip_fws(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text)
        if (!is_fws(c)) out += c;
    return out;
}

std::string printable(std::string_view text, std::size_t max) {
    static constexpr char kHex[] = "0123456789abcdef";
    constexpr std::string_view kMore = "...";
    std::string out;
    bool cut = false;
    for (char ch : text) {
        auto c = static_cast<unsigned char>(ch);
        if (c == '\t' || c == '\r' || c == '\n') c = ' ';
        if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
        char piece[4] = {static_cast<char>(c)};
        std::size_t len = 1;
        if (c < 0x20 || c > 0x7e) {
            piece[0] = '\\', piece[1] = 'x', piece[2] = kHex[c >> 4], piece[3] = kHex[c & 15];
            len = 4;
        }
        if (out.size() + len > max) {
            cut = true;
            break;
        }
        out.append(piece, len);
    }
    if (cut) {
        // Make room for the marker without cutting an escape in half.
        std::size_t keep = max >= kMore.size() ? max - kMore.size() : 0;
        while (out.size() > keep) {
            std::size_t esc = out.size() >= 4 ? out.size() - 4 : std::string::npos;
            bool ends_in_escape = esc != std::string::npos && out[esc] == '\\' && out[esc + 1] == 'x';
            out.resize(ends_in_escape ? esc : out.size() - 1);
        }
        while (!out.empty() && out.back() == ' ') out.pop_back();
        return out + std::string(kMore.substr(0, max));
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

std::string quoted_string(std::string_view raw, std::size_t max) {
    std::string q = "\"";
    for (char c : printable(raw, max)) {
        if (c == '"' || c == '\\') q += '\\';
        q += c;
    }
    return q + "\"";
}

std::string comment_text(std::string_view raw) {
    std::string out;
    for (char c : printable(raw)) {
        if (c == '(' || c == ')' || c == '\\') out += '\\';
        out += c;
    }
    return out;
}

}  // namespace qauth
