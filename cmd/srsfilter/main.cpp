// srsfilter: Sender Rewriting Scheme for qmail (Guarded SRS as Mail::SRS and
// libsrs2 do it). Options and wiring only; the scheme is in common/srs.
//
// Modes: --rewrite ADDRESS and --reverse ADDRESS print the result on
// stdout; the .qmail modes are subcommands, `forward ADDRESS...` and
// `reverse` (srs/dot_qmail.hpp). Each mode is one function below taking
// the shared options.
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "cli/cli.hpp"
#include "srs/cli.hpp"
#include "srs/config.hpp"
#include "srs/dot_qmail.hpp"
#include "srs/guarded.hpp"
#include "util/io.hpp"
#include "util/diag.hpp"

using namespace qauth;

namespace {
constexpr const char* kProg = "srsfilter";

/// Prints `line` and a newline on stdout; exits 111 when that fails.
void print_line(const std::string& line) {
    if (auto w = io::print_stdout(line + "\n"); !w) cli::fatal(kProg, w.error().reason);
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

using cli::DotOptions;

/// Ends a .qmail mode with the outcome's status; a reason is the first stderr line.
int finish(const srs::DotOutcome& out, const DotOptions& d) {
    if (!out.ok()) diag(kProg, "", out.reason);
    return out.exit_code(d.stop);
}

std::string sender_for(const DotOptions& d, bool forward) {
    auto s = srs::incoming_sender(d.sender, forward);
    if (!s) cli::usage(kProg, "no envelope sender: $SENDER is not set (run from a .qmail line, or give --sender)");
    return *s;
}

int forward_mode(const srs::Overrides& o, const DotOptions& d, const std::vector<std::string>& to, std::int64_t now) {
    for (const auto& a : to)
        if (auto why = srs::forward_target_problem(a); !why.empty()) cli::usage(kProg, "forward: " + why);
    const std::string sender = sender_for(d, true);
    const auto p = params_for(srs::Operation::Rewrite, o);
    return finish(srs::forward(p, sender, to, d.queue, 0, now), d);
}

int bounce_mode(const srs::Overrides& o, const DotOptions& d, std::int64_t now) {
    const std::string sender = sender_for(d, false);
    const auto p = params_for(srs::Operation::Reverse, o);
    auto address = srs::bounce_recipient(p.domain);
    if (!address) cli::usage(kProg, "reverse: no recipient: $DEFAULT, $EXT2 and $RECIPIENT are not set (run from ~alias/.qmail-srs-default)");
    return finish(srs::return_bounce(p, sender, *address, d.queue, 0, now), d);
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
    cli::add_srs(app, o);
    cli::add_now(app, now);
    DotOptions d;
    std::vector<std::string> to;
    auto* fwd = app.add_subcommand("forward", "from a .qmail line: queue the message on stdin to ADDRESS... "
                                              "with the envelope sender rewritten");
    fwd->add_option("address", to, "where to forward")->required();
    auto* bounce = app.add_subcommand("reverse", "from ~alias/.qmail-srs-default: send a bounce to an SRS "
                                                 "address back to the original sender");
    for (auto* sub : {fwd, bounce}) {
        sub->fallthrough();
        sub->excludes(rw);
    }
    fwd->excludes(bounce);
    const auto dot_only = cli::add_dot_qmail(app, d);
    cli::parse(app, argc, argv);
    const bool dot = fwd->parsed() || bounce->parsed();
    if (dot && reverse) cli::usage(kProg, "--reverse ADDRESS does not go with the .qmail modes");
    for (const auto* opt : dot_only)
        if (!dot && opt->count() > 0) cli::usage(kProg, opt->get_name() + " is for the .qmail modes (forward, reverse)");
    if (!dot && !rewrite && !reverse)
        cli::usage(kProg, "give --rewrite ADDRESS, --reverse ADDRESS, forward ADDRESS... or reverse");
    auto clock = cli::now_from(now, "QAUTH_NOW");
    if (!clock) cli::fatal(kProg, clock.error());
    const auto t = static_cast<std::int64_t>(*clock);
    if (fwd->parsed()) return forward_mode(o, d, to, t);
    if (bounce->parsed()) return bounce_mode(o, d, t);
    return rewrite ? rewrite_mode(o, *rewrite, t) : reverse_mode(o, *reverse, t);
}
