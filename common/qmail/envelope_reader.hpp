// The envelope a QMAILQUEUE program reads on fd 1 (qmail-queue(8)): "F"
// sender NUL, then "T" recipient NUL for each recipient, then one more NUL.
// The reading side of qmail/queue_envelope.hpp, for qmail-authqueue.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "qmail/queue_envelope.hpp"
#include "util/result.hpp"

namespace qauth::qmail {

/// The most envelope bytes read: room for kMaxQueueRecipients recipients of
/// 100 bytes (qmail-smtpd stops far earlier); anything longer is runaway
/// input, refused as a format error.
inline constexpr std::size_t kMaxEnvelopeBytes = std::size_t{1} << 20;

/// An envelope as it was read.
struct ReadEnvelope {
    std::string sender;                   ///< "" for the null sender <>
    std::vector<std::string> recipients;  ///< in order, at least one
    std::string bytes;                    ///< exactly what was read, the final NUL included
};

/// Parses `bytes` as a whole envelope. Errors ("envelope format error: ...",
/// qmail-queue(8)'s exit 91 wording; the wrapper answers them with a
/// temporary status): not starting with 'F'; a record without its NUL
/// (input ended early, as when the caller closed fd 1 before finishing); a
/// record that starts with neither 'T' nor the final NUL; no recipient; an
/// empty recipient; an address longer than kMaxQueueAddress; more than
/// kMaxQueueRecipients recipients; bytes after the final NUL; more than
/// kMaxEnvelopeBytes in all. encode_envelope() of the result gives `bytes`
/// again, byte for byte.
Result<ReadEnvelope> parse_queue_envelope(std::string_view bytes);

/// Reads `fd` to its end (at most kMaxEnvelopeBytes + 1 bytes, then stops)
/// and parses it. A read error names the errno text ("reading the envelope:
/// read error: ..."); format errors are parse_queue_envelope()'s.
Result<ReadEnvelope> read_queue_envelope(int fd);

}  // namespace qauth::qmail
