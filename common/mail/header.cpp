#include "mail/header.hpp"

#include "util/strings.hpp"

namespace qauth::mail {

std::string_view eol(LineEnd le) { return le == LineEnd::CrLf ? "\r\n" : "\n"; }

std::string_view HeaderField::value() const {
    if (!valid()) return {};
    std::string_view v = std::string_view(raw).substr(colon + 1);
    if (!v.empty() && v.back() == '\n') v.remove_suffix(1);
    if (!v.empty() && v.back() == '\r') v.remove_suffix(1);
    return v;
}

std::string HeaderField::unfolded_value() const {
    std::string out;
    std::string_view v = value();
    out.reserve(v.size());
    for (char c : v)
        if (c != '\r' && c != '\n') out += c;
    std::size_t b = out.find_first_not_of(" \t");
    if (b == std::string::npos) return {};
    std::size_t e = out.find_last_not_of(" \t");
    return out.substr(b, e - b + 1);
}

bool HeaderField::is(std::string_view field_name) const { return valid() && iequals(name(), field_name); }

std::vector<std::size_t> Header::find_all(std::string_view name) const {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < fields.size(); ++i)
        if (fields[i].is(name)) out.push_back(i);
    return out;
}

std::size_t Header::count(std::string_view name) const {
    std::size_t n = 0;
    for (const auto& f : fields) n += f.is(name);
    return n;
}

namespace {

// RFC 5322 §3.6.8: ftext is printable US-ASCII except the colon.
bool is_ftext(unsigned char c) { return c >= 33 && c <= 126 && c != ':'; }

void locate_name(HeaderField& f) {
    std::string_view r = f.raw;
    std::size_t colon = r.find(':');
    if (colon == std::string_view::npos || colon == 0) return;
    std::size_t end = colon;
    while (end > 0 && (r[end - 1] == ' ' || r[end - 1] == '\t')) --end;  // obs-optional WSP
    if (end == 0) return;
    for (std::size_t i = 0; i < end; ++i)
        if (!is_ftext(static_cast<unsigned char>(r[i]))) return;
    f.name_len = end;
    f.colon = colon;
}

}  // namespace

void parse_fields(std::string_view block, std::vector<HeaderField>& out) {
    std::size_t pos = 0;
    bool continuable = false;  // a folded line may extend the last field
    while (pos < block.size()) {
        std::size_t nl = block.find('\n', pos);
        std::size_t end = nl == std::string_view::npos ? block.size() : nl + 1;
        std::string_view line = block.substr(pos, end - pos);
        pos = end;
        if ((line[0] == ' ' || line[0] == '\t') && continuable) {
            out.back().raw.append(line);
            continue;
        }
        out.push_back(HeaderField{std::string(line)});
        continuable = true;
    }
    for (auto& f : out)
        if (f.name_len == 0) locate_name(f);
}

}  // namespace qauth::mail
