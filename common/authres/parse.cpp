#include "authres/parse.hpp"

#include "util/strings.hpp"

namespace qauth::authres {

namespace {

/// The tokens of a field value (RFC 8601 §2.2 over RFC 5322 §3.2): words,
/// quoted-strings (unquoted), and the specials ";", "=" and "."; CFWS is
/// dropped. A word runs to whitespace, a comment, a quote or a special,
/// so "header.d" is three tokens and "a@b.example" five (rejoined below).
struct Token {
    enum Kind { Word, Quoted, Special } kind;
    std::string text;
};

std::optional<std::vector<Token>> tokens(std::string_view v) {
    std::vector<Token> out;
    constexpr std::size_t kMaxTokens = 4096;
    for (std::size_t i = 0; i < v.size();) {
        const char c = v[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            ++i;
        } else if (c == '(') {  // a comment, nested (RFC 5322 §3.2.2)
            int depth = 0;
            for (; i < v.size(); ++i) {
                if (v[i] == '\\') ++i;
                else if (v[i] == '(') ++depth;
                else if (v[i] == ')' && --depth == 0) break;
            }
            if (i >= v.size()) return std::nullopt;
            ++i;
        } else if (c == '"') {
            std::string q;
            for (++i; i < v.size() && v[i] != '"'; ++i) {
                if (v[i] == '\r' || v[i] == '\n') {
                    // Folding inside the quotes: authres::format() folds a
                    // reason at its spaces, so a fold reads as one space.
                    while (i + 1 < v.size() && is_fws(v[i + 1])) ++i;
                    q += ' ';
                    continue;
                }
                if (v[i] == '\\' && i + 1 < v.size()) ++i;
                q += v[i];
            }
            if (i >= v.size()) return std::nullopt;
            ++i;
            out.push_back({Token::Quoted, std::move(q)});
        } else if (c == ';' || c == '=' || c == '.' || c == ')') {
            if (c == ')') return std::nullopt;
            out.push_back({Token::Special, std::string(1, c)});
            ++i;
        } else {
            std::size_t j = i;
            while (j < v.size() && std::string_view(" \t\r\n();=.\"").find(v[j]) == std::string_view::npos) ++j;
            out.push_back({Token::Word, std::string(v.substr(i, j - i))});
            i = j;
        }
        if (out.size() > kMaxTokens) return std::nullopt;
    }
    return out;
}

class Parser {
public:
    explicit Parser(std::vector<Token> t) : t_(std::move(t)) {}

    std::optional<std::vector<MethodResult>> field() {
        // authserv-id: a value (token or quoted-string), dots and all.
        if (!value()) return std::nullopt;
        if (at(Token::Word)) ++i_;  // authres-version
        std::vector<MethodResult> out;
        if (special(";")) {
            while (true) {
                auto r = resinfo();
                if (!r) return std::nullopt;
                if (r->method != "none" || !r->result.empty()) out.push_back(std::move(*r));
                if (out.size() > kMaxResinfos) return std::nullopt;
                if (done()) break;
                if (!special(";")) return std::nullopt;
            }
        } else if (at(Token::Word) && lower(t_[i_].text) == "none") {
            ++i_;  // no-result
        }
        if (!done()) return std::nullopt;
        return out;
    }

private:
    bool done() const { return i_ >= t_.size(); }
    bool at(Token::Kind k) const { return !done() && t_[i_].kind == k; }
    bool special(std::string_view s) {
        if (!at(Token::Special) || t_[i_].text != s) return false;
        ++i_;
        return true;
    }
    std::optional<std::string> word() {
        if (!at(Token::Word)) return std::nullopt;
        return t_[i_++].text;
    }
    // A value: a quoted-string, or words joined by the dots between them
    // (a token or a [local-part "@"] domain-name, RFC 8601 §2.2 pvalue).
    std::optional<std::string> value() {
        std::optional<std::string> w;
        if (at(Token::Quoted)) {
            w = t_[i_++].text;
            // A quoted local-part: "a b"@example.com (RFC 8601 §2.2 pvalue).
            if (!at(Token::Word) || !t_[i_].text.starts_with('@')) return w;
            *w = "\"" + *w + "\"" + t_[i_++].text;
        } else {
            w = word();
        }
        if (!w) return std::nullopt;
        while (at(Token::Special) && t_[i_].text == "." && i_ + 1 < t_.size() && t_[i_ + 1].kind == Token::Word) {
            *w += "." + t_[i_ + 1].text;
            i_ += 2;
        }
        return w;
    }

    std::optional<MethodResult> resinfo() {
        MethodResult r;
        auto method = word();
        if (!method) return std::nullopt;
        r.method = lower(method->substr(0, method->find('/')));  // "dkim/1": a method-version
        if (r.method == "none" && (done() || (at(Token::Special) && t_[i_].text == ";"))) return r;
        if (!special("=")) return std::nullopt;
        auto result = word();
        if (!result) return std::nullopt;
        r.result = lower(*result);
        while (!done() && !(at(Token::Special) && t_[i_].text == ";")) {
            auto ptype = word();
            if (!ptype) return std::nullopt;
            if (lower(*ptype) == "reason" && special("=")) {
                auto v = value();
                if (!v) return std::nullopt;
                r.reason = std::move(*v);
                continue;
            }
            if (!special(".")) return std::nullopt;
            auto prop = word();
            if (!prop || !special("=")) return std::nullopt;
            auto v = value();
            if (!v) return std::nullopt;
            r.properties.push_back({lower(*ptype) + "." + lower(*prop), std::move(*v)});
            if (r.properties.size() > kMaxProperties) return std::nullopt;
        }
        return r;
    }

    std::vector<Token> t_;
    std::size_t i_ = 0;
};

}  // namespace

std::optional<std::vector<MethodResult>> parse_results(std::string_view field_value) {
    auto t = tokens(field_value);
    if (!t) return std::nullopt;
    return Parser(std::move(*t)).field();
}

std::vector<MethodResult> own_results(const mail::Header& header, std::string_view authserv_id) {
    std::vector<MethodResult> out;
    const std::size_t block = own_block(header, authserv_id);
    for (std::size_t i = 0; i < block; ++i) {
        if (!is_ours(header.fields[i], authserv_id)) continue;  // a Received-SPF field
        if (auto r = parse_results(header.fields[i].value()))
            for (auto& m : *r) out.push_back(std::move(m));
    }
    return out;
}

const std::string* property(const MethodResult& r, std::string_view name) {
    for (const auto& p : r.properties)
        if (p.name == name) return &p.value;
    return nullptr;
}

}  // namespace qauth::authres
