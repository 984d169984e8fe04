#include "cli/cli.hpp"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <exception>

#include "util/diag.hpp"
#include "util/io.hpp"
#include "util/strings.hpp"

namespace qauth::cli {

const CLI::Validator& non_empty() {
    static const CLI::Validator check([](std::string& v) { return v.empty() ? std::string("empty value") : ""; },
                                      "NON-EMPTY");
    return check;
}

void add_control_dir(CLI::App& app, std::string& dir) {
    app.add_option("--control-dir", dir, "qmail control directory (default $QMAIL_CONTROL or /var/qmail/control)")
        ->check(non_empty());
}

CLI::Option* add_optional(CLI::App& app, const std::string& name, std::optional<std::string>& value,
                          const std::string& description) {
    return app.add_option_function<std::string>(name, [&value](const std::string& v) { value = v; }, description);
}

void add_envelope(CLI::App& app, qmail::EnvelopeOptions& envelope) {
    add_optional(app, "--sender", envelope.sender, "envelope sender (\"\" or \"<>\" for the null sender; default $SENDER)");
    app.add_option("--ip", envelope.ip, "SMTP client address (default $TCPREMOTEIP)")->check(non_empty());
    app.add_option("--helo", envelope.helo, "HELO/EHLO name (default $HELO)")->check(non_empty());
    app.add_flag("--trust-received", envelope.trust_received,
                 "take client IP and HELO from our qmail-smtpd's Received: line");
}

void add_now(CLI::App& app, std::optional<std::uint64_t>& now) {
    // At most 12 digits, as t= and x= may have (RFC 6376 3.5).
    static const CLI::Validator digits(
        [](std::string& v) {
            return !v.empty() && v.find_first_not_of("0123456789") == std::string::npos
                       ? std::string()
                       : "not a number: " + printable(v) + " (Unix seconds expected)";
        },
        "UNIX-SECONDS");
    app.add_option("--now", now, "use this time (Unix seconds) instead of the clock")
        ->check(digits)
        ->check(CLI::Range(std::uint64_t{0}, std::uint64_t{999999999999}));
}

void parse(CLI::App& app, int argc, char** argv) {
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        std::exit(io::print_help(app.get_name(), app.help()));
    } catch (const CLI::ParseError& e) {
        usage(app.get_name(), e.what());
    }
}

void usage(std::string_view program, std::string_view reason) {
    report(program, Error{std::string(reason), true});
    std::exit(qmail::exit_code(qmail::FilterStatus::Temporary));
}

std::uint64_t now_or_clock(const std::optional<std::uint64_t>& fixed) {
    return fixed ? *fixed : static_cast<std::uint64_t>(std::time(nullptr));
}

Result<std::uint64_t> now_from(const std::optional<std::uint64_t>& fixed, const char* env) {
    if (fixed) return *fixed;
    const char* v = std::getenv(env);
    if (!v) return now_or_clock(fixed);
    std::string_view s(v);
    if (s.empty() || s.size() > 12 || s.find_first_not_of("0123456789") != std::string_view::npos)
        return usage_error(std::string(env) + "=" + printable(s) + ": not a time in Unix seconds");
    return std::strtoull(v, nullptr, 10);
}

namespace {

[[noreturn]] void fatal_exit(std::string_view program, std::string_view reason, int status) {
    diag(program, "fatal", reason);
    std::exit(status);
}

}  // namespace

void fatal(std::string_view program, std::string_view reason, qmail::FilterStatus status) {
    fatal_exit(program, reason, qmail::exit_code(status));
}

void fatal(std::string_view program, std::string_view reason, qmail::QueueStatus status) {
    fatal_exit(program, reason, qmail::exit_code(status));
}

void fatal(std::string_view program, const Error& error) {
    report(program, error);
    std::exit(qmail::exit_code(qmail::FilterStatus::Temporary));
}

void warn(std::string_view program, std::string_view reason) { diag(program, "warning", reason); }

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
    std::_Exit(qmail::exit_code(qmail::FilterStatus::Temporary));
}

}  // namespace

void start(const char* program) {
    g_program = program;
    std::set_terminate(on_terminate);
    if (!io::reserve_standard_fds()) std::_Exit(qmail::exit_code(qmail::FilterStatus::Temporary));
    if (io::closed_at_start(0)) fatal(program, "standard input is closed");
    std::signal(SIGPIPE, SIG_IGN);
    std::signal(SIGXFSZ, SIG_IGN);
}

}  // namespace qauth::cli
