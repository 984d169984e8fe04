// qmail-authqueue: the QMAILQUEUE wrapper (issue 10, DESIGN §3). Called as
// qmail-queue is (qmail-queue(8): the message on fd 0, the envelope on fd 1,
// optionally a custom-error channel), it spools the message, reads and
// checks the envelope, exports it to the filters as qmail-qfilter does,
// runs the chain for the message's direction, and execs the real
// qmail-queue with the final message on fd 0 and the unchanged envelope on
// fd 1, so that qmail-queue's own status is the answer. The message is
// never queued twice, truncated or lost: every trouble of the wrapper's own
// is a temporary status and nothing reaches qmail-queue then.
#pragma once

#include <string>
#include <vector>

#include "qmail/envelope.hpp"
#include "qmail/envelope_reader.hpp"
#include "qmail/wrapper.hpp"  // filter_variables()

namespace qauth::qmail {

/// The control files, under the control directory (DESIGN §5).
inline constexpr const char* kTimeoutFile = "authqueue/timeout";          ///< seconds per filter, 0: none
inline constexpr const char* kCustomErrorFile = "authqueue/customerror";  ///< notqmail|sagredo|indimail|none
inline constexpr const char* kSpoolDirFile = "authqueue/spooldir";        ///< where the spools go
inline constexpr long kDefaultTimeout = 300;

struct AuthqueueOptions {
    /// The chain from the command line ("f1 args -- f2 args"); not empty:
    /// it replaces the control files of both directions.
    std::vector<std::string> args;
    /// Where the qauth programs are (resolve_program()): the directory of
    /// qmail-authqueue itself.
    std::string program_dir;
    /// The control directory; empty: control_dir_from("").
    std::string control_dir;
};

/// The next qmail-queue: $AUTHQUEUE_NEXT when set and not empty, else
/// qmail_home_from("")/bin/qmail-queue. Never $QMAILQUEUE (that is us).
std::string next_queue_program(const Environment& env = process_env);

/// Runs the wrapper in this process. Returns only when it does not exec
/// the next qmail-queue: the exit status, after writing any custom error
/// text. Statuses: 0 (a filter consumed the message, exit 99); 31 or
/// 82/88 with D (refused); 71 or 82/88 with Z (a filter's temporary
/// failure, crash, signal or time-out, a malformed envelope, a read or
/// spool error, the next qmail-queue not executable); 55 (a control file
/// cannot be read or is invalid). On success it does not return: the next
/// qmail-queue's status is the caller's.
int run_authqueue(const AuthqueueOptions& options);

}  // namespace qauth::qmail
