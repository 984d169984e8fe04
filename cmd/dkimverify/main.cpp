// dkimverify: verify every DKIM-Signature of an incoming message and prepend
// one Authentication-Results field (RFC 6376 §6, RFC 8601). Options and
// wiring only; the work is in common/filter/dkim_verify (DESIGN §9).
#include <optional>
#include <string>

#include "cli/cli.hpp"
#include "dns/cli.hpp"
#include "filter/dkim_verify.hpp"

using namespace qauth;

namespace {
constexpr const char* kProg = "dkimverify";
}  // namespace

int main(int argc, char** argv) {
    cli::start(kProg);
    CLI::App app{"Verify the DKIM signatures of a message and prepend Authentication-Results (RFC 6376, RFC 8601).",
                 kProg};
    filter::DkimVerifyConfig c;
    std::optional<std::uint64_t> now;
    cli::add_control_dir(app, c.control_dir);
    cli::add_optional(app, "--authserv-id", c.authserv_id, "authserv-id for Authentication-Results (default: control/me)");
    cli::add_dns(app, c.dns);
    cli::add_now(app, now);
    app.add_flag("--allow-sha1", c.verify.allow_sha1, "let rsa-sha1 signatures pass (RFC 8301 forbids it)");
    app.add_option("--max-signatures", c.verify.max_signatures, "evaluate at most this many signatures (default 10)")
        ->check(CLI::Range(1, 100));
    app.add_option("--min-rsa-bits", c.verify.min_rsa_bits, "shortest RSA key that may pass (default 1024, RFC 8301)")
        ->check(CLI::Range(512, 4096));
    app.add_flag("--check", c.check, "write nothing; exit 0 if a signature passes, 100 if none does, 111 on DNS trouble");
    cli::parse(app, argc, argv);
    c.verify.now = cli::now_or_clock(now);

    auto stage = filter::make_dkim_verify(c);
    if (!stage) cli::fatal(kProg, stage.error());
    return filter::run(kProg, **stage, {c.check});
}
