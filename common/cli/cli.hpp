// Option handling shared by the programs: the options every filter takes
// (DESIGN §4-§6) and the usage-error convention (DESIGN §3: exit 111,
// message starting "usage:").
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dns/resolver.hpp"

namespace qauth::cli {

/// Adds --control-dir DIR.
void add_control_dir(CLI::App& app, std::string& dir);
/// Adds --dns-server IP[@PORT] (repeatable), --dns-zone FILE (repeatable), --dns-timeout SECONDS.
void add_dns(CLI::App& app, dns::Options& opts);
/// Adds --now UNIX-SECONDS (a fixed clock, for tests and for checking old mail).
void add_now(CLI::App& app, std::optional<std::uint64_t>& now);

/// Parses the command line. --help prints the help and exits 0; any error
/// prints "usage: PROGRAM: reason" on stderr and exits 111.
void parse(CLI::App& app, int argc, char** argv);

/// `fixed` when set, else the current time in Unix seconds.
std::uint64_t now_or_clock(const std::optional<std::uint64_t>& fixed);

/// Prints "usage: PROGRAM: reason (see --help)" and exits 111 (DESIGN §3).
[[noreturn]] void usage(std::string_view program, std::string_view reason);

/// Prints "PROGRAM: fatal: reason" (one line, controls removed) and exits 111.
[[noreturn]] void fatal(std::string_view program, std::string_view reason);

/// Prints "PROGRAM: warning: reason" on stderr.
void warn(std::string_view program, std::string_view reason);

/// Sets up a filter process before anything else runs:
/// - fd 0 and fd 1 must be open, or it exits 111: otherwise the body spool
///   could get fd 1 and the message would be written into it and lost;
/// - a closed fd 2 is opened on /dev/null for the same reason;
/// - SIGPIPE is ignored, so a closed output is a write error (exit 111);
/// - an uncaught exception (bad_alloc under a memory limit, say) ends the
///   process with "PROGRAM: fatal: internal error: ..." and exit 111, never
///   with an abort.
void start(const char* program);

}  // namespace qauth::cli
