// qmail-authqueue's chain: which filters run (control files
// authqueue/incoming and authqueue/outgoing, or the command line), and what
// each filter's ending means for the message (DESIGN §3: the filter
// statuses mapped to qmail-queue's through queue_status()).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "qmail/custom_error.hpp"
#include "qmail/envelope.hpp"
#include "util/result.hpp"

namespace qauth::qmail {

/// One filter: program and arguments, as execv(3) takes them.
using FilterCommand = std::vector<std::string>;
/// The filters in the order they run.
using FilterChain = std::vector<FilterCommand>;

/// The longest chain (a loop guard, not a policy) and the longest line.
inline constexpr std::size_t kMaxChainFilters = 64;
inline constexpr std::size_t kMaxFilterArgs = 256;

/// The chain in the lines of a chain control file as ControlDir::lines()
/// gives them (comments, blank lines and surrounding whitespace already
/// gone): each line one filter, split on spaces and tabs, no shell, no
/// quoting ("dkimverify --authserv-id mx.example" is three words). Errors
/// (configuration errors): more than kMaxChainFilters lines, more than
/// kMaxFilterArgs words on a line.
Result<FilterChain> parse_chain_lines(std::span<const std::string> lines);

/// The chain given on the command line, qmail-qfilter style: filters
/// separated by "--" ("spfcheck -- dkimverify --authserv-id x"); empty pieces
/// (a leading, trailing or doubled "--") are skipped.
FilterChain chain_from_args(std::span<const std::string> args);

/// Which chain a message takes.
enum class Direction { Incoming, Outgoing };

/// Outgoing for relay clients, authenticated senders and local injection:
/// $RELAYCLIENT set (even empty, as tcpserver rules set it), $SMTPAUTHUSER
/// not empty, or $TCPREMOTEIP unset or empty (not from qmail-smtpd under
/// tcpserver: qmail-inject, sendmail); else Incoming.
Direction chain_direction(const Environment& env = process_env);

/// The control file of a direction: "authqueue/incoming" or "authqueue/outgoing".
std::string_view chain_file(Direction direction);

/// How one filter ended.
struct FilterEnd {
    enum class How { Exited, Signaled, TimedOut };
    How how = How::Exited;
    int code = 0;            ///< exit status, or signal number
    std::string first_line;  ///< its first stderr line, without the LF (may be empty)
};

/// What happens to the message after a filter.
enum class Step {
    Next,    ///< exit 0: its output goes on to the next filter (or qmail-queue)
    Drop,    ///< exit 99: accepted and consumed; nothing is queued, answer 0
    Refuse,  ///< exit 100: refused for good
    Defer,   ///< 111, any other exit, a signal, a time-out: try later
};

struct Decision {
    Step step = Step::Defer;
    /// For Refuse and Defer: the reason for the caller, one line: the
    /// filter's first stderr line when it printed one, else what happened
    /// ("spfcheck exited 100", "dkimverify was killed by signal 11",
    /// "dmarccheck timed out after 300 s").
    std::string reason;
};

/// The Decision for filter `name` ending as `end` (DESIGN §3 through
/// queue_status(): 0 Next, 99 Drop, 100 Refuse, everything else Defer).
/// `timeout` is the limit in seconds, for the reason.
Decision decide(std::string_view name, const FilterEnd& end, long timeout);

/// What the wrapper ends with.
struct Answer {
    int exit = 71;
    /// Bytes for the custom error channel (empty: write nothing).
    std::string text;
};

/// The answer for a Refuse or Defer decision: with a channel, its exit (82
/// or 88) and custom_error_text('D' or 'Z', reason); without, 31
/// (QueueStatus::Refused) or 71 (TempRefused). Drop answers 0; Next is not
/// an ending (71, as for any internal mistake).
Answer answer(const Decision& decision, const std::optional<CustomErrorChannel>& channel);

}  // namespace qauth::qmail
