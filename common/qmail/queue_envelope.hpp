// What a message is queued with: the envelope qmail-queue reads on fd 1
// (qmail-queue(8): "F" sender NUL, "T" recipient NUL for each recipient, and
// one more NUL), and the Delivered-To line qmail-local's forward puts on top.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "qmail/envelope.hpp"
#include "util/result.hpp"

namespace qauth::qmail {

/// The longest envelope address we queue. qmail-queue(8) sets no limit (exit
/// 11, "address too long", is for programs that do); RFC 5321 4.5.3.1.3 allows
/// a path of 256 octets, so this only stops runaway input.
inline constexpr std::size_t kMaxQueueAddress = 4096;
/// The most recipients one envelope carries (qmail-smtpd stops at its own
/// limit well below; a .qmail forward line lists a few).
inline constexpr std::size_t kMaxQueueRecipients = 10000;

/// An envelope in qmail-queue's encoding, valid by construction: only
/// encode_envelope() makes one.
class QueueEnvelope {
public:
    /// The bytes for qmail-queue's fd 1, the closing NUL included.
    std::string_view bytes() const { return bytes_; }

private:
    friend Result<QueueEnvelope> encode_envelope(std::string_view, std::span<const std::string>);
    explicit QueueEnvelope(std::string bytes) : bytes_(std::move(bytes)) {}
    std::string bytes_;
};

/// Encodes `sender` ("" for the null sender <>, as qmail writes it) and
/// `recipients` as qmail-queue(8) reads them: `F<sender>\0T<rcpt>\0...\0`.
/// Errors (the caller's mistake, to be reported as a temporary failure):
/// no recipient, an empty recipient, a NUL byte in any address (it would end
/// the record early and shift every later one), an address longer than
/// kMaxQueueAddress, more than kMaxQueueRecipients recipients. Addresses are
/// otherwise passed as they are: qmail-queue does not parse them.
Result<QueueEnvelope> encode_envelope(std::string_view sender, std::span<const std::string> recipients);

/// The header line qmail-local writes above a message it delivers or
/// forwards for `recipient` (LOCAL@HOST of the delivery, notqmail
/// qmail-local.c): "Delivered-To: " + recipient + "\n", every LF in the
/// recipient turned into '_'. It is what qmail-local exports as $DTLINE to a
/// `|command`, and the only line its `&address` forward prepends (Return-Path,
/// $RPLINE, is written into Maildir and mbox deliveries, never forwarded).
/// qmail-local refuses a message that already has this exact line in its
/// header (5.4.6, looping), before it runs any `.qmail` line.
std::string delivered_to_line(std::string_view recipient);

/// The Delivered-To line for a program run from a `.qmail` line, to put on
/// top of the message it queues, as qmail-local's own forward does: $DTLINE
/// as qmail-local exported it, when it is one such line ("Delivered-To: ",
/// no other LF, one LF at the end); else delivered_to_line($RECIPIENT) when
/// $RECIPIENT is set and not empty; else "" (not run by qmail-local).
std::string delivered_to_from(const Environment& env = process_env);

}  // namespace qauth::qmail
