// Fuzz harness (AFL++, `make fuzz`): a DKIM key record on stdin goes through
// the tag-list and key-record parsers and, when it parses, the public-key
// decoder and a signature check, as dkimverify does with a TXT answer.
#include <iostream>
#include <iterator>
#include <string>

#include "crypto/hash.hpp"
#include "dkim/key_record.hpp"

using namespace qauth;

int main() {
    std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    auto key = dkim::parse_key_record(text);
    if (!key) return 0;
    auto pub = crypto::parse_public_key(key->type, key->public_key);
    if (!pub) return 0;
    std::string digest = crypto::digest(crypto::HashAlg::Sha256, text);
    return pub->verify_digest(crypto::HashAlg::Sha256, digest, text) ? 1 : 0;
}
