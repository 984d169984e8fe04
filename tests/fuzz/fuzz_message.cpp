// Fuzz harness (tests/fuzz/fuzz.hpp, `make fuzz`): a message goes through
// the reader, the DKIM verifier with keys from a zone file (the first
// argument: tests/fuzz/fuzz.zone), the forged-field removal and the
// Authentication-Results writer, as in dkimverify. Any crash or sanitizer
// report is a bug.
//   fuzz_message ZONE [FILE...]
#include <cstdio>
#include <memory>
#include <sys/mman.h>
#include <unistd.h>

#include <openssl/err.h>

#include "authres/authres.hpp"
#include "authres/dkim.hpp"
#include "dkim/verify.hpp"
#include "dns/zone_resolver.hpp"
#include "fuzz.hpp"
#include "mail/reader.hpp"

using namespace qauth;

namespace {
// Read-only after LLVMFuzzerInitialize: the zone resolver has no cache.
std::unique_ptr<dns::Resolver> zone;
// mail::Reader reads a file descriptor: each input is written to this one
// memory file, which is emptied first.
int input_fd = -1;
}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
    if (*argc < 2) {
        std::fprintf(stderr, "usage: fuzz_message ZONE [FILE...]\n");
        return 2;
    }
    auto z = dns::make_zone_resolver({(*argv)[1]});
    if (!z) {
        std::fprintf(stderr, "fuzz_message: %s\n", z.error().reason.c_str());
        return 2;
    }
    zone = std::move(*z);
    input_fd = memfd_create("fuzz-input", MFD_CLOEXEC);
    if (input_fd < 0) {
        std::perror("fuzz_message: memfd_create");
        return 2;
    }
    (*argv)[1] = (*argv)[0];  // the zone taken off the arguments
    ++*argv;
    --*argc;
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (ftruncate(input_fd, 0) != 0 || pwrite(input_fd, data, size, 0) != static_cast<ssize_t>(size) ||
        lseek(input_fd, 0, SEEK_SET) != 0)
        __builtin_trap();  // the harness itself failed, not the code under test
    mail::Reader reader(input_fd);
    auto header = reader.read_header();
    if (!header) return 0;
    dkim::Verifier verifier(*zone, {.now = 1700000000});
    verifier.begin(*header);
    authres::remove_forged(*header, "fuzz.example");
    if (reader.read_body([&](std::string_view chunk) -> Result<void> {
            verifier.body(chunk);
            return {};
        })) {
        auto field = authres::format("fuzz.example", authres::dkim_entries(verifier.finish()), "\n");
        if (!field.starts_with("Authentication-Results: fuzz.example;")) __builtin_trap();
    }
    ERR_clear_error();  // nothing left over for the next input
    return 0;
}
