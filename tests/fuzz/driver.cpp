// main() for the fuzz harnesses (see fuzz.hpp): AFL++'s persistent mode with
// shared-memory test cases when built for afl-fuzz, else one run per FILE
// argument or of stdin.
//
// Debian 12's AFL++ 4.04c has no usable compiler for persistent mode here:
// afl-g++ instruments through afl-as, whose runtime has no persistent loop;
// the afl-g++-fast plugin refuses Debian 12's GCC; afl-clang-fast (clang 14)
// cannot compile libstdc++'s std::expected. So scripts/fuzz builds with
// plain g++, -fsanitize-coverage=trace-pc and -DQAUTH_FUZZ_AFL, and links
// AFL++'s own runtime (afl-compiler-rt.o: fork server, shared-memory input,
// __afl_persistent_loop); __sanitizer_cov_trace_pc below records the edges
// into AFL++'s map as afl-as's instrumentation does (prev ^ cur, hashed from
// the address of each basic block). With an afl-cc that defines __AFL_LOOP
// itself (afl-clang-fast, afl-gcc-fast elsewhere), its own macros are used.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <unistd.h>

#include "fuzz.hpp"

extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int*, char***) { return 0; }

#if defined(QAUTH_FUZZ_AFL) && !defined(__AFL_LOOP)
// What afl-cc defines for persistent mode with shared memory (AFL++ 4.04c).
// afl-fuzz finds the two signatures in the binary and then tells the
// runtime to defer the fork server and to loop.
extern "C" {
int __afl_sharedmem_fuzzing = 1;
extern unsigned int* __afl_fuzz_len;
extern unsigned char* __afl_fuzz_ptr;
int __afl_persistent_loop(unsigned int);
void __afl_manual_init(void);
extern unsigned char* __afl_area_ptr;
extern const char __executable_start;
}
__attribute__((used)) static volatile const char* kAflPersistent = "##SIG_AFL_PERSISTENT##";
__attribute__((used)) static volatile const char* kAflDeferred = "##SIG_AFL_DEFER_FORKSRV##";
static unsigned char afl_alt_buffer[1 << 20];
#define __AFL_INIT() __afl_manual_init()
#define __AFL_LOOP(n) __afl_persistent_loop(n)
#define __AFL_FUZZ_TESTCASE_BUF (__afl_fuzz_ptr ? __afl_fuzz_ptr : afl_alt_buffer)
#define __AFL_FUZZ_TESTCASE_LEN (__afl_fuzz_ptr ? *__afl_fuzz_len : afl_read_stdin())
#define QAUTH_FUZZ_SHIM 1

static unsigned int afl_read_stdin() {  // outside afl-fuzz: the input is stdin
    std::size_t n = 0;
    for (ssize_t r; n < sizeof afl_alt_buffer; n += static_cast<std::size_t>(r)) {
        r = ::read(0, afl_alt_buffer + n, sizeof afl_alt_buffer - n);
        if (r < 0 && errno == EINTR) r = 0;
        else if (r <= 0) break;
    }
    return static_cast<unsigned int>(n);
}

// One edge per (previous block, this block) into AFL++'s 64 KiB map. Block
// addresses are taken relative to the executable, so that they do not change
// with ASLR between fork servers. Not instrumented itself.
static __thread std::uintptr_t afl_prev_loc;
extern "C" __attribute__((no_sanitize_coverage, no_sanitize_address)) void __sanitizer_cov_trace_pc() {
    std::uintptr_t off = reinterpret_cast<std::uintptr_t>(__builtin_return_address(0)) -
                         reinterpret_cast<std::uintptr_t>(&__executable_start);
    std::uintptr_t cur = (off * 0x9E3779B97F4A7C15ull) >> 48;
    __afl_area_ptr[cur ^ afl_prev_loc]++;
    afl_prev_loc = cur >> 1;
}
#endif

#if defined(__AFL_FUZZ_INIT) && !defined(QAUTH_FUZZ_SHIM)
__AFL_FUZZ_INIT();  // afl-cc's own: shared-memory test cases
#endif

int main(int argc, char** argv) {
    if (int rc = LLVMFuzzerInitialize(&argc, &argv); rc != 0) return rc;
#ifdef __AFL_LOOP
    if (argc < 2) {
        __AFL_INIT();
        unsigned char* buf = __AFL_FUZZ_TESTCASE_BUF;
        while (__AFL_LOOP(100000)) {
            unsigned int len = __AFL_FUZZ_TESTCASE_LEN;
            LLVMFuzzerTestOneInput(buf, len);
        }
        return 0;
    }
#endif
    if (argc < 2) {  // plain build: stdin, once
        std::string in((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
        return LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(in.data()), in.size());
    }
    for (int i = 1; i < argc; ++i) {
        std::ifstream f(argv[i], std::ios::binary);
        if (!f) {
            std::fprintf(stderr, "%s: cannot read %s: %s\n", argv[0], argv[i], std::strerror(errno));
            return 2;
        }
        std::string in((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(in.data()), in.size());
    }
    return 0;
}
