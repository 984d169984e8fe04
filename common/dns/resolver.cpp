#include "dns/resolver.hpp"

#include <unordered_map>

#include "dns/ldns_resolver.hpp"
#include "dns/text.hpp"
#include "dns/zone_resolver.hpp"

namespace qauth::dns {

namespace {

// Answers for the life of the process, every status included: one message
// must see one view of the DNS, and a name that failed is not asked again.
class CachingResolver final : public Resolver {
public:
    CachingResolver(std::unique_ptr<Resolver> inner, std::size_t max_entries)
        : inner_(std::move(inner)), max_entries_(max_entries) {}

    Answer query(std::string_view name, RrType type) override {
        auto key = canonical_name(name);
        if (!key) return inner_->query(name, type);  // answered at once, without the network
        key->append(1, '/').append(type_name(type));
        if (auto it = cache_.find(*key); it != cache_.end()) return it->second;
        Answer answer = inner_->query(name, type);
        if (cache_.size() >= max_entries_) cache_.erase(cache_.begin());  // any one will do
        cache_.emplace(std::move(*key), answer);
        return answer;
    }

private:
    std::unique_ptr<Resolver> inner_;
    std::size_t max_entries_;
    std::unordered_map<std::string, Answer> cache_;
};

}  // namespace

std::unique_ptr<Resolver> make_cached_resolver(std::unique_ptr<Resolver> inner, std::size_t max_entries) {
    return std::make_unique<CachingResolver>(std::move(inner), max_entries);
}

Result<std::unique_ptr<Resolver>> make_resolver(const Options& opts) {
    if (opts.timeout_seconds < 1 || opts.timeout_seconds > 60)
        return fail("--dns-timeout: must be 1..60 seconds, not " + std::to_string(opts.timeout_seconds));
    if (opts.retries < 0 || opts.retries > 10)
        return fail("DNS retries: must be 0..10, not " + std::to_string(opts.retries));
    for (const std::string& server : opts.servers)
        if (auto ok = check_server(server); !ok) return fail("--dns-server: " + ok.error().reason);

    std::unique_ptr<Resolver> inner;
    if (!opts.zones.empty()) {
        auto zones = make_zone_resolver(opts.zones);
        if (!zones) return fail("--dns-zone: " + zones.error().reason);
        inner = std::move(*zones);
    } else {
        inner = make_ldns_resolver(opts);
    }
    return make_cached_resolver(std::move(inner));
}

}  // namespace qauth::dns
