#include "dns/address.hpp"

#include <arpa/inet.h>

#include <algorithm>


namespace qauth::dns {

namespace {
constexpr std::array<std::uint8_t, 12> kMappedPrefix{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
}  // namespace

IpAddress::IpAddress(Family f, std::span<const std::uint8_t> b) : family_(f) {
    std::copy(b.begin(), b.end(), bytes_.begin());
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
    if (text.size() > 45) return std::nullopt;  // INET6_ADDRSTRLEN - 1
    // inet_pton would stop at an embedded NUL and accept "192.0.2.1\0junk".
    if (text.find('\0') != std::string_view::npos) return std::nullopt;
    const std::string s(text);  // inet_pton needs the terminating NUL
    std::uint8_t buf[16];
    if (inet_pton(AF_INET, s.c_str(), buf) == 1) return IpAddress(Family::V4, {buf, 4});
    if (inet_pton(AF_INET6, s.c_str(), buf) == 1) return IpAddress(Family::V6, {buf, 16});
    return std::nullopt;
}

std::optional<IpAddress> IpAddress::from_bytes(std::span<const std::uint8_t> bytes) {
    if (bytes.size() == 4) return IpAddress(Family::V4, bytes);
    if (bytes.size() == 16) return IpAddress(Family::V6, bytes);
    return std::nullopt;
}

std::string IpAddress::str() const {
    char buf[INET6_ADDRSTRLEN] = "";
    inet_ntop(v4() ? AF_INET : AF_INET6, bytes_.data(), buf, sizeof buf);
    return buf;
}

bool IpAddress::v4_mapped() const {
    return !v4() && std::equal(kMappedPrefix.begin(), kMappedPrefix.end(), bytes_.begin());
}

IpAddress IpAddress::unmapped() const {
    return v4_mapped() ? IpAddress(Family::V4, {bytes_.data() + 12, 4}) : *this;
}

IpAddress IpAddress::mapped() const {
    if (!v4()) return *this;
    std::array<std::uint8_t, 16> b{};
    std::copy(kMappedPrefix.begin(), kMappedPrefix.end(), b.begin());
    std::copy(bytes_.begin(), bytes_.begin() + 4, b.begin() + 12);
    return IpAddress(Family::V6, b);
}

bool IpAddress::in_network(const IpAddress& network, unsigned prefix_bits) const {
    if (family_ != network.family_) return false;
    const unsigned bits = std::min<unsigned>(prefix_bits, v4() ? 32 : 128);
    const unsigned whole = bits / 8, rest = bits % 8;
    if (!std::equal(bytes_.begin(), bytes_.begin() + whole, network.bytes_.begin())) return false;
    if (rest == 0) return true;
    const auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
    return (bytes_[whole] & mask) == (network.bytes_[whole] & mask);
}

}  // namespace qauth::dns
