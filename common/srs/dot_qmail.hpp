// The .qmail modes of srsfilter (srsfilter(8), QMAIL):
//
//   |srsfilter forward ADDRESS...     in a user's .qmail: queue the message
//                                     to ADDRESS... with the envelope sender
//                                     rewritten (what &ADDRESS does, plus SRS)
//   |srsfilter reverse                in ~alias/.qmail-srs-default: send a
//                                     bounce to an SRS address back to the
//                                     original sender, with the null sender
//
// Both queue through qmail-queue (qmail/queue.hpp: $QMAILQUEUE honoured,
// message streamed from fd 0 with bounded memory) with qmail-local's
// Delivered-To line ($DTLINE) on top, as its own forward does.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "qmail/envelope.hpp"
#include "qmail/queue.hpp"
#include "qmail/status.hpp"
#include "srs/params.hpp"

namespace qauth::srs {

/// How a .qmail mode ended. `reason` (when not Ok) is one line for stderr,
/// SMTP-ready: "5.x.x ..." for Permanent (qmail-local bounces with it),
/// "4.x.x ..." for Temporary (it defers).
struct DotOutcome {
    qmail::FilterStatus status = qmail::FilterStatus::Temporary;
    std::string reason;
    bool ok() const { return status == qmail::FilterStatus::Ok; }
    /// The .qmail line's exit status (qmail-command(8)): 0 when queued, 99
    /// with `stop` (skip the rest of the .qmail file), else 100 or 111.
    int exit_code(bool stop) const {
        return qmail::exit_code(ok() && stop ? qmail::FilterStatus::Consumed : status);
    }
};

/// Why `address` cannot be a forward target, or "" when it can: empty,
/// longer than kMaxAddress octets, or holding a control character (NUL,
/// CR, LF, DEL...). The caller reports it as a usage error.
std::string forward_target_problem(std::string_view address);

/// The envelope sender qmail-local gave the .qmail line: `option` when
/// given; for a forward $NEWSENDER when set (qmail-local's sender for
/// forwards), then $SENDER; for a bounce return $SENDER. nullopt when none is
/// set (not run by qmail-local).
std::optional<std::string> incoming_sender(const std::optional<std::string>& option, bool forward,
                                           const qmail::Environment& env = qmail::process_env);

/// The SRS address a bounce was delivered to, from what qmail-local sets:
/// the local part is $DEFAULT (the part a `.qmail-srs-default` matched),
/// else $EXT2 (EXT after its first '-': "srs-SRS0=..." gives "SRS0=..."),
/// else $RECIPIENT's local part from its first SRS tag on ("alias-srs-SRS0=..."
/// after a virtualdomains prefix gives "SRS0=..."), else all of it; the
/// domain is $HOST, else `srs_domain`. nullopt when none of the three is set.
std::optional<std::string> bounce_recipient(std::string_view srs_domain,
                                            const qmail::Environment& env = qmail::process_env);

/// Forwards the message on `fd` to `to` (each passed forward_target_problem)
/// with the sender rewritten by rewrite() (not rewritten: the null sender,
/// our own domains, anything while SRS is off: then queued with the sender
/// unchanged, as &ADDRESS does). Permanent: rewrite() refuses the sender
/// (5.1.7), qmail-queue refuses (5.3.0: exit 11-40, 82 with D text).
/// Temporary (4.3.0): any other queueing trouble.
DotOutcome forward(const Params& p, std::string_view sender, std::span<const std::string> to,
                   const qmail::QueueOptions& queue, int fd, std::int64_t now,
                   const qmail::Environment& env = qmail::process_env);

/// Sends the bounce on `fd`, delivered to `srs_address`, back to the address
/// reverse() finds in it, from the null sender. Permanent: `sender` is not
/// the null sender (5.7.1: an SRS address takes only bounces), reverse()
/// refuses (5.1.1: not our SRS domain, not SRS, bad hash, expired...),
/// qmail-queue refuses (5.3.0). Temporary (4.3.0): other queueing trouble.
DotOutcome return_bounce(const Params& p, std::string_view sender, std::string_view srs_address,
                         const qmail::QueueOptions& queue, int fd, std::int64_t now,
                         const qmail::Environment& env = qmail::process_env);

}  // namespace qauth::srs
