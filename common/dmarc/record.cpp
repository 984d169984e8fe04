#include "dmarc/record.hpp"

#include <array>
#include <charconv>

#include "util/strings.hpp"
#include "util/tag_list.hpp"

namespace qauth::dmarc {

namespace {

constexpr std::string_view kVersion = "DMARC1";

// WSP (RFC 5234 B.1): the only whitespace dmarc-version and dmarc-sep allow.
bool is_wsp(char c) { return c == ' ' || c == '\t'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string_view trim_wsp(std::string_view s) {
    while (!s.empty() && is_wsp(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_wsp(s.back())) s.remove_suffix(1);
    return s;
}

// A value as a warning shows it: sanitised and short (it came from DNS).
std::string shown(std::string_view v) { return "\"" + printable(v, 40) + "\""; }

// dmarc-request = "none" / "quarantine" / "reject" (RFC 7489 §6.4).
std::optional<Policy> parse_policy(std::string_view v) {
    if (iequals(v, "none")) return Policy::None;
    if (iequals(v, "quarantine")) return Policy::Quarantine;
    if (iequals(v, "reject")) return Policy::Reject;
    return std::nullopt;
}

// dmarc-adkim / dmarc-aspf = "r" / "s" (RFC 7489 §6.4).
std::optional<Alignment> parse_alignment(std::string_view v) {
    if (iequals(v, "r")) return Alignment::Relaxed;
    if (iequals(v, "s")) return Alignment::Strict;
    return std::nullopt;
}

// An unsigned decimal of at most `max_digits` digits and at most `max`.
std::optional<std::uint32_t> parse_number(std::string_view v, std::size_t max_digits, std::uint32_t max) {
    if (v.empty() || v.size() > max_digits) return std::nullopt;
    for (char c : v)
        if (!is_digit(c)) return std::nullopt;
    std::uint64_t n = 0;
    std::from_chars(v.data(), v.data() + v.size(), n);
    if (n > max) return std::nullopt;
    return static_cast<std::uint32_t>(n);
}

// A ':'-separated list with *WSP around each ':' whose items pass `item`,
// normalised to lower case without whitespace; nullopt when any item fails
// (dmarc-fo, dmarc-rfmt, RFC 7489 §6.4).
template <typename Pred>
std::optional<std::string> parse_colon_list(std::string_view v, Pred item) {
    std::string out;
    for (const std::string& piece : split(v, ':')) {
        std::string word = lower(trim_wsp(piece));
        if (!item(word)) return std::nullopt;
        if (!out.empty()) out += ':';
        out += word;
    }
    return out;
}

bool fo_item(const std::string& w) { return w == "0" || w == "1" || w == "d" || w == "s"; }

// Keyword (RFC 5321 §4.1.2, the rf= item): Ldh-str, letters, digits and
// hyphens, starting with a letter or digit and not ending in a hyphen.
bool keyword_item(const std::string& w) {
    if (w.empty() || w.size() > 64 || w.back() == '-' || w.front() == '-') return false;
    for (char c : w)
        if (!is_alpha(c) && !is_digit(c) && c != '-') return false;
    return true;
}

// dmarc-uri = URI [ "!" 1*DIGIT [ "k" / "m" / "g" / "t" ] ] (RFC 7489 §6.4),
// URI from RFC 3986 §3: scheme ":" and a non-empty rest of URI characters
// (commas and '!' in the URI itself must be %-encoded, so the first '!'
// starts the size). This is the syntax check §6.6.3 asks for ("at least
// one syntactically valid reporting URI"), not a full RFC 3986 parser:
// callers that use a URI check its scheme themselves.
bool valid_uri(std::string_view u) {
    if (std::size_t bang = u.find('!'); bang != std::string_view::npos) {
        // "the numeric portion MUST fit within an unsigned 64-bit integer"
        std::string_view size = u.substr(bang + 1);
        u = u.substr(0, bang);
        if (!size.empty() && std::string_view("kmgtKMGT").find(size.back()) != std::string_view::npos)
            size.remove_suffix(1);
        if (size.empty() || size.find_first_not_of("0123456789") != std::string_view::npos) return false;
        std::uint64_t n = 0;
        if (std::from_chars(size.data(), size.data() + size.size(), n).ec != std::errc{}) return false;
    }
    const std::size_t colon = u.find(':');
    if (colon == 0 || colon == std::string_view::npos || colon + 1 == u.size() || !is_alpha(u[0])) return false;
    for (char c : u.substr(0, colon))
        if (!is_alpha(c) && !is_digit(c) && c != '+' && c != '-' && c != '.') return false;
    // RFC 3986 §2: unreserved, reserved and '%'; all printable ASCII but
    // these, which a URI never contains unencoded.
    for (char c : u) {
        unsigned char b = static_cast<unsigned char>(c);
        if (b <= 0x20 || b >= 0x7f) return false;
        if (c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`' || c == '{' || c == '|' || c == '}')
            return false;
    }
    return true;
}

// dmarc-urilist = dmarc-uri *(*WSP "," *WSP dmarc-uri): the valid URIs,
// at most kMaxUris. What was dropped (invalid URIs, the first one shown,
// and URIs beyond the bound) is one line in `warnings`, so that the lines
// stay bounded by the tag count however long the list.
std::vector<std::string> parse_uri_list(std::string_view tag, std::string_view v, std::vector<std::string>& warnings) {
    std::vector<std::string> uris;
    std::size_t invalid = 0, extra = 0;
    std::string first_invalid;
    for (const std::string& piece : split(v, ',')) {
        std::string_view u = trim_wsp(piece);
        if (!valid_uri(u)) {
            if (invalid++ == 0) first_invalid = shown(u);
        } else if (uris.size() == kMaxUris) {
            ++extra;
        } else {
            uris.emplace_back(u);
        }
    }
    std::string line;
    if (invalid > 0) {
        line = "RFC 7489 6.4: " + std::string(tag) + "= URI " + first_invalid + " is not valid";
        if (invalid > 1) line += " (nor are " + std::to_string(invalid - 1) + " more)";
        line += ", ignored";
    }
    if (extra > 0)
        line += (line.empty() ? "RFC 7489 6.2: " + std::string(tag) + "=" : ";") + " more than " +
                std::to_string(kMaxUris) + " valid URIs, the rest ignored";
    if (!line.empty()) warnings.push_back(std::move(line));
    return uris;
}

// The tags this parser knows, for the duplicate check (tag index = bit).
constexpr std::array<std::string_view, 13> kTags = {"p",   "sp",  "np",  "pct", "adkim", "aspf", "t",
                                                    "psd", "rua", "ruf", "fo",  "ri",    "rf"};

}  // namespace

bool is_dmarc_record(std::string_view text) {
    if (text.empty() || (text[0] != 'v' && text[0] != 'V')) return false;
    std::size_t i = 1;
    while (i < text.size() && is_wsp(text[i])) ++i;
    if (i == text.size() || text[i] != '=') return false;
    ++i;
    while (i < text.size() && is_wsp(text[i])) ++i;
    if (text.substr(i, kVersion.size()) != kVersion) return false;
    i += kVersion.size();
    while (i < text.size() && is_wsp(text[i])) ++i;
    return i == text.size() || text[i] == ';';
}

Result<std::optional<std::string_view>> select_record(std::span<const std::string> txt_records) {
    std::optional<std::string_view> chosen;
    std::size_t count = 0;
    for (const auto& txt : txt_records) {
        if (!is_dmarc_record(txt)) continue;
        if (++count == 1) chosen = txt;
    }
    if (count > 1) return fail("RFC 7489 6.6.3: " + std::to_string(count) + " v=DMARC1 records, none applies");
    return chosen;
}

Result<Record> parse_record(std::string_view text, Rfc rfc) {
    if (text.size() > kMaxRecordSize)
        return fail("DMARC record longer than " + std::to_string(kMaxRecordSize) + " octets");
    if (!is_dmarc_record(text)) return fail("RFC 7489 6.3: record does not start with \"v=DMARC1\"");
    auto specs = split_tag_specs(text, kMaxTags, "qauth's bound");
    if (!specs) return std::unexpected(specs.error());

    const bool bis = rfc == Rfc::Dmarcbis;
    Record r;
    auto& warn = r.warnings;
    std::uint32_t seen = 0;
    bool p_valid = false, sp_invalid = false;
    // specs[0] is the version tag, which is_dmarc_record() checked.
    for (std::size_t k = 1; k < specs->size(); ++k) {
        const TagSpec& spec = (*specs)[k];
        const std::string name = lower(spec.name);
        const std::string_view v = spec.value;
        if (!spec.has_equals) {
            warn.push_back("RFC 7489 6.4: tag-spec " + shown(spec.name) + " without '=', ignored");
            continue;
        }
        if (name == "v") {
            warn.push_back("RFC 7489 6.3: v= repeated, ignored");
            continue;
        }
        std::size_t idx = 0;
        while (idx < kTags.size() && kTags[idx] != name) ++idx;
        // Unknown tags MUST be ignored (RFC 7489 §6.3); so are the tags the
        // other specification defines: pct= in RFC 9989 mode (removed by
        // RFC 9989, replaced by t=), t= and psd= in RFC 7489 mode.
        if (idx == kTags.size()) continue;
        if (bis ? name == "pct" : (name == "t" || name == "psd")) continue;
        if (seen & (1u << idx)) {
            warn.push_back("RFC 7489 6.3: " + name + "= repeated, the first one counts");
            continue;
        }
        seen |= 1u << idx;
        auto invalid = [&](std::string_view dflt) {
            warn.push_back("RFC 7489 6.3: " + name + "=" + shown(v) + " is not valid, using " + std::string(dflt));
        };
        if (name == "p") {
            if (auto pol = parse_policy(v)) {
                r.p = *pol;
                p_valid = true;
            } else if (bis) {
                invalid("none");
            }
        } else if (name == "sp" || name == "np") {
            auto& field = name == "sp" ? r.sp : r.np;
            if (auto pol = parse_policy(v))
                field = *pol;
            else if (name == "sp" && !bis)
                sp_invalid = true;  // §6.6.3, decided below
            else
                invalid(name == "sp" ? "p" : "sp or p");
        } else if (name == "pct") {
            if (auto n = parse_number(v, 3, 100))
                r.pct = static_cast<int>(*n);
            else
                invalid("100");
        } else if (name == "adkim" || name == "aspf") {
            if (auto a = parse_alignment(v))
                (name == "adkim" ? r.adkim : r.aspf) = *a;
            else
                invalid("r");
        } else if (name == "t") {
            if (iequals(v, "y") || iequals(v, "n"))
                r.testing = iequals(v, "y");
            else
                invalid("n");
        } else if (name == "psd") {
            if (v.size() == 1 && (iequals(v, "y") || iequals(v, "n") || iequals(v, "u")))
                r.psd = ascii_lower(v[0]);
            else
                invalid("u");
        } else if (name == "rua" || name == "ruf") {
            (name == "rua" ? r.rua : r.ruf) = parse_uri_list(name, v, warn);
        } else if (name == "fo") {
            if (auto fo = parse_colon_list(v, fo_item))
                r.fo = *fo;
            else
                invalid("0");
        } else if (name == "ri") {
            if (auto n = parse_number(v, 10, UINT32_MAX))
                r.ri = *n;
            else
                invalid("86400");
        } else if (name == "rf") {
            if (auto rf = parse_colon_list(v, keyword_item))
                r.rf = *rf;
            else
                invalid("afrf");
        }
    }

    // RFC 7489 §6.6.3, last paragraph: "If a retrieved policy record does
    // not contain a valid "p" tag, or contains an "sp" tag that is not
    // valid, then: 1. if a "rua" tag is present and contains at least one
    // syntactically valid reporting URI, the Mail Receiver SHOULD act as if
    // a record containing a valid "v" tag and "p=none" was retrieved ...;
    // 2. otherwise, the Mail Receiver applies no DMARC processing". RFC 9989
    // makes p= optional (absent: none) and an invalid one falls back to
    // its default like every other tag.
    if (!bis && (!p_valid || sp_invalid)) {
        const std::string why = !p_valid ? "no valid p= tag" : "an invalid sp= tag";
        if (r.rua.empty()) return fail("RFC 7489 6.6.3: record has " + why + " and no valid rua= URI");
        warn.push_back("RFC 7489 6.6.3: record has " + why + " but a valid rua= URI, read as p=none");
        r.p = Policy::None;
        r.sp.reset();
    }
    return r;
}

std::string record_text(const Record& record, Rfc rfc) {
    const bool bis = rfc == Rfc::Dmarcbis;
    std::string out = "v=DMARC1; p=" + std::string(policy_name(record.p));
    auto tag = [&out](std::string_view name, std::string_view value) {
        out += "; ";
        out += name;
        out += '=';
        out += value;
    };
    auto uris = [](const std::vector<std::string>& list) {
        std::string joined;
        for (const auto& u : list) joined += (joined.empty() ? "" : ",") + u;
        return joined;
    };
    if (record.sp) tag("sp", policy_name(*record.sp));
    if (record.np) tag("np", policy_name(*record.np));
    if (!record.rua.empty()) tag("rua", uris(record.rua));
    if (!record.ruf.empty()) tag("ruf", uris(record.ruf));
    if (record.adkim == Alignment::Strict) tag("adkim", "s");
    if (record.aspf == Alignment::Strict) tag("aspf", "s");
    if (record.ri != 86400) tag("ri", std::to_string(record.ri));
    if (record.fo != "0") tag("fo", record.fo);
    if (record.rf != "afrf") tag("rf", record.rf);
    if (!bis && record.pct != 100) tag("pct", std::to_string(record.pct));
    if (bis && record.testing) tag("t", "y");
    if (bis && record.psd != 'u') tag("psd", std::string(1, record.psd));
    return out;
}

}  // namespace qauth::dmarc
