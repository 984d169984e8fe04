// Fuzz harness (tests/fuzz/fuzz.hpp, `make fuzz`): a DKIM key record goes
// through the tag-list and key-record parsers and, when it parses, the
// public-key decoder and a signature check, as dkimverify does with a TXT
// answer.
#include <string_view>

#include <openssl/err.h>

#include "crypto/hash.hpp"
#include "dkim/key_record.hpp"
#include "fuzz.hpp"

using namespace qauth;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    if (auto key = dkim::parse_key_record(text)) {
        if (auto pub = crypto::parse_public_key(key->type, key->public_key)) {
            std::string digest = crypto::digest(crypto::HashAlg::Sha256, text);
            // The input is no signature made with this key: it must not verify.
            if (pub->verify_digest(crypto::HashAlg::Sha256, digest, text)) __builtin_trap();
        }
    }
    ERR_clear_error();  // nothing left over for the next input
    return 0;
}
