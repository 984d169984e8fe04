// Reading a private key file (DESIGN §5: control/domainkeys/<domain>/<selector>,
// mode 0600 or 0640).
#include <cerrno>
#include <charconv>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto/keys.hpp"
#include "crypto/secret.hpp"
#include "util/io.hpp"

namespace qauth::crypto {
namespace {

// An 8192-bit RSA key is about 6.5 KB of PEM; anything far larger is not a key.
constexpr off_t kMaxKeyFile = 64 * 1024;


std::string octal_mode(mode_t mode) {
    char buf[8];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, static_cast<unsigned>(mode & 07777), 8);
    std::string digits(buf, end);
    return std::string(digits.size() < 4 ? 4 - digits.size() : 0, '0') + digits;
}

}  // namespace

Result<PrivateKey> load_private_key(const std::string& path) {
    // O_NONBLOCK: a FIFO in place of the key must not hang the signer.
    io::Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    if (fd.get() < 0) return fail(path + ": cannot open key: " + std::strerror(errno));
    struct stat st;
    // fstat on the open file: the mode checked is the mode of what is read.
    if (::fstat(fd.get(), &st) != 0) return fail(path + ": cannot stat key: " + std::strerror(errno));
    if (!S_ISREG(st.st_mode)) return fail(path + ": key is not a regular file");
    if (st.st_mode & S_IROTH)
        return fail(path + ": key file is readable by everyone (mode " + octal_mode(st.st_mode) +
                    "); chmod o-r it and replace the key if others may have read it");
    // Whoever may write the key may sign as the domain, or make it unloadable.
    if (st.st_mode & S_IWOTH)
        return fail(path + ": key file is writable by everyone (mode " + octal_mode(st.st_mode) +
                    "); chmod o-w it and replace the key, which others may have changed");
    if (st.st_size > kMaxKeyFile) return fail(path + ": key file too large to be a key");

    // Sized once from fstat, one byte more to notice growth; never reallocated.
    SecretString text(std::string(static_cast<std::size_t>(st.st_size) + 1, '\0'));
    std::size_t got = 0;
    for (;;) {
        ssize_t n = ::read(fd.get(), text.str().data() + got, text.str().size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return fail(path + ": cannot read key: " + std::strerror(errno));
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
        if (got == text.str().size()) return fail(path + ": key file changed while being read");
    }
    auto key = parse_private_key(text.view().substr(0, got));
    if (!key) return fail(path + ": " + key.error().reason);
    return key;
}

}  // namespace qauth::crypto
