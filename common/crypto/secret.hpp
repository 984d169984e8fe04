// A byte string that is wiped when it dies: for the copies of private key
// material (decoded DER, PEM text, file contents) that the key code makes.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include <openssl/crypto.h>

namespace qauth::crypto {

class SecretString {
public:
    SecretString() = default;
    explicit SecretString(std::string bytes) : bytes_(std::move(bytes)) {}
    ~SecretString() { wipe(bytes_); }
    SecretString(SecretString&& other) noexcept : bytes_(std::move(other.bytes_)) {}
    SecretString& operator=(SecretString&& other) noexcept {
        wipe(bytes_);
        bytes_ = std::move(other.bytes_);
        return *this;
    }
    SecretString(const SecretString&) = delete;
    SecretString& operator=(const SecretString&) = delete;

    std::string& str() { return bytes_; }
    std::string_view view() const { return bytes_; }

    /// Overwrites the whole buffer of `s`, spare capacity included, and empties it.
    static void wipe(std::string& s) {
        s.resize(s.capacity());  // within capacity: no reallocation
        OPENSSL_cleanse(s.data(), s.size());
        s.clear();
    }

private:
    std::string bytes_;
};

}  // namespace qauth::crypto
