#include "authres/authres.hpp"

#include <algorithm>

#include "mail/fold.hpp"
#include "util/strings.hpp"

namespace qauth::authres {

namespace {

// RFC 2045 token characters: printable ASCII except SP and tspecials.
bool is_token_char(char c) {
    if (c <= 0x20 || c >= 0x7f) return false;
    return std::string_view("()<>@,;:\\\"/[]?=").find(c) == std::string_view::npos;
}

// A pvalue may be bare when it is a token, or [local-part] "@" domain made of
// token characters (RFC 8601 §2.2); anything else is a quoted-string. A value
// that printable() escaped ("\xNN") is never bare: '\' is not a token character.
std::string pvalue(std::string_view raw) {
    std::string v = printable(raw);
    int ats = 0;
    bool bare = !v.empty();
    for (char c : v) {
        if (c == '@')
            ++ats;
        else if (!is_token_char(c))
            bare = false;
    }
    return bare && ats <= 1 ? v : quoted_string(v);
}

}  // namespace

std::string format(std::string_view authserv_id, const std::vector<MethodResult>& results, std::string_view eol) {
    mail::Folder f("Authentication-Results:", eol);
    std::string id = printable(authserv_id);
    if (results.empty()) {
        f.word(id + ";");
        f.word("none");
        return f.finish();
    }
    f.word(id + ";");
    for (std::size_t r = 0; r < results.size(); ++r) {
        const auto& m = results[r];
        std::vector<std::string> words;
        words.push_back(m.method + "=" + m.result);
        if (!m.comment.empty())
            for (auto& w : split("(" + comment_text(m.comment) + ")", ' ')) words.push_back(std::move(w));
        if (!m.reason.empty()) {
            // One word per space of the reason: RFC 5322 allows folding inside
            // a quoted-string, and a reason can carry a long DNS name.
            std::string q = quoted_string(m.reason);
            q.insert(0, "reason=");
            for (auto& w : split(q, ' ')) words.push_back(std::move(w));
        }
        for (const auto& p : m.properties) words.push_back(p.name + "=" + pvalue(p.value));
        if (r + 1 < results.size()) words.back() += ";";
        for (const auto& w : words) f.word(w);
    }
    return f.finish();
}

bool valid_authserv_id(std::string_view id) {
    if (id.empty() || id.size() > 255) return false;
    for (char c : id)
        if (!is_token_char(c)) return false;
    return true;
}

std::optional<std::string> authserv_id_of(const mail::HeaderField& field) {
    std::string_view v = field.value();
    std::size_t i = 0;
    // Skip CFWS: whitespace, line ends and (nested) comments.
    for (int depth = 0; i < v.size(); ++i) {
        char c = v[i];
        if (depth > 0) {
            if (c == '\\') ++i;
            else if (c == '(') ++depth;
            else if (c == ')') --depth;
            continue;
        }
        if (c == '(') ++depth;
        else if (c != ' ' && c != '\t' && c != '\r' && c != '\n') break;
    }
    if (i >= v.size()) return std::nullopt;
    std::string id;
    if (v[i] == '"') {
        for (++i; i < v.size() && v[i] != '"'; ++i) {
            if (v[i] == '\\' && i + 1 < v.size()) ++i;
            id += v[i];
        }
        if (i >= v.size()) return std::nullopt;
    } else {
        for (; i < v.size() && v[i] != ';' && v[i] != ' ' && v[i] != '\t' && v[i] != '(' && v[i] != '\r' && v[i] != '\n';
             ++i)
            id += v[i];
    }
    if (id.empty()) return std::nullopt;
    return id;
}

bool is_ours(const mail::HeaderField& field, std::string_view authserv_id) {
    if (!field.is("Authentication-Results")) return false;
    auto id = authserv_id_of(field);
    if (!id) return false;
    auto bare = [](std::string_view v) { return v.ends_with('.') ? v.substr(0, v.size() - 1) : v; };
    return iequals(bare(*id), bare(authserv_id));
}

std::size_t own_block(const mail::Header& header, std::string_view authserv_id) {
    std::size_t n = 0;
    while (n < header.fields.size() &&
           (is_ours(header.fields[n], authserv_id) || header.fields[n].is("Received-SPF")))
        ++n;
    return n;
}

std::size_t remove_forged(mail::Header& header, std::string_view authserv_id) {
    auto& f = header.fields;
    auto first = f.begin() + static_cast<std::ptrdiff_t>(own_block(header, authserv_id));
    auto kept = std::remove_if(first, f.end(), [&](const mail::HeaderField& x) { return is_ours(x, authserv_id); });
    std::size_t removed = static_cast<std::size_t>(f.end() - kept);
    f.erase(kept, f.end());
    return removed;
}

}  // namespace qauth::authres
