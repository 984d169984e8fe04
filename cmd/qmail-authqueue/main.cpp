// qmail-authqueue: the QMAILQUEUE wrapper that runs the qauth filters over a
// message and hands the result to the real qmail-queue. Wiring only; the
// work is in common/qmail/authqueue (DESIGN §3, §9). No option parser: the
// arguments are the chain (qmail-qfilter style) and start-up stays cheap.
#include <cstring>
#include <string>
#include <unistd.h>

#include "qmail/authqueue.hpp"
#include "qmail/wrapper.hpp"
#include "util/io.hpp"

namespace {

constexpr const char* kHelp =
    "usage: qmail-authqueue [FILTER [ARG...] [-- FILTER [ARG...]]...]\n"
    "The QMAILQUEUE wrapper: reads the message on fd 0 and the envelope on fd 1 as qmail-queue does,\n"
    "runs the filter chain (the arguments, else control/authqueue/incoming or authqueue/outgoing),\n"
    "then execs the real qmail-queue ($AUTHQUEUE_NEXT, default /var/qmail/bin/qmail-queue).\n"
    "Control files: authqueue/incoming, authqueue/outgoing, authqueue/timeout, authqueue/customerror,\n"
    "authqueue/spooldir (under $QMAIL_CONTROL, default /var/qmail/control). See qmail-authqueue(8).\n";

}  // namespace

int main(int argc, char** argv) {
    if (argc == 2 && std::strcmp(argv[1], "--help") == 0) return qauth::io::print_help("qmail-authqueue", kHelp);
    qauth::qmail::AuthqueueOptions options;
    for (int i = 1; i < argc; ++i) options.args.emplace_back(argv[i]);
    options.program_dir = qauth::qmail::own_directory();
    return qauth::qmail::run_authqueue(options);
}
