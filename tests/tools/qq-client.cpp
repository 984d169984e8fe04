// qq-client: a test driver for common/qmail/queue (not installed). Queues
// standard input through qmail-queue ($QMAILQUEUE, else HOME/bin/qmail-queue)
// with the envelope given as arguments, the way srsfilter forward does:
//
//   qq-client [--home DIR] [--program PATH] [--no-fd6] [--delivered-to ADDR]...
//             [--dtline] [--] SENDER RCPT... < message
//
// --delivered-to prepends qmail-local's Delivered-To line for ADDR (repeatable,
// in order); --dtline the one qmail-local gave a .qmail program ($DTLINE). Prints "ok", or "permanent"/"temporary", the exit value and the
// reason on one line (and "custom <text>" on a second line after exit 82),
// and exits 0, 100 or 111 (DESIGN §3).
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "qmail/queue.hpp"

using namespace qauth;

int main(int argc, char** argv) {
    qmail::QueueOptions options;
    std::string prefix;
    std::vector<std::string> args;
    bool options_done = false;
    for (int i = 1; i < argc; ++i) {
        std::string_view a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "usage: qq-client: %s needs a value\n", argv[i]);
                std::exit(111);
            }
            return argv[++i];
        };
        if (options_done || a.empty() || a[0] != '-') args.emplace_back(a);
        else if (a == "--") options_done = true;
        else if (a == "--home") options.home = value();
        else if (a == "--program") options.program = value();
        else if (a == "--no-fd6") options.custom_error = false;
        else if (a == "--delivered-to") prefix += qmail::delivered_to_line(value());
        else if (a == "--dtline") prefix += qmail::delivered_to_from();
        else {
            std::fprintf(stderr, "usage: qq-client: unknown option %s\n", argv[i]);
            return 111;
        }
    }
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: qq-client [options] SENDER RCPT... < message\n");
        return 111;
    }
    std::vector<std::string> rcpts(args.begin() + 1, args.end());
    auto envelope = qmail::encode_envelope(args[0], rcpts);
    if (!envelope) {
        std::fprintf(stderr, "qq-client: fatal: %s\n", envelope.error().reason.c_str());
        return 111;
    }
    auto out = qmail::queue_message(options, *envelope, prefix, 0);
    if (out.ok()) {
        std::printf("ok\n");
    } else {
        std::printf("%s %d %s\n", out.status == qmail::FilterStatus::Permanent ? "permanent" : "temporary", out.exit,
                    out.reason.c_str());
        if (!out.custom_error.empty()) std::printf("custom %s\n", out.custom_error.c_str());
    }
    return qmail::exit_code(out.status);
}
