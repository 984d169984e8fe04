#include "dnsrecords/template.hpp"

#include <algorithm>
#include <cstdio>

#include "dmarc/record.hpp"
#include "dns/domain.hpp"
#include "spf/record.hpp"
#include "util/io.hpp"
#include "util/strings.hpp"

namespace qauth::dnsrecords {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }

/// Reads one line of the template; `where` is "FILE line N" for errors.
class LineReader {
public:
    LineReader(std::string_view line, std::string where) : s_(line), where_(std::move(where)) {}

    const std::string& where() const { return where_; }
    std::unexpected<Error> error(std::string_view why) const { return fail(where_ + ": " + std::string(why)); }

    void skip_space() {
        while (i_ < s_.size() && is_space(s_[i_])) ++i_;
    }
    bool at_end() {
        skip_space();
        return i_ == s_.size();
    }
    char peek() const { return s_[i_]; }

    /// The next whitespace-separated word.
    std::string_view word() {
        skip_space();
        std::size_t start = i_;
        while (i_ < s_.size() && !is_space(s_[i_])) ++i_;
        return s_.substr(start, i_ - start);
    }

    /// A quoted character-string (RFC 1035 §5.1) at the current position,
    /// unescaped, appended to `out`.
    Result<void> quoted(std::string& out) {
        ++i_;  // the opening quote
        while (i_ < s_.size() && s_[i_] != '"') {
            char c = s_[i_++];
            if (c != '\\') {
                out += c;
                continue;
            }
            if (i_ == s_.size()) break;
            if (s_[i_] >= '0' && s_[i_] <= '9') {
                if (i_ + 3 > s_.size()) return error("RFC 1035 5.1: \\DDD needs three digits");
                int v = 0;
                for (int k = 0; k < 3; ++k, ++i_) {
                    if (s_[i_] < '0' || s_[i_] > '9') return error("RFC 1035 5.1: \\DDD needs three digits");
                    v = v * 10 + (s_[i_] - '0');
                }
                if (v > 255) return error("RFC 1035 5.1: \\DDD over 255");
                out += static_cast<char>(v);
            } else {
                out += s_[i_++];
            }
        }
        if (i_ == s_.size()) return error("RFC 1035 5.1: unterminated string");
        ++i_;  // the closing quote
        return {};
    }

private:
    std::string_view s_;
    std::string where_;
    std::size_t i_ = 0;
};

/// `line` with the placeholders replaced.
Result<std::string> substitute(std::string_view line, std::string_view domain, const std::optional<std::string>& ip,
                               const LineReader& r) {
    std::string out;
    for (std::size_t i = 0; i < line.size();) {
        if (line[i] != '<') {
            out += line[i++];
            continue;
        }
        std::string_view rest = line.substr(i);
        if (rest.starts_with("<domain>")) {
            out += domain;
            i += 8;
        } else if (rest.starts_with("<ip>")) {
            if (!ip) return r.error("<ip> in the template needs --ip");
            out += *ip;
            i += 4;
        } else {
            std::size_t end = rest.find('>');
            return r.error("unknown placeholder " + printable(rest.substr(0, end == rest.npos ? 20 : end + 1)) +
                           " (want <domain> or <ip>)");
        }
    }
    return out;
}

/// The owner name of a line, absolute, checked to lie within `domain`.
Result<std::string> owner_name(std::string_view owner, std::string_view domain, const LineReader& r) {
    std::string full = owner == "@" ? std::string(domain)
                       : owner.ends_with('.') ? std::string(owner)
                                              : std::string(owner) + "." + std::string(domain);
    auto name = dns::Domain::parse(full, dns::NameRules::Mail);
    if (!name) return r.error("bad owner name '" + printable(owner) + "': " + name.error().reason);
    auto top = dns::Domain::parse(domain, dns::NameRules::Mail);
    if (!top || !name->within(*top)) return r.error("owner name " + name->str() + " is not within " + std::string(domain));
    return name->str();
}

/// A TXT text from the template that claims to be SPF or DMARC must parse.
Result<void> check_policy_text(std::string_view text, const LineReader& r) {
    if (spf::is_spf_record(text))
        if (auto rec = spf::parse_record(text); !rec) return r.error(rec.error().reason);
    if (dmarc::is_dmarc_record(text))
        if (auto rec = dmarc::parse_record(text); !rec) return r.error(rec.error().reason);
    return {};
}

Result<TxtRecord> parse_line(std::string_view line, std::string_view domain, const std::optional<std::string>& ip,
                             const std::string& where) {
    auto text = substitute(line, domain, ip, LineReader(line, where));
    if (!text) return std::unexpected(text.error());
    LineReader in(*text, where);
    auto owner = owner_name(in.word(), domain, in);
    if (!owner) return std::unexpected(owner.error());
    std::string_view w = in.word();
    if (!w.empty() && w.find_first_not_of("0123456789") == w.npos) w = in.word();  // TTL
    if (iequals(w, "IN")) w = in.word();
    if (!iequals(w, "TXT"))
        return in.error("type '" + printable(w) + "' not supported: the template holds TXT records only");
    TxtRecord rec{*owner, {}};
    bool paren = false, strings = false;
    while (!in.at_end()) {
        char c = in.peek();
        if (c == ';' && !paren) break;  // a comment to the end of the line (RFC 1035 5.1)
        if (c == '"') {
            if (auto ok = in.quoted(rec.text); !ok) return std::unexpected(ok.error());
            strings = true;
            if (rec.text.size() > kMaxTxtText)
                return in.error("TXT text over " + std::to_string(kMaxTxtText) + " bytes");
        } else if (c == '(' && !paren && !strings) {
            paren = true;
            in.word();
        } else if (c == ')' && paren) {
            paren = false;
            if (in.word() != ")") return in.error("RFC 1035 5.1: text after ')'");
            if (!in.at_end()) return in.error("RFC 1035 5.1: text after ')'");
        } else {
            return in.error("RFC 1035 5.1: want a quoted string, got '" + printable(in.word()) + "'");
        }
    }
    if (paren) return in.error("RFC 1035 5.1: '(' without ')' on the same line");
    if (!strings) return in.error("RFC 1035 3.3.14: TXT without a string");
    if (auto ok = check_policy_text(rec.text, in); !ok) return std::unexpected(ok.error());
    return rec;
}

}  // namespace

Result<std::string> read_template(const qmail::ControlDir& control) {
    bool missing = false;
    auto text = io::read_file(control.path("dnstemplate"), kMaxTemplateSize, &missing);
    if (!text && missing) return std::string(kDefaultTemplate);
    return text;
}

Result<std::vector<TxtRecord>> expand_template(std::string_view text, std::string_view domain,
                                               const std::optional<std::string>& ip, std::string_view source) {
    std::vector<TxtRecord> out;
    std::size_t number = 0;
    for (const std::string& raw : split(text, '\n')) {
        ++number;
        const std::string where = std::string(source) + " line " + std::to_string(number);
        for (char c : raw)
            if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) {
                char hex[8];
                std::snprintf(hex, sizeof hex, "\\x%02x", static_cast<unsigned char>(c));
                return fail(where + ": control character " + hex + " (no NUL, CR or others)");
            }
        std::string_view line = raw;
        while (!line.empty() && is_space(line.front())) line.remove_prefix(1);
        while (!line.empty() && is_space(line.back())) line.remove_suffix(1);
        if (line.empty() || line.front() == ';' || line.front() == '#') continue;
        if (out.size() == kMaxTemplateRecords)
            return fail(where + ": more than " + std::to_string(kMaxTemplateRecords) + " records");
        auto rec = parse_line(line, domain, ip, where);
        if (!rec) return std::unexpected(rec.error());
        if (std::find(out.begin(), out.end(), *rec) == out.end()) out.push_back(std::move(*rec));
    }
    return out;
}

}  // namespace qauth::dnsrecords
