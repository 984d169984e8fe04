// qmail-authremote: the QMAILREMOTE wrapper that signs what qmail-send
// sends and hands it to the real qmail-remote. Wiring only; the work is in
// common/qmail/authremote. No option parser: the arguments are
// qmail-remote's (host sender recip...).
#include <cstring>
#include <string>

#include "qmail/authremote.hpp"
#include "qmail/wrapper.hpp"
#include "util/io.hpp"

namespace {

constexpr const char* kHelp =
    "usage: qmail-authremote host sender recip...\n"
    "The QMAILREMOTE wrapper: called as qmail-remote is (the message on fd 0), runs the remote chain\n"
    "(control/authremote/chain, default qmail-dkimsign; a bounce is signed for bouncehost, else me)\n"
    "and execs the real qmail-remote ($AUTHREMOTE_NEXT, default /var/qmail/bin/qmail-remote) with the\n"
    "same arguments. Any failure is qmail-remote's temporary report on fd 1. See qmail-authremote(8).\n";

}  // namespace

int main(int argc, char** argv) {
    if (argc == 2 && std::strcmp(argv[1], "--help") == 0) return qauth::io::print_help("qmail-authremote", kHelp);
    qauth::qmail::AuthremoteOptions options;
    for (int i = 1; i < argc; ++i) options.args.emplace_back(argv[i]);
    options.program_dir = qauth::qmail::own_directory();
    return qauth::qmail::run_authremote(options);
}
