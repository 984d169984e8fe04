#include "crypto/openssl_init.hpp"

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>

#include <sys/stat.h>

#include <openssl/crypto.h>
#include <openssl/err.h>

#include "util/strings.hpp"

namespace qauth::crypto {

std::string openssl_error(std::string_view what) {
    std::string out(what);
    if (unsigned long code = ERR_get_error()) {
        char buf[256];
        if (ERR_reason_error_string(code) != nullptr) {
            ERR_error_string_n(code, buf, sizeof buf);
            out += std::string(" (") + buf + ")";
        } else {  // strings not loaded (init_openssl): the code, and where to look it up
            std::snprintf(buf, sizeof buf, "%08lX", code);
            out += std::string(" (OpenSSL error ") + buf + "; `openssl errstr " + buf + "` explains it)";
        }
    }
    ERR_clear_error();
    return out;
}

Result<void> init_openssl() {
    static std::once_flag once;
    static Result<void> state{};
    std::call_once(once, [] {
        const char* conf = std::getenv("OPENSSL_CONF");
        const bool load = conf != nullptr && *conf != '\0';
        // OpenSSL skips a missing file without a word and would block on a
        // FIFO: the administrator named this file, so it must be there.
        if (load) {
            struct stat st;
            const bool found = ::stat(conf, &st) == 0;
            if (!found || !S_ISREG(st.st_mode)) {
                state = fail("OPENSSL_CONF=" + printable(conf) + ": " +
                             (found ? std::string("not a regular file") : std::string(std::strerror(errno))));
                return;
            }
        }
        const std::uint64_t lean = OPENSSL_INIT_NO_LOAD_CONFIG | OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS;
        if (OPENSSL_init_crypto(load ? OPENSSL_INIT_LOAD_CONFIG : lean, nullptr) == 1)
            return;
        state = fail(openssl_error(load ? "OpenSSL could not load OPENSSL_CONF=" + printable(conf)
                                        : std::string("OpenSSL could not initialise")));
    });
    return state;
}

}  // namespace qauth::crypto
