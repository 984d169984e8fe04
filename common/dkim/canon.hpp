// DKIM canonicalization (RFC 6376 §3.4). Canonical text always uses CRLF line
// ends; a bare LF in the input (qmail's form) counts as CRLF, and CR LF as one
// line end.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "crypto/hash.hpp"
#include "util/result.hpp"

namespace qauth::dkim {

enum class Canon { Simple, Relaxed };

/// "simple" or "relaxed".
std::string_view canon_name(Canon c);

/// Parses a c= value (RFC 6376 §3.5): "header/body", or "header" alone with a
/// simple body. The error names the value.
Result<std::pair<Canon, Canon>> parse_canon_pair(std::string_view text);

/// Appends the canonical form of one header field (`raw`: name, colon, value,
/// folded lines) to `out`, ending with CRLF (§3.4.1 simple, §3.4.2 relaxed).
void canon_header(Canon c, std::string_view raw, std::string& out);

/// Canonicalizes a body as it streams by and feeds the result to a hasher
/// (§3.4.3 simple, §3.4.4 relaxed, §3.4.5 length limit). Works on runs: a
/// line (simple) or a stretch of text that is already relaxed-canonical is
/// copied in one piece into a buffer that goes to the hasher in big blocks;
/// memory stays flat whatever the body size.
class BodyCanonicalizer {
public:
    /// `limit`: hash at most this many canonical bytes (the l= tag).
    BodyCanonicalizer(Canon c, crypto::HashAlg alg, std::optional<std::uint64_t> limit);

    /// Feeds the next body bytes; chunk boundaries may fall anywhere.
    void update(std::string_view chunk);
    /// Ends the body and returns the raw digest (the bh= value before base64).
    std::string finish();
    /// Canonical bytes produced so far (before the limit is applied).
    std::uint64_t length() const { return flushed_ + static_cast<std::uint64_t>(out_ - buf_.get()); }
    /// Canonical bytes actually hashed (min(length, limit)).
    std::uint64_t hashed() const { return hashed_; }

private:
    void simple_update(const char* p, const char* end);
    void relaxed_update(const char* p, const char* end);
    void pay_owed();
    void content(const char* p, std::size_t n);
    void line(const char* p, std::size_t n);
    void end_line();
    void put(const char* p, std::size_t n);
    void put_slow(const char* p, std::size_t n);
    void flush();
    void hash(std::string_view data);

    Canon canon_;
    crypto::Hasher hasher_;
    std::optional<std::uint64_t> limit_;
    std::uint64_t flushed_ = 0;       // canonical bytes handed from buf_ to hash()
    std::uint64_t hashed_ = 0;
    std::uint64_t pending_crlf_ = 0;  // empty lines not yet known to be inside the body
    bool line_has_content_ = false;
    bool cr_pending_ = false;   // a CR that may turn out to start a line end
    bool wsp_pending_ = false;  // relaxed: a run of WSP not yet emitted
    std::unique_ptr<char[]> buf_;  // canonical bytes waiting for the hasher
    // Into buf_'s heap block, so a move of the canonicalizer keeps them valid.
    char* out_;  // the next free byte of buf_
    char* end_;  // the end of buf_
};

}  // namespace qauth::dkim
