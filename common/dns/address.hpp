// IP addresses as values (RFC 791, RFC 4291): what A and AAAA answers hold,
// what SPF's ip4:/ip6: mechanisms and the client IP compare, and the PTR
// query name of an address. No text is parsed twice: resolvers hand these out.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace qauth::dns {

/// An IPv4 or IPv6 address: its family and its bytes in network order.
class IpAddress {
public:
    enum class Family : std::uint8_t { V4 = 4, V6 = 6 };

    /// "192.0.2.1" or "2001:db8::1" (inet_pton forms: no brackets, no zone
    /// index, no leading zeros in IPv4 parts); nullopt for anything else.
    static std::optional<IpAddress> parse(std::string_view text);
    /// From 4 (IPv4) or 16 (IPv6) bytes; nullopt for any other size.
    static std::optional<IpAddress> from_bytes(std::span<const std::uint8_t> bytes);

    Family family() const { return family_; }
    bool v4() const { return family_ == Family::V4; }
    /// The address bytes: 4 or 16 of them.
    std::span<const std::uint8_t> bytes() const { return {bytes_.data(), v4() ? 4u : 16u}; }
    /// The text form (inet_ntop: "192.0.2.1", "2001:db8::1", "::ffff:192.0.2.1").
    std::string str() const;

    /// An IPv6 address of the form ::ffff:a.b.c.d (RFC 4291 §2.5.5.2), as a
    /// dual-stack socket reports an IPv4 client.
    bool v4_mapped() const;
    /// The IPv4 address inside a v4-mapped one; any other address as it is.
    /// SPF evaluates a mapped client address as IPv4 (RFC 7208 §5: "ip4"
    /// matches the IPv4 client, so callers unmap first).
    IpAddress unmapped() const;
    /// The ::ffff:a.b.c.d form of an IPv4 address; an IPv6 one as it is.
    IpAddress mapped() const;

    /// True when the first `prefix_bits` bits equal those of `network`, of
    /// the same family (SPF ip4:NET/LEN, ip6:NET/LEN and a/mx dual CIDR, RFC
    /// 7208 §5.6). A prefix longer than the address is the whole address.
    bool in_network(const IpAddress& network, unsigned prefix_bits) const;

    friend bool operator==(const IpAddress&, const IpAddress&) = default;

private:
    IpAddress(Family f, std::span<const std::uint8_t> b);
    Family family_ = Family::V4;
    std::array<std::uint8_t, 16> bytes_{};  // IPv4 in the first 4, the rest zero
};

/// The PTR query name of `ip` in canonical_name() form (lower-case, no
/// trailing dot), built by ldns (ldns_rdf_address_reverse):
/// "1.2.0.192.in-addr.arpa" (RFC 1035 §3.5), the 32 nibbles under ip6.arpa
/// for IPv6 (RFC 3596 §2.5). A v4-mapped address is reversed as IPv6: callers
/// that mean the IPv4 client unmap it first.
std::string reverse_name(const IpAddress& ip);

}  // namespace qauth::dns
