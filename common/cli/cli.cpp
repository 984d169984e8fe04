#include "cli/cli.hpp"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <fcntl.h>
#include <unistd.h>

#include "dns/ldns_resolver.hpp"
#include "util/strings.hpp"
#include "qmail/exit.hpp"

namespace qauth::cli {

void add_control_dir(CLI::App& app, std::string& dir) {
    app.add_option("--control-dir", dir, "qmail control directory (default $QMAIL_CONTROL or /var/qmail/control)");
}

void add_dns(CLI::App& app, dns::Options& opts) {
    // Checked here, so that a bad value is a usage error (DESIGN §3).
    CLI::Validator server([](std::string& spec) {
        auto ok = dns::check_server(spec);
        return ok ? std::string() : ok.error().reason;
    }, "IP[@PORT]");
    app.add_option("--dns-server", opts.servers, "DNS server IP[@PORT] to ask instead of /etc/resolv.conf")
        ->check(server);
    app.add_option("--dns-zone", opts.zones, "answer DNS offline from this RFC 1035 zone file (repeatable)");
    app.add_option("--dns-timeout", opts.timeout_seconds, "seconds to wait for one DNS answer (default 5)")
        ->check(CLI::Range(1, 60));
}

void add_now(CLI::App& app, std::optional<std::uint64_t>& now) {
    // At most 12 digits, as t= and x= may have (RFC 6376 3.5).
    app.add_option("--now", now, "use this time (Unix seconds) instead of the clock")
        ->check(CLI::Range(std::uint64_t{0}, std::uint64_t{999999999999}));
}

void parse(CLI::App& app, int argc, char** argv) {
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        std::fputs(app.help().c_str(), stdout);
        std::exit(kExitOk);
    } catch (const CLI::ParseError& e) {
        usage(app.get_name(), e.what());
    }
}

void usage(std::string_view program, std::string_view reason) {
    std::fprintf(stderr, "usage: %.*s: %s (see --help)\n", static_cast<int>(program.size()), program.data(),
                 printable(reason, 400).c_str());
    std::exit(kExitTemporary);
}

std::uint64_t now_or_clock(const std::optional<std::uint64_t>& fixed) {
    return fixed ? *fixed : static_cast<std::uint64_t>(std::time(nullptr));
}

void fatal(std::string_view program, std::string_view reason) {
    std::fprintf(stderr, "%.*s: fatal: %s\n", static_cast<int>(program.size()), program.data(),
                 printable(reason, 400).c_str());
    std::exit(kExitTemporary);
}

void warn(std::string_view program, std::string_view reason) {
    std::fprintf(stderr, "%.*s: warning: %s\n", static_cast<int>(program.size()), program.data(),
                 printable(reason, 400).c_str());
}

namespace {

const char* g_program = "qauth";

[[noreturn]] void on_terminate() {
    std::string why = "unknown exception";
    try {
        if (auto e = std::current_exception()) std::rethrow_exception(e);
    } catch (const std::exception& e) {
        why = e.what();
    } catch (...) {
    }
    std::fprintf(stderr, "%s: fatal: internal error: %s\n", g_program, printable(why).c_str());
    std::_Exit(kExitTemporary);
}

}  // namespace

void start(const char* program) {
    g_program = program;
    std::set_terminate(on_terminate);
    if (::fcntl(2, F_GETFD) < 0) {
        int fd = ::open("/dev/null", O_WRONLY);
        if (fd != 2) std::_Exit(kExitTemporary);
    }
    if (::fcntl(0, F_GETFD) < 0) fatal(program, "standard input is closed");
    if (::fcntl(1, F_GETFD) < 0) fatal(program, "standard output is closed");
    std::signal(SIGPIPE, SIG_IGN);
}

}  // namespace qauth::cli
