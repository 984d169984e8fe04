#include "dns/resolver.hpp"

#include <optional>
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
        auto k = key(name, type);
        if (!k) return inner_->query(name, type);  // answered at once, without the network
        if (auto it = cache_.find(*k); it != cache_.end()) return it->second;
        Answer answer = inner_->query(name, type);
        store(std::move(*k), answer);
        return answer;
    }

    std::vector<Answer> query_all(std::span<const Question> questions) override {
        std::vector<Answer> answers(questions.size());
        std::vector<Question> misses;                     // each question once
        std::vector<std::optional<std::string>> miss_keys;  // nullopt: a name that cannot exist, not cached
        std::unordered_map<std::string, std::size_t> miss_at;
        constexpr std::size_t kHit = static_cast<std::size_t>(-1);
        std::vector<std::size_t> from(questions.size(), kHit);  // which miss answers question i
        for (std::size_t i = 0; i < questions.size(); ++i) {
            const Question& q = questions[i];
            auto k = key(q.name, q.type);
            if (k) {
                if (auto it = cache_.find(*k); it != cache_.end()) {
                    answers[i] = it->second;
                    continue;
                }
                if (auto it = miss_at.find(*k); it != miss_at.end()) {
                    from[i] = it->second;
                    continue;
                }
                miss_at.emplace(*k, misses.size());
            }
            from[i] = misses.size();
            misses.push_back(q);
            miss_keys.push_back(std::move(k));
        }
        if (misses.empty()) return answers;
        std::vector<Answer> got = inner_->query_all(misses);
        for (std::size_t m = 0; m < misses.size(); ++m)
            if (miss_keys[m]) store(std::move(*miss_keys[m]), got[m]);
        for (std::size_t i = 0; i < questions.size(); ++i)
            if (from[i] != kHit) answers[i] = got[from[i]];
        return answers;
    }

private:
    // The cache key: the name as query() compares it, and the type; nullopt
    // for a name that cannot exist (the inner resolver answers it at once).
    static std::optional<std::string> key(std::string_view name, RrType type) {
        auto k = canonical_name(name);
        if (k) k->append(1, '/').append(type_name(type));
        return k;
    }

    void store(std::string k, const Answer& answer) {
        if (cache_.size() >= max_entries_) cache_.erase(cache_.begin());  // any one will do
        cache_.emplace(std::move(k), answer);
    }

    std::unique_ptr<Resolver> inner_;
    std::size_t max_entries_;
    std::unordered_map<std::string, Answer> cache_;
};

}  // namespace

std::vector<Answer> Resolver::query_all(std::span<const Question> questions) {
    std::vector<Answer> answers;
    answers.reserve(questions.size());
    for (const Question& q : questions) answers.push_back(query(q.name, q.type));
    return answers;
}

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
