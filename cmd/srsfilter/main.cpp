// srsfilter: Sender Rewriting Scheme for qmail (Guarded SRS as Mail::SRS and
// libsrs2 do it). Options and wiring only; the scheme is in common/srs.
//
// Modes: --rewrite ADDRESS and --reverse ADDRESS print the result on
// stdout. Each mode is one function below taking the shared options, so
// that the .qmail modes (forward ADDRESS..., reverse) join as subcommands.
#include <cstdlib>
#include <map>
#include <optional>
#include <string>

#include "cli/cli.hpp"
#include "srs/config.hpp"
#include "srs/guarded.hpp"
#include "util/io.hpp"
#include "util/diag.hpp"

using namespace qauth;

namespace {
constexpr const char* kProg = "srsfilter";

/// Prints `line` and a newline on stdout; exits 111 when that fails.
void print_line(const std::string& line) {
    if (io::closed_at_start(1)) cli::fatal(kProg, "standard output is closed");
    if (auto w = io::write_all(1, line + "\n"); !w) cli::fatal(kProg, "standard output: " + w.error().reason);
}

srs::Params params_for(srs::Operation op, const srs::Overrides& o) {
    auto p = srs::load(op, o, [](std::string_view w) { cli::warn(kProg, w); });
    if (!p) cli::fatal(kProg, p.error());
    return std::move(*p);
}

/// Ends with 100 and the SMTP-ready reason on stderr.
[[noreturn]] void refuse(const Error& e) {
    diag(kProg, "", e.reason);
    std::exit(qmail::exit_code(qmail::FilterStatus::Permanent));
}

int rewrite_mode(const srs::Overrides& o, const std::string& sender, std::int64_t now) {
    auto r = srs::rewrite(params_for(srs::Operation::Rewrite, o), sender, now);
    if (!r) refuse(r.error());
    print_line(r->address);
    return qmail::exit_code(qmail::FilterStatus::Ok);
}

int reverse_mode(const srs::Overrides& o, const std::string& address, std::int64_t now) {
    auto r = srs::reverse(params_for(srs::Operation::Reverse, o), address, now);
    if (!r) refuse(r.error());
    print_line(*r);
    return qmail::exit_code(qmail::FilterStatus::Ok);
}

}  // namespace

int main(int argc, char** argv) {
    cli::start(kProg);
    CLI::App app{"Rewrite an envelope sender with SRS (Guarded SRS, as Mail::SRS and libsrs2), "
                 "or reverse an SRS bounce address.",
                 kProg};
    srs::Overrides o;
    std::optional<std::string> rewrite, reverse;
    std::optional<std::uint64_t> now;
    auto* rw = cli::add_optional(app, "--rewrite", rewrite, "print the SRS form of this envelope sender");
    cli::add_optional(app, "--reverse", reverse, "print the address this SRS address stands for")->excludes(rw);
    cli::add_control_dir(app, o.control_dir);
    cli::add_optional(app, "--srs-domain", o.domain, "SRS domain (default control/srs_domain)");
    app.add_option("--secret", o.secrets, "secret, repeatable; the first signs (default control/srs_secrets)")
        ->allow_extra_args(false)
        ->check(cli::non_empty());
    app.add_option("--maxage", o.maxage, "days an SRS address stays valid (default control/srs_maxage, 21)")
        ->check(CLI::Range(1u, 1023u));
    app.add_option("--hashlength", o.hashlength, "hash characters written (default control/srs_hashlength, 4)")
        ->check(CLI::Range(std::size_t{1}, std::size_t{27}));
    app.add_option("--hashmin", o.hashmin,
                   "fewest hash characters accepted (default control/srs_hashmin, the hash length)")
        ->check(CLI::Range(std::size_t{1}, std::size_t{27}));
    app.add_option_function<std::string>(
           "--separator", [&o](const std::string& s) { o.separator = s[0]; },
           "separator after SRS0/SRS1: =, + or - (default control/srs_separator, =)")
        ->check(CLI::IsMember({"=", "+", "-"}));
    app.add_flag("--alwaysrewrite", o.always_rewrite, "rewrite senders of our own domains too");
    app.add_option("--local-domain", o.local_domains, "one of our domains, repeatable (besides rcpthosts, locals)")
        ->allow_extra_args(false);
    cli::add_now(app, now);
    cli::parse(app, argc, argv);
    if (!rewrite && !reverse) cli::usage(kProg, "give --rewrite ADDRESS or --reverse ADDRESS");
    auto clock = cli::now_from(now, "QAUTH_NOW");
    if (!clock) cli::fatal(kProg, clock.error());
    const auto t = static_cast<std::int64_t>(*clock);
    return rewrite ? rewrite_mode(o, *rewrite, t) : reverse_mode(o, *reverse, t);
}
