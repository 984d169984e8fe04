#include "srs/cli.hpp"

#include "cli/cli.hpp"
#include "srs/local_domains.hpp"

namespace qauth::cli {

void add_srs(CLI::App& app, srs::Overrides& o) {
    add_control_dir(app, o.control_dir);
    add_optional(app, "--srs-domain", o.domain, "SRS domain (default control/srs_domain)");
    app.add_option("--secret", o.secrets, "secret, repeatable; the first signs (default control/srs_secrets)")
        ->allow_extra_args(false)
        ->check(non_empty());
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
    app.add_option("--local-domain", o.local_domains,
                   "one of our domains, repeatable (besides rcpthosts, locals); .DOMAIN for its subdomains")
        ->allow_extra_args(false)
        ->check(CLI::Validator([](std::string& v) { return srs::local_domain_problem(v); }, "DOMAIN"));
}

std::vector<CLI::Option*> add_dot_qmail(CLI::App& app, DotOptions& d) {
    return {app.add_option("--home", d.queue.home, "qmail home, for bin/qmail-queue (default $QMAIL_HOME or /var/qmail)")
                ->check(non_empty()),
            app.add_flag("--stop", d.stop, "forward, reverse: exit 99 once queued (skip the rest of the .qmail file)"),
            add_optional(app, "--sender", d.sender,
                         "forward, reverse: the envelope sender (default $NEWSENDER or $SENDER; \"\" or \"<>\" for the "
                         "null sender)")};
}

}  // namespace qauth::cli
