// What the qmail wrappers (qmail-authqueue, qmail-authremote) share: the
// signal set-up around the filters, the input spooled to an unlinked file,
// the filters' variables, and where the wrapper itself is installed.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "qmail/envelope_reader.hpp"
#include "util/io.hpp"
#include "util/result.hpp"

namespace qauth::qmail {

/// Linux refuses an environment string over 128 KiB at exec (MAX_ARG_STRLEN);
/// QMAILRCPTS longer than this is left out, so the filters still run.
inline constexpr std::size_t kMaxRcptsVariable = 120000;

/// Sets `sig` to SIG_IGN / SIG_DFL.
void ignore_signal(int sig);
void default_signal(int sig);

/// The start-up of a wrapper: SIGPIPE and SIGXFSZ ignored (a closed pipe, a
/// file-size limit are write errors with a reason), SIGCHLD at its default
/// (an ignored SIGCHLD inherited from the caller would reap the filters
/// before waitpid).
void wrapper_signals();

/// Copies `fd` to its end into a new unlinked file in `dir` (io::open_temp)
/// and returns that file. Errors name the read or the write.
Result<io::Fd> spool_fd(int fd, const std::string& dir);

/// The variables the filters get, qmail-qfilter's and qmail-local's
/// (DESIGN §4): SENDER (the sender, "" for <>), RECIPIENT (the first
/// recipient), QMAILUSER and QMAILHOST (the sender split at its last '@';
/// without one, all of it is QMAILUSER and QMAILHOST is ""), QMAILRCPTS
/// (every recipient followed by a LF). Pairs of name and value.
std::vector<std::pair<std::string, std::string>> filter_variables(const ReadEnvelope& envelope);

/// setenv() of filter_variables(); QMAILRCPTS over kMaxRcptsVariable is
/// left out and `warn` told why.
void export_filter_variables(const ReadEnvelope& envelope, const std::function<void(const std::string&)>& warn);

/// The directory this program was run from (/proc/self/exe), where the
/// qauth filters are installed beside it; "" when it cannot be read.
std::string own_directory();

}  // namespace qauth::qmail
