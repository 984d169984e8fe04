// The SRS parameter options (srsfilter(8)), beside the overrides they fill:
// each, when given, takes the place of its control file (srs/config.hpp).
#pragma once

#include <CLI/CLI.hpp>

#include "srs/config.hpp"

namespace qauth::cli {

/// Adds --control-dir, --srs-domain, --secret (repeatable), --maxage DAYS
/// (1..1023), --hashlength and --hashmin (1..27 characters), --separator
/// (= + -), --alwaysrewrite and --local-domain (repeatable, checked by
/// srs::local_domain_problem). A value out of range is a usage error
/// (DESIGN §3).
void add_srs(CLI::App& app, srs::Overrides& o);

}  // namespace qauth::cli
