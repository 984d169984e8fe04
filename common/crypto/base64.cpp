// Base64 (RFC 4648 §4, the standard alphabet, with padding).
//
// Decoding is strict about the alphabet, the quantum count and padding
// placement, and tolerant in one place: non-zero pad bits in the last quantum
// (RFC 4648 §3.5 lets a decoder accept them). Some signers produce such b= and
// p= values and dkimpy and OpenSSL accept them; refusing would turn a valid
// signature into a failure for no security gain.
#include "crypto/base64.hpp"

#include <array>
#include <cstdint>

#include <openssl/crypto.h>

namespace qauth::crypto {
namespace {

constexpr char kAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Decode table: 0..63 sextet value, then these markers.
constexpr std::uint8_t kSkip = 64;     // SP, HTAB, CR, LF
constexpr std::uint8_t kPad = 65;      // '='
constexpr std::uint8_t kInvalid = 255;

constexpr std::array<std::uint8_t, 256> make_table() {
    std::array<std::uint8_t, 256> t{};
    t.fill(kInvalid);
    for (std::uint8_t i = 0; i < 64; ++i) t[static_cast<unsigned char>(kAlphabet[i])] = i;
    t[' '] = t['\t'] = t['\r'] = t['\n'] = kSkip;
    t['='] = kPad;
    return t;
}
constexpr auto kTable = make_table();

}  // namespace

std::string base64_encode(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        std::uint32_t v = static_cast<unsigned char>(bytes[i]) << 16 |
                          static_cast<unsigned char>(bytes[i + 1]) << 8 |
                          static_cast<unsigned char>(bytes[i + 2]);
        out += kAlphabet[v >> 18];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
        out += kAlphabet[v & 63];
    }
    if (std::size_t rest = bytes.size() - i; rest > 0) {
        std::uint32_t v = static_cast<unsigned char>(bytes[i]) << 16;
        if (rest == 2) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        out += kAlphabet[v >> 18];
        out += kAlphabet[(v >> 12) & 63];
        out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
    std::string out;
    // Callers decode private keys with this: reserve the upper bound so the
    // buffer never moves (a reallocation would leave an unwiped copy), and
    // wipe what was decoded before refusing.
    out.reserve(text.size() / 4 * 3);
    auto refuse = [&out]() -> std::optional<std::string> {
        OPENSSL_cleanse(out.data(), out.size());
        return std::nullopt;
    };
    std::uint32_t acc = 0;
    std::size_t in_quantum = 0;  // characters of the current quantum, pads included
    std::size_t pads = 0;
    bool padded_quantum_done = false;  // padding ends the data
    for (char c : text) {
        std::uint8_t v = kTable[static_cast<unsigned char>(c)];
        if (v == kSkip) continue;
        if (v == kInvalid || padded_quantum_done) return refuse();
        if (v == kPad) {
            // RFC 4648 §4: "=" only as the 3rd or 4th character of the final quantum.
            if (in_quantum < 2) return refuse();
            ++pads;
        } else {
            if (pads > 0) return refuse();  // data after padding
            acc = acc << 6 | v;
        }
        if (++in_quantum < 4) continue;
        // A full quantum: 4 data characters, or 3 + "=", or 2 + "==".
        acc <<= 6 * pads;
        out += static_cast<char>(acc >> 16);
        if (pads < 2) out += static_cast<char>(acc >> 8);
        if (pads < 1) out += static_cast<char>(acc);
        acc = 0;
        in_quantum = 0;
        padded_quantum_done = pads > 0;
    }
    if (in_quantum != 0) return refuse();
    return out;
}

}  // namespace qauth::crypto
