// Option handling shared by the programs: the options every filter takes
// (DESIGN §4-§6) and the usage-error convention (DESIGN §3: exit 111,
// message starting "usage:").
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "qmail/envelope.hpp"
#include "qmail/status.hpp"
#include "util/result.hpp"

namespace qauth::cli {

/// A check for options whose value may not be "" (an empty --control-dir
/// would silently mean the live default): a usage error.
const CLI::Validator& non_empty();

/// Adds --control-dir DIR (not "").
void add_control_dir(CLI::App& app, std::string& dir);
/// Adds option `name` whose value, when given (even as ""), lands in `value`.
CLI::Option* add_optional(CLI::App& app, const std::string& name, std::optional<std::string>& value,
                          const std::string& description);
/// Adds the SMTP envelope's options (DESIGN §4): --sender ADDR ("" for
/// <>), --ip ADDR and --helo NAME (not ""), --trust-received.
void add_envelope(CLI::App& app, qmail::EnvelopeOptions& envelope);
/// Adds --now UNIX-SECONDS (a fixed clock, for tests and for checking old mail).
void add_now(CLI::App& app, std::optional<std::uint64_t>& now);

/// Parses the command line. --help prints the help and exits 0; any error
/// prints "usage: PROGRAM: reason" on stderr and exits 111.
void parse(CLI::App& app, int argc, char** argv);

/// `fixed` when set, else the current time in Unix seconds.
std::uint64_t now_or_clock(const std::optional<std::uint64_t>& fixed);

/// `fixed` when set, else the environment variable `env` when set (Unix
/// seconds, the same range as --now: for programs that run from a .qmail
/// line, where tests cannot add options), else the clock. A usage error
/// naming the variable when it is not a number.
Result<std::uint64_t> now_from(const std::optional<std::uint64_t>& fixed, const char* env);

/// Prints "usage: PROGRAM: reason (see --help)" and exits 111 (DESIGN §3).
[[noreturn]] void usage(std::string_view program, std::string_view reason);

/// Prints "PROGRAM: fatal: reason" (one line, controls escaped) and exits
/// with `status`: 111 for a filter; the QMAILQUEUE wrapper passes its own
/// (55 for its configuration errors, DESIGN §3).
[[noreturn]] void fatal(std::string_view program, std::string_view reason,
                        qmail::FilterStatus status = qmail::FilterStatus::Temporary);
[[noreturn]] void fatal(std::string_view program, std::string_view reason, qmail::QueueStatus status);

/// Ends the program on `error`: usage() when it is a usage error, else fatal() with 111.
[[noreturn]] void fatal(std::string_view program, const Error& error);

/// Prints "PROGRAM: warning: reason" on stderr.
void warn(std::string_view program, std::string_view reason);

/// Sets up a filter process before anything else runs:
/// - fd 0 must be open, or it exits 111;
/// - a closed fd 1 or fd 2 is opened on /dev/null, so that no file we open
///   (the body spool, say) takes its number and the message is written into
///   it; a filter that must write the message then fails (io::closed_at_start);
/// - SIGPIPE and SIGXFSZ are ignored, so a closed output or a file-size limit
///   (ulimit -f) is a write error with a reason (exit 111), not a silent death;
/// - an uncaught exception (bad_alloc under a memory limit, say) ends the
///   process with "PROGRAM: fatal: internal error: ..." and exit 111, never
///   with an abort.
void start(const char* program);

}  // namespace qauth::cli
