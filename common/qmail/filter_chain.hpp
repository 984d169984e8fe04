// Running qmail-authqueue's chain over a spooled message: each filter reads
// the spool of the stage before it on fd 0 (from offset 0) and writes a new
// unlinked spool file on fd 1 (DESIGN §2), so memory stays bounded whatever
// the message size. The processes are behind FilterRunner, so the chain
// logic is tested without fork (STYLE: ninja's CommandRunner).
#pragma once

#include <string>

#include "qmail/authqueue_chain.hpp"
#include "util/io.hpp"

namespace qauth::qmail {

/// Runs one filter with `in` as its fd 0 and `out` as its fd 1.
class FilterRunner {
public:
    virtual ~FilterRunner() = default;
    virtual FilterEnd run(const FilterCommand& command, int in, int out) = 0;
};

/// The name of a filter in reasons and logs: the last part of its program path.
std::string filter_name(const FilterCommand& command);

/// How the chain ended.
struct ChainOutcome {
    /// Next: every filter passed the message on and `message` holds the
    /// final one (offset unspecified). Otherwise the first filter that did
    /// not, or trouble of our own (spool, an empty output), as a Defer.
    Decision decision;
    std::string filter;  ///< the filter that decided (empty: the wrapper itself)
    io::Fd message;
    /// Lines for the log: each filter's first stderr line when it went on
    /// anyway (a warning), "NAME: line".
    std::vector<std::string> notes;
};

/// Runs `chain` over `message` (a seekable file), each output spooled in
/// `spool_dir` (io::open_temp). `timeout` (seconds) is only for reasons.
/// A filter that exits 0 with no output for a non-empty input is a Defer:
/// a message is never lost by a filter bug.
ChainOutcome run_chain(const FilterChain& chain, io::Fd message, FilterRunner& runner, const std::string& spool_dir,
                       long timeout);

}  // namespace qauth::qmail
