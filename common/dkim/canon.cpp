#include "dkim/canon.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

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

}  // namespace

void canon_header(Canon c, std::string_view raw, std::string& out) {
    if (c == Canon::Simple)
        simple_header(raw, out);
    else
        relaxed_header(raw, out);
}

namespace {

// Canonical bytes are gathered and handed to the hasher in blocks of this
// size: SHA-256 then runs on whole blocks, and the per-call cost of the
// hasher is paid once per 16 KiB instead of once per line.
constexpr std::size_t kBufSize = 16 * 1024;

// The first byte in [p, end) where relaxed canonicalization (§3.4.4) may
// have to change something: a byte below SP (LF, CR, HTAB; the other C0
// bytes stop it too and are copied as they are), or an SP that follows an
// SP. Everything before it is already canonical and is copied in one piece;
// for text with single spaces between words that is a whole line. The byte
// before p must not be an SP still to be looked at (the caller consumes WSP
// runs before scanning).
const char* relaxed_stop(const char* p, const char* end) {
    bool after_sp = false;
#ifdef __SSE2__
    // Sixteen bytes a step, from two byte compares turned into bit masks:
    // s = "is SP", c = "is below SP" (unsigned: min(v, 0x1f) == v). An SP
    // after an SP is s & (s << 1), with the last bit of the step before
    // carried in. SSE2 is part of x86-64. Relaxed as a whole costs 2.4
    // instructions a byte with it and 8.6 with only the loop below
    // (callgrind, scripts/bench text).
    const __m128i sp = _mm_set1_epi8(' '), below_sp = _mm_set1_epi8(' ' - 1);
    unsigned carry = 0;
    for (; end - p >= 16; p += 16) {
        __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        unsigned s = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, sp)));
        unsigned c = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(v, below_sp), v)));
        if (unsigned stop = c | (s & (s << 1 | carry))) return p + std::countr_zero(stop);
        carry = s >> 15;
    }
    after_sp = carry;
#endif
    for (; p < end; ++p) {
        auto b = static_cast<unsigned char>(*p);
        if (b > ' ') {  // most bytes: one test
            after_sp = false;
            continue;
        }
        if (b < ' ' || after_sp) return p;
        after_sp = true;
    }
    return end;
}

}  // namespace

BodyCanonicalizer::BodyCanonicalizer(Canon c, crypto::HashAlg alg, std::optional<std::uint64_t> limit)
    : canon_(c), hasher_(alg), limit_(limit), buf_(std::make_unique_for_overwrite<char[]>(kBufSize)),
      out_(buf_.get()), end_(buf_.get() + kBufSize) {}

// §3.4.5: bytes past the limit are counted but not hashed.
void BodyCanonicalizer::hash(std::string_view data) {
    if (limit_) {
        std::uint64_t room = *limit_ > hashed_ ? *limit_ - hashed_ : 0;
        if (data.size() > room) data = data.substr(0, room);
    }
    if (data.empty()) return;
    hasher_.update(data);
    hashed_ += data.size();
}

void BodyCanonicalizer::flush() {
    std::string_view data(buf_.get(), static_cast<std::size_t>(out_ - buf_.get()));
    hash(data);
    flushed_ += data.size();
    out_ = buf_.get();
}

inline void BodyCanonicalizer::put(const char* p, std::size_t n) {
    if (n > static_cast<std::size_t>(end_ - out_)) return put_slow(p, n);
    std::memcpy(out_, p, n);
    out_ += n;
}

// The run does not fit: fill the buffer, hash it, go on. The hasher always
// gets whole buffers (a multiple of SHA's 64-byte block) until finish().
void BodyCanonicalizer::put_slow(const char* p, std::size_t n) {
    while (n > 0) {
        std::size_t k = std::min(n, static_cast<std::size_t>(end_ - out_));
        std::memcpy(out_, p, k);
        out_ += k;
        p += k;
        n -= k;
        if (out_ == end_) flush();
    }
}

// What content in a line makes due before it: the empty lines waiting
// before the line are body after all (§3.4.3), and a WSP run before the
// content is one SP (§3.4.4). Empty lines wait only while the line has no
// content, so pending_crlf_ > 0 means the line has none yet.
void BodyCanonicalizer::pay_owed() {
    for (; pending_crlf_ > 0; --pending_crlf_) put("\r\n", 2);
    if (wsp_pending_) {
        put(" ", 1);
        wsp_pending_ = false;
    }
}

// Bytes of a line that are already canonical.
inline void BodyCanonicalizer::content(const char* p, std::size_t n) {
    if ((pending_crlf_ | wsp_pending_) != 0) pay_owed();
    line_has_content_ = true;
    put(p, n);
}

// The last canonical bytes of a line (n > 0) and its line end. Most lines of
// text come here whole: then it is one copy and the CRLF.
inline void BodyCanonicalizer::line(const char* p, std::size_t n) {
    if ((pending_crlf_ | wsp_pending_) != 0) pay_owed();
    if (n + 2 <= static_cast<std::size_t>(end_ - out_)) {
        char* out = out_;  // a local: memcpy cannot change it, so no reload
        std::memcpy(out, p, n);
        out[n] = '\r';
        out[n + 1] = '\n';
        out_ = out + n + 2;
    } else {
        put(p, n);
        put("\r\n", 2);
    }
    line_has_content_ = false;
}

inline void BodyCanonicalizer::end_line() {
    if (line_has_content_)
        put("\r\n", 2);
    else
        ++pending_crlf_;
    line_has_content_ = false;
    wsp_pending_ = false;  // §3.4.4: WSP at the end of a line is dropped
}

void BodyCanonicalizer::update(std::string_view chunk) {
    if (chunk.empty()) return;
    const char* p = chunk.data();
    const char* end = p + chunk.size();
    if (cr_pending_) {
        cr_pending_ = false;
        if (*p == '\n') {
            end_line();
            ++p;
        } else {
            content("\r", 1);  // a bare CR is ordinary content
        }
    }
    if (canon_ == Canon::Simple)
        simple_update(p, end);
    else
        relaxed_update(p, end);
}

// §3.4.3: lines as they are, each ended with CRLF; empty lines wait until a
// line with content shows they are not at the end of the body.
void BodyCanonicalizer::simple_update(const char* p, const char* end) {
    while (auto* lf = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)))) {
        const char* stop = lf > p && lf[-1] == '\r' ? lf - 1 : lf;  // CR LF is one line end
        if (stop > p)
            line(p, static_cast<std::size_t>(stop - p));
        else
            end_line();
        p = lf + 1;
    }
    // The rest is the start of a line. A CR at its end may begin the line
    // end: the next chunk tells.
    if (p < end && end[-1] == '\r') {
        cr_pending_ = true;
        --end;
    }
    if (p < end) content(p, static_cast<std::size_t>(end - p));
}

// §3.4.4: as simple, but a WSP run inside a line becomes one SP and one at
// the end of a line goes. Stretches that need neither are copied whole.
void BodyCanonicalizer::relaxed_update(const char* p, const char* end) {
    while (p < end) {
        if (is_wsp(*p)) {
            // The run is written as one SP before the next content, unless a
            // line end comes first; it may go on in the next chunk.
            wsp_pending_ = true;
            while (++p < end && is_wsp(*p)) {
            }
            continue;
        }
        if (*p == '\n') {
            end_line();
            ++p;
            continue;
        }
        if (*p == '\r') {
            if (p + 1 == end) {
                cr_pending_ = true;  // the next chunk tells
                return;
            }
            if (p[1] == '\n') {
                end_line();
                p += 2;
            } else {
                content(p++, 1);  // a bare CR is ordinary content
            }
            continue;
        }
        // Canonical bytes up to the next byte that may need a change. An SP
        // just before it may start a run or end the line: it is left for the
        // WSP case above.
        const char* stop = relaxed_stop(p + 1, end);
        if (stop < end && *stop == '\n' && stop[-1] != ' ') {  // most lines of text: the rest of the line
            line(p, static_cast<std::size_t>(stop - p));
            p = stop + 1;
            continue;
        }
        if (stop[-1] == ' ') --stop;
        content(p, static_cast<std::size_t>(stop - p));
        p = stop;
    }
}

std::string BodyCanonicalizer::finish() {
    if (cr_pending_) {
        cr_pending_ = false;
        content("\r", 1);
    }
    if (line_has_content_) end_line();  // a last line without a line end gets CRLF
    // Trailing empty lines (pending_crlf_) are dropped. An empty body is CRLF
    // in simple (§3.4.3) and nothing in relaxed (§3.4.4).
    if (length() == 0 && canon_ == Canon::Simple) put("\r\n", 2);
    flush();
    return hasher_.final();
}

}  // namespace qauth::dkim
