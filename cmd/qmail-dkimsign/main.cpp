// qmail-dkimsign: add DKIM-Signature fields to an outgoing message.
// Reads the message on stdin, writes it signed on stdout (DESIGN §2-§3).
// Options and wiring only; the work is in common/filter/dkim_sign.
#include <optional>
#include <string>

#include "cli/cli.hpp"
#include "filter/dkim_sign.hpp"

using namespace qauth;

namespace {
constexpr const char* kProg = "qmail-dkimsign";
}  // namespace

int main(int argc, char** argv) {
    cli::start(kProg);
    CLI::App app{"Sign an outgoing message with DKIM (RFC 6376, RFC 8463).", kProg};
    filter::DkimSignConfig c;
    auto& o = c.sign;
    std::optional<std::uint64_t> now;
    cli::add_control_dir(app, c.control_dir);
    app.add_option("--domain", o.domain, "sign for this d= domain instead of the From domain")->check(cli::non_empty());
    app.add_option("--selector", o.selectors, "selector(s) to sign with (default: the domain's selector file)")
        ->check(cli::non_empty());
    app.add_option("--key", o.key_file, "private key file (with one --selector; default: from the control dir)")
        ->check(cli::non_empty());
    app.add_option("--canon", o.canon, "header/body canonicalization (default relaxed/relaxed)");
    cli::add_optional(app, "--headers", o.headers, "colon-separated header names to sign (default: RFC 6376 5.4.1 set)");
    app.add_option("--expire", o.expire, "add x= this many seconds after t=")
        ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{99999999999}));
    app.add_option("--identity", o.identity, "add i= (an address in the signing domain)")->check(cli::non_empty());
    app.add_flag("--body-length", o.body_length, "add l= (body length limit; weakens the signature)");
    cli::add_optional(app, "--sender", c.envelope.sender, "envelope sender, for the domain when From and Sender have none");
    cli::add_now(app, now);
    cli::parse(app, argc, argv);
    c.now = cli::now_or_clock(now);

    auto stage = filter::make_dkim_sign(c);
    if (!stage) cli::fatal(kProg, stage.error());
    return filter::run(kProg, **stage, {});
}
