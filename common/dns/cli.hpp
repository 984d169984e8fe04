// The DNS options of the programs that ask DNS (DESIGN §6), beside the
// resolver they configure: a program that never asks DNS does not link this,
// and so not ldns (nor, through it, libssl).
#pragma once

#include <CLI/CLI.hpp>

#include "dns/resolver.hpp"

namespace qauth::cli {

/// Adds --dns-server IP[@PORT] (repeatable), --dns-zone FILE (repeatable) and
/// --dns-timeout SECONDS (1..60). A bad server is a usage error (DESIGN §3).
void add_dns(CLI::App& app, dns::Options& opts);

}  // namespace qauth::cli
