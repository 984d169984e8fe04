#include "crypto/pem.hpp"

#include "crypto/base64.hpp"

namespace qauth::crypto {
namespace {

constexpr std::string_view kBegin = "-----BEGIN ";
constexpr std::string_view kEnd = "-----END ";
constexpr std::string_view kDashes = "-----";
constexpr std::size_t kLineLength = 64;

}  // namespace

bool looks_like_pem(std::string_view text) {
    return text.find(kBegin) != std::string_view::npos;
}

Result<PemBlock> pem_decode(std::string_view text) {
    std::size_t begin = text.find(kBegin);
    if (begin == std::string_view::npos) return fail("PEM: no BEGIN line");
    std::size_t label_start = begin + kBegin.size();
    std::size_t label_end = text.find(kDashes, label_start);
    std::size_t line_end = text.find('\n', label_start);
    if (label_end == std::string_view::npos || label_end > line_end) return fail("PEM: malformed BEGIN line");
    std::string label(text.substr(label_start, label_end - label_start));

    std::string end_line = std::string(kEnd) + label + std::string(kDashes);
    std::size_t body_start = label_end + kDashes.size();
    std::size_t body_end = text.find(end_line, body_start);
    if (body_end == std::string_view::npos) return fail("PEM: no END line for " + label);
    std::string_view body = text.substr(body_start, body_end - body_start);

    if (body.find("Proc-Type:") != std::string_view::npos && body.find("ENCRYPTED") != std::string_view::npos)
        return fail("PEM " + label + " is encrypted; store it decrypted (openssl pkey -in FILE -out NEWFILE)");
    if (body.find(':') != std::string_view::npos) return fail("PEM " + label + ": unexpected header lines");
    auto der = base64_decode(body);
    if (!der) return fail("PEM " + label + ": bad base64 body");
    return PemBlock{std::move(label), SecretString(std::move(*der))};
}

std::string pem_encode(std::string_view label, std::string_view der) {
    SecretString b64(base64_encode(der));
    const std::string_view body = b64.view();
    std::string out;
    // Exact size up front: the text is key material and must not leave
    // unwiped copies behind through reallocation.
    const std::size_t lines = (body.size() + kLineLength - 1) / kLineLength;
    out.reserve(kBegin.size() + kEnd.size() + 2 * (label.size() + kDashes.size() + 1) + body.size() + lines);
    out.append(kBegin).append(label).append(kDashes) += '\n';
    for (std::size_t i = 0; i < body.size(); i += kLineLength) out.append(body.substr(i, kLineLength)) += '\n';
    out.append(kEnd).append(label).append(kDashes) += '\n';
    return out;
}

}  // namespace qauth::crypto
