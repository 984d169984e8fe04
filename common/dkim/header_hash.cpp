#include "dkim/header_hash.hpp"

#include <unordered_map>

#include "util/strings.hpp"

namespace qauth::dkim {

namespace {

bool is_fws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

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
    // Per name, how many instances from the bottom are already used.
    std::unordered_map<std::string, std::size_t> used;
    for (const auto& name : names) {
        std::string key = lower(name);
        std::size_t& skip = used[key];
        std::size_t seen = 0;
        for (std::size_t i = header.fields.size(); i-- > 0;) {
            if (!header.fields[i].is(name)) continue;
            if (seen++ < skip) continue;
            canon_header(canon, header.fields[i].raw, out);
            break;
        }
        ++skip;
    }
    std::size_t before = out.size();
    canon_header(canon, sig_field, out);
    if (out.size() >= before + 2) out.resize(out.size() - 2);  // drop the CRLF canon_header added
}

}  // namespace qauth::dkim
