// The FilterRunner that runs real processes for qmail-authqueue: fork, the
// spools on fd 0 and 1, a pipe on fd 2 whose first line is the filter's
// reason (DESIGN §3: "the first line on stderr is the SMTP-ready reason")
// and whose rest goes to the log, a time limit after which the filter's
// whole process group is killed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "qmail/filter_chain.hpp"

namespace qauth::qmail {

/// The longest first stderr line kept (the rest of that line is dropped).
inline constexpr std::size_t kMaxFirstLine = 1000;

/// The program to execute for `name`: `name` itself when it contains a '/'
/// (an absolute path, or relative to the working directory); else
/// `program_dir`/`name` when that is an executable file (the qauth programs
/// installed beside qmail-authqueue); else `name`, which execvp() then looks
/// up in $PATH.
std::string resolve_program(std::string_view name, std::string_view program_dir);

struct ProcessOptions {
    /// Seconds a filter may run; 0: no limit. At the limit its process
    /// group gets SIGKILL and the filter ends TimedOut.
    long timeout = 300;
    /// Where stderr beyond the first line goes; -1 drops it.
    int log_fd = 2;
    /// Descriptors closed in the filter (the custom-error channel, say:
    /// a filter must not answer the caller itself).
    std::vector<int> close_in_child;
    /// resolve_program()'s directory.
    std::string program_dir;
};

class ProcessRunner : public FilterRunner {
public:
    explicit ProcessRunner(ProcessOptions options) : options_(std::move(options)) {}

    /// Runs `command` (resolve_program() for its first word) in its own
    /// process group, with SIGPIPE and SIGXFSZ back at their defaults and
    /// the rest of the environment as it is. A program that cannot be
    /// started ends as Exited 111 with first line "cannot run NAME: ERRNO
    /// TEXT"; a fork or pipe failure the same with that reason. After the
    /// filter exits, what is left of its process group is killed (nothing
    /// may write to the spool after the filter is done).
    FilterEnd run(const FilterCommand& command, int in, int out) override;

private:
    ProcessOptions options_;
};

}  // namespace qauth::qmail
