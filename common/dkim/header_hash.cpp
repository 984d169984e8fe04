#include "dkim/header_hash.hpp"

#include <unordered_map>

#include "util/strings.hpp"

namespace qauth::dkim {

std::string remove_b_value(std::string_view raw) {
    std::size_t pos = raw.find(':');
    pos = pos == std::string_view::npos ? 0 : pos + 1;
    while (pos < raw.size()) {
        std::size_t semi = raw.find(';', pos);
        std::size_t end = semi == std::string_view::npos ? raw.size() : semi;
        std::size_t eq = raw.find('=', pos);
        if (eq != std::string_view::npos && eq < end) {
            std::size_t n = pos;
            while (n < eq && is_fws(raw[n])) ++n;
            std::size_t ne = eq;
            while (ne > n && is_fws(raw[ne - 1])) --ne;
            if (ne - n == 1 && raw[n] == 'b') {
                std::string out(raw.substr(0, eq + 1));
                out.append(raw.substr(end));
                return out;
            }
        }
        if (semi == std::string_view::npos) break;
        pos = semi + 1;
    }
    return std::string(raw);
}

void signed_header_data(const mail::Header& header, const std::vector<std::string>& names, Canon canon,
                        std::string_view sig_field, std::string& out) {
    // Field indices by lower-case name, top to bottom: one pass over the
    // header, so that a hostile h= with many names stays linear.
    std::unordered_map<std::string, std::vector<std::size_t>> by_name;
    for (std::size_t i = 0; i < header.fields.size(); ++i)
        if (header.fields[i].valid()) by_name[lower(header.fields[i].name())].push_back(i);
    for (const auto& name : names) {
        auto it = by_name.find(lower(name));
        if (it == by_name.end() || it->second.empty()) continue;
        canon_header(canon, header.fields[it->second.back()].raw, out);
        it->second.pop_back();  // the next instance of this name is the one above
    }
    std::size_t before = out.size();
    canon_header(canon, sig_field, out);
    if (out.size() >= before + 2) out.resize(out.size() - 2);  // drop the CRLF canon_header added
}

}  // namespace qauth::dkim
