// dmarccheck: DMARC for the From domains of an incoming message (RFC 9989,
// RFC 7489), prepend Authentication-Results dmarc=, and when enforcing
// refuse or mark the message. Options and wiring only; the work is in
// common/filter/dmarc_check and common/dmarc (DESIGN §9).
#include <map>
#include <optional>
#include <string>

#include "cli/cli.hpp"
#include "dns/cli.hpp"
#include "filter/dmarc_check.hpp"
#include "util/diag.hpp"

using namespace qauth;

namespace {
constexpr const char* kProg = "dmarccheck";
}  // namespace

int main(int argc, char** argv) {
    cli::start(kProg);
    CLI::App app{"Check DMARC for the From domain of a message and prepend Authentication-Results (RFC 9989).",
                 kProg};
    filter::DmarcCheckConfig c;
    std::optional<std::uint64_t> now;
    bool trace = false, reject = false, no_reject = false;
    cli::add_control_dir(app, c.control_dir);
    cli::add_optional(app, "--authserv-id", c.authserv_id, "authserv-id for Authentication-Results (default: control/me)");
    cli::add_dns(app, c.dns);
    cli::add_now(app, now);
    cli::add_envelope(app, c.envelope);
    app.add_option("--discovery", c.discovery, "tree-walk (RFC 9989, default) or psl (RFC 7489, as OpenDMARC)")
        ->transform(CLI::CheckedTransformer(std::map<std::string, dmarc::Discovery>{
            {"tree-walk", dmarc::Discovery::TreeWalk}, {"psl", dmarc::Discovery::Psl}}))
        ->option_text("tree-walk|psl");
    auto* r = app.add_flag("--reject", reject, "enforce the policy (default: control/dmarcreject)");
    app.add_flag("--no-reject", no_reject, "only add the field")->excludes(r);
    app.add_flag("--trace", trace, "explain discovery, alignment and the verdict on stderr");
    app.add_flag("--check", c.check,
                 "write nothing; exit 100 when the policy rejects, 111 on DNS trouble (implies --reject)");
    cli::parse(app, argc, argv);
    // --check answers by exit status, so it enforces unless told not to.
    if (reject || no_reject || c.check) c.enforce = !no_reject;
    c.verify.now = cli::now_or_clock(now);
    if (trace) c.trace = [](std::string_view line) { diag(kProg, "trace", line); };

    auto stage = filter::make_dmarc_check(c);
    if (!stage) cli::fatal(kProg, stage.error());
    return filter::run(kProg, **stage, {c.check});
}
