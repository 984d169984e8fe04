// The SRS parameter options (srsfilter(8)), beside the overrides they fill:
// each, when given, takes the place of its control file (srs/config.hpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "qmail/queue.hpp"
#include "srs/config.hpp"

namespace qauth::cli {

/// Adds --control-dir, --srs-domain, --secret (repeatable), --maxage DAYS
/// (1..1023), --hashlength and --hashmin (1..27 characters), --separator
/// (= + -), --alwaysrewrite and --local-domain (repeatable, checked by
/// srs::local_domain_problem). A value out of range is a usage error
/// (DESIGN §3).
void add_srs(CLI::App& app, srs::Overrides& o);

/// What the .qmail modes (forward, reverse) share: the qmail home, --stop,
/// --sender.
struct DotOptions {
    qmail::QueueOptions queue;
    bool stop = false;
    std::optional<std::string> sender;
};

/// Adds --home DIR, --stop and --sender ADDRESS ("" or "<>": the null
/// sender) to `app`, filling `d`. Returns the three options: they are for
/// the .qmail modes only, and the caller refuses them elsewhere.
std::vector<CLI::Option*> add_dot_qmail(CLI::App& app, DotOptions& d);

}  // namespace qauth::cli
