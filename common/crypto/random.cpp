#include "crypto/random.hpp"

#include <mutex>

#include <openssl/rand.h>
#include <sodium.h>

namespace qauth::crypto {
namespace {

int kernel_bytes(unsigned char* buf, int num) {
    if (num < 0) return 0;
    randombytes_buf(buf, static_cast<std::size_t>(num));
    return 1;
}

int always_ready() { return 1; }

// seed and add stay null: the kernel needs no entropy from us.
const RAND_METHOD kKernelRandom = {
    nullptr,        // seed
    kernel_bytes,   // bytes
    nullptr,        // cleanup
    nullptr,        // add
    kernel_bytes,   // pseudorand
    always_ready,   // status
};

}  // namespace

void use_system_random() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (sodium_init() >= 0) RAND_set_rand_method(&kKernelRandom);
    });
}

}  // namespace qauth::crypto
