#include "dkim/canon.hpp"

#include "util/strings.hpp"

namespace qauth::dkim {

std::string_view canon_name(Canon c) { return c == Canon::Simple ? "simple" : "relaxed"; }

Result<std::pair<Canon, Canon>> parse_canon_pair(std::string_view text) {
    auto one = [](std::string_view w) -> std::optional<Canon> {
        if (w == "simple") return Canon::Simple;
        if (w == "relaxed") return Canon::Relaxed;
        return std::nullopt;
    };
    std::size_t slash = text.find('/');
    auto h = one(text.substr(0, slash));
    auto b = slash == std::string_view::npos ? std::optional<Canon>(Canon::Simple) : one(text.substr(slash + 1));
    if (!h || !b) return fail("RFC 6376 3.5: unsupported canonicalization c=" + std::string(text.substr(0, 32)));
    return std::pair{*h, *b};
}

namespace {

bool is_wsp(char c) { return c == ' ' || c == '\t'; }

// Simple (§3.4.1): the field unchanged, but line ends made CRLF.
void simple_header(std::string_view raw, std::string& out) {
    for (std::size_t i = 0; i < raw.size(); ++i) {
        char c = raw[i];
        if (c == '\r' && i + 1 < raw.size() && raw[i + 1] == '\n') continue;
        if (c == '\n') {
            out += "\r\n";
            continue;
        }
        out += c;
    }
    if (raw.empty() || raw.back() != '\n') out += "\r\n";
}

// Relaxed (§3.4.2): lower-case name, unfold, WSP runs to one SP, no WSP at the
// end of the value or around the colon.
void relaxed_header(std::string_view raw, std::string& out) {
    std::size_t colon = raw.find(':');
    std::string_view name = raw.substr(0, colon);
    while (!name.empty() && is_wsp(name.back())) name.remove_suffix(1);
    for (char c : name) out += ascii_lower(c);
    out += ':';
    if (colon == std::string_view::npos) {
        out += "\r\n";
        return;
    }
    bool wsp = false, started = false;
    for (std::size_t i = colon + 1; i < raw.size(); ++i) {
        char c = raw[i];
        if (c == '\n' || (c == '\r' && i + 1 < raw.size() && raw[i + 1] == '\n')) continue;  // unfold
        if (is_wsp(c)) {
            wsp = true;
            continue;
        }
        if (wsp && started) out += ' ';
        wsp = false;
        started = true;
        out += c;
    }
    out += "\r\n";
}

constexpr std::size_t kFlushAt = 16 * 1024;

}  // namespace

void canon_header(Canon c, std::string_view raw, std::string& out) {
    if (c == Canon::Simple)
        simple_header(raw, out);
    else
        relaxed_header(raw, out);
}

BodyCanonicalizer::BodyCanonicalizer(Canon c, crypto::HashAlg alg, std::optional<std::uint64_t> limit)
    : canon_(c), hasher_(alg), limit_(limit) {
    out_.reserve(kFlushAt + 1024);
}

void BodyCanonicalizer::emit(std::string_view s) {
    any_output_ = true;
    length_ += s.size();
    out_.append(s);
    if (out_.size() >= kFlushAt) flush();
}

void BodyCanonicalizer::flush() {
    std::string_view data = out_;
    if (limit_) {
        std::uint64_t room = *limit_ > hashed_ ? *limit_ - hashed_ : 0;
        if (data.size() > room) data = data.substr(0, room);
    }
    hasher_.update(data);
    hashed_ += data.size();
    out_.clear();
}

void BodyCanonicalizer::content(std::string_view run) {
    if (!line_has_content_) {
        // The line is not empty, so the empty lines before it are body (§3.4.3).
        for (; pending_crlf_ > 0; --pending_crlf_) emit("\r\n");
        line_has_content_ = true;
    }
    if (wsp_pending_) {
        emit(" ");
        wsp_pending_ = false;
    }
    emit(run);
}

void BodyCanonicalizer::end_line() {
    if (line_has_content_)
        emit("\r\n");
    else
        ++pending_crlf_;
    line_has_content_ = false;
    wsp_pending_ = false;  // §3.4.4: WSP at the end of a line is dropped
}

void BodyCanonicalizer::update(std::string_view chunk) {
    const bool relaxed = canon_ == Canon::Relaxed;
    std::size_t i = 0;
    const std::size_t n = chunk.size();
    while (i < n) {
        if (cr_pending_) {
            cr_pending_ = false;
            if (chunk[i] == '\n') {
                end_line();
                ++i;
                continue;
            }
            content("\r");  // a bare CR is ordinary content
        }
        // Hand over runs of ordinary bytes in one piece: this is the hot loop.
        std::size_t j = i;
        while (j < n) {
            char c = chunk[j];
            if (c == '\r' || c == '\n' || (relaxed && is_wsp(c))) break;
            ++j;
        }
        if (j > i) {
            content(chunk.substr(i, j - i));
            i = j;
            continue;
        }
        char c = chunk[i++];
        if (c == '\r')
            cr_pending_ = true;
        else if (c == '\n')
            end_line();
        else
            wsp_pending_ = true;  // relaxed WSP: runs become one SP, unless the line ends
    }
}

std::string BodyCanonicalizer::finish() {
    if (cr_pending_) {
        cr_pending_ = false;
        content("\r");
    }
    if (line_has_content_) end_line();  // a last line without a line end gets CRLF
    // Trailing empty lines (pending_crlf_) are dropped. An empty body is CRLF
    // in simple (§3.4.3) and nothing in relaxed (§3.4.4).
    if (!any_output_ && canon_ == Canon::Simple) emit("\r\n");
    flush();
    return hasher_.final();
}

}  // namespace qauth::dkim
