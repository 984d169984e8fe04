#include "dns/ldns_resolver.hpp"

#include <sys/random.h>
#include <sys/time.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <string>
#include <vector>

#include "dns/ldns_util.hpp"
#include "dns/text.hpp"
#include "util/strings.hpp"

namespace qauth::dns {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::microseconds;

// DNS Flag Day 2020: large enough for most answers, small enough not to be
// fragmented; larger answers come back truncated and are fetched over TCP.
constexpr std::uint16_t kEdnsUdpSize = 1232;

struct ServerAddress {
    LdnsPtr<ldns_rdf> ip;
    std::uint16_t port = 53;
};

Result<ServerAddress> parse_server(std::string_view spec) {
    const std::string usage = " in '" + printable(spec) + "' (expected IP or IP@PORT)";
    std::string ip(spec);
    std::uint16_t port = 53;
    if (auto at = spec.rfind('@'); at != std::string_view::npos) {
        ip = spec.substr(0, at);
        std::string_view digits = spec.substr(at + 1);
        unsigned value = 0;
        auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
        if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || value < 1 ||
            value > 65535)
            return fail("bad port" + usage);
        port = static_cast<std::uint16_t>(value);
    }
    auto addr = IpAddress::parse(ip);
    if (!addr) return fail("bad address" + usage);
    auto b = addr->bytes();
    ldns_rdf* rdf = ldns_rdf_new_frm_data(addr->v4() ? LDNS_RDF_TYPE_A : LDNS_RDF_TYPE_AAAA, b.size(), b.data());
    if (!rdf) return fail("out of memory");
    return ServerAddress{LdnsPtr<ldns_rdf>(rdf), port};
}

// "192.0.2.1@53" or "2001:db8::1@53", for messages.
std::string server_label(const ldns_rdf* ip, std::uint16_t port) {
    auto addr = IpAddress::from_bytes({ldns_rdf_data(ip), ldns_rdf_size(ip)});
    return (addr ? addr->str() : std::string("?")) + "@" + std::to_string(port);
}

// The reply answers our question (RFC 5452 §3): same ID, same question.
bool matches(const ldns_pkt* query, const ldns_pkt* reply) {
    const ldns_rr_list* rq = ldns_pkt_question(reply);
    if (!ldns_pkt_qr(reply) || ldns_pkt_id(reply) != ldns_pkt_id(query) || ldns_rr_list_rr_count(rq) != 1)
        return false;
    const ldns_rr* a = ldns_rr_list_rr(ldns_pkt_question(query), 0);
    const ldns_rr* b = ldns_rr_list_rr(rq, 0);
    return ldns_rr_get_type(a) == ldns_rr_get_type(b) && ldns_rr_get_class(a) == ldns_rr_get_class(b) &&
           ldns_dname_compare(ldns_rr_owner(a), ldns_rr_owner(b)) == 0;
}

// An unpredictable query ID (RFC 5452 §4.3) from the kernel's CSPRNG: ldns's
// own ldns_pkt_set_random_id() asks OpenSSL's RAND_bytes, whose first call
// sets up the provider DRBG for about 8 million instructions (callgrind),
// more than the rest of an SPF check.
void set_query_id(ldns_pkt* pkt) {
    std::uint16_t id = 0;
    if (::getrandom(&id, sizeof id, 0) == static_cast<ssize_t>(sizeof id))
        ldns_pkt_set_id(pkt, id);
    else
        ldns_pkt_set_random_id(pkt);
}

std::string rcode_name(ldns_pkt_rcode rcode) {
    if (const ldns_lookup_table* t = ldns_lookup_by_id(ldns_rcodes, rcode)) return t->name;
    return "RCODE " + std::to_string(rcode);
}

// Where a CNAME chain has got to: its last name, the records of the asked
// type there, and the links followed so far.
struct Chain {
    std::string end;
    std::vector<Rdata> records;
    int links;
};

// Follows `chain` through the CNAMEs of an answer section (RFC 1034 §3.6.2)
// and collects the records of `type` where it ends.
Result<Chain> follow(const ldns_rr_list* rrs, Chain chain, RrType type) {
    const auto want = static_cast<ldns_rr_type>(type);
    for (;;) {
        const ldns_rr* cname = nullptr;
        for (std::size_t i = 0; i < ldns_rr_list_rr_count(rrs); ++i) {
            const ldns_rr* rr = ldns_rr_list_rr(rrs, i);
            if (dname_key(ldns_rr_owner(rr)) != chain.end) continue;
            if (ldns_rr_get_type(rr) == want) {
                auto data = record_data(rr);
                if (!data) return fail("malformed " + std::string(type_name(type)) + " record");
                chain.records.push_back(std::move(*data));
            } else if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_CNAME) {
                cname = rr;
            }
        }
        if (!chain.records.empty() || !cname) return chain;
        auto target = record_data(cname);
        if (!target) return fail("malformed CNAME record");
        if (++chain.links > kMaxCnameLinks)
            return fail("CNAME chain longer than " + std::to_string(kMaxCnameLinks) + " links (loop?)");
        chain.end = canonical_name(target->text).value_or("");
    }
}

// One configured server, with an ldns resolver that knows only it: ldns has
// one port per resolver, and we want to run the tries ourselves.
struct Server {
    std::string label;
    LdnsPtr<ldns_resolver> res;
    bool silent = false;  // it let a query time out: ask the others first
};

class LdnsResolver final : public Resolver {
public:
    explicit LdnsResolver(Options opts) : opts_(std::move(opts)) {}
    Answer query(std::string_view name, RrType type) override;

private:
    void setup();
    void set_budget();
    bool add_server(const ldns_rdf* ip, std::uint16_t port);
    Result<LdnsPtr<ldns_pkt>> ask(const std::string& name, RrType type, Clock::time_point deadline);
    Result<LdnsPtr<ldns_pkt>> exchange(Server& server, const ldns_rdf* qname, RrType type,
                                       Clock::time_point deadline);

    Options opts_;
    // One query's time budget: timeout x tries x servers.
    Clock::duration budget_ = Clock::duration::zero();
    // Time this process has spent waiting on servers that did not answer.
    // Past one budget they are not asked again: a message with ten
    // signatures must not wait ten times for a dead resolver.
    Clock::duration silent_ = Clock::duration::zero();
    bool set_up_ = false;
    std::string setup_error_;  // when set, every query fails with it
    std::vector<Server> servers_;
};

// Deferred to the first query: a filter that never looks anything up never
// reads /etc/resolv.conf.
void LdnsResolver::setup() {
    set_up_ = true;
    if (!opts_.servers.empty()) {
        for (const std::string& spec : opts_.servers) {
            auto addr = parse_server(spec);
            if (!addr) {
                setup_error_ = "--dns-server: " + addr.error().reason;
                return;
            }
            if (!add_server(addr->ip.get(), addr->port)) return;
        }
        return;
    }
    ldns_resolver* raw = nullptr;
    ldns_status st = ldns_resolver_new_frm_file(&raw, nullptr);
    LdnsPtr<ldns_resolver> conf(raw);
    if (st != LDNS_STATUS_OK) {
        setup_error_ = std::string("/etc/resolv.conf: ") + ldns_get_errorstr_by_id(st);
        return;
    }
    for (std::size_t i = 0; i < ldns_resolver_nameserver_count(conf.get()); ++i)
        if (!add_server(ldns_resolver_nameservers(conf.get())[i], ldns_resolver_port(conf.get()))) return;
    if (servers_.empty()) setup_error_ = "/etc/resolv.conf: no nameserver";
}

void LdnsResolver::set_budget() {
    budget_ = std::chrono::seconds(opts_.timeout_seconds) * (opts_.retries + 1) * static_cast<int>(servers_.size());
}

bool LdnsResolver::add_server(const ldns_rdf* ip, std::uint16_t port) {
    LdnsPtr<ldns_resolver> r(ldns_resolver_new());
    if (!r || ldns_resolver_push_nameserver(r.get(), ip) != LDNS_STATUS_OK) {
        setup_error_ = "out of memory";
        return false;
    }
    ldns_resolver_set_port(r.get(), port);
    // One name server each: shuffling it would only call RAND_bytes (see
    // set_query_id()).
    ldns_resolver_set_random(r.get(), false);
    ldns_resolver_set_retry(r.get(), 1);      // one send per call: ask() runs the tries
    ldns_resolver_set_retrans(r.get(), 0);    // else ldns sleeps after a failed server
    ldns_resolver_set_fallback(r.get(), true);  // TC=1: ask again over TCP
    servers_.push_back(Server{server_label(ip, port), std::move(r)});
    return true;
}

// The first reply with RCODE NOERROR or NXDOMAIN; the other RCODEs, like
// timeouts, send us on to the next server and the next try.
Result<LdnsPtr<ldns_pkt>> LdnsResolver::ask(const std::string& name, RrType type, Clock::time_point deadline) {
    LdnsPtr<ldns_rdf> qname = dname_rdf(name);
    if (!qname) return fail("out of memory");
    std::string last = "no time left";
    // Servers that answered before go first; silent ones are skipped once
    // the process has waited a whole query's budget on them.
    std::stable_partition(servers_.begin(), servers_.end(), [](const Server& s) { return !s.silent; });
    for (int attempt = 0; attempt <= opts_.retries; ++attempt) {
        for (Server& server : servers_) {
            if (Clock::now() >= deadline) return fail(last);
            if (server.silent && silent_ >= budget_) {
                last = server.label + ": did not answer earlier in this process";
                continue;
            }
            auto reply = exchange(server, qname.get(), type, deadline);
            if (!reply) {
                last = server.label + ": " + reply.error().reason;
                continue;
            }
            ldns_pkt_rcode rcode = ldns_pkt_get_rcode(reply->get());
            if (rcode == LDNS_RCODE_NOERROR || rcode == LDNS_RCODE_NXDOMAIN) return reply;
            last = server.label + ": " + rcode_name(rcode);
        }
    }
    return fail(last);
}

Result<LdnsPtr<ldns_pkt>> LdnsResolver::exchange(Server& server, const ldns_rdf* qname, RrType type,
                                                 Clock::time_point deadline) {
    auto wait = std::min(std::chrono::duration_cast<microseconds>(deadline - Clock::now()),
                         microseconds(std::chrono::seconds(opts_.timeout_seconds)));
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(wait.count() / 1000000);
    tv.tv_usec = static_cast<suseconds_t>(wait.count() % 1000000);
    ldns_resolver_set_timeout(server.res.get(), tv);
    // ldns skips a server for good after one failure; ours get every try.
    ldns_resolver_set_nameserver_rtt(server.res.get(), 0, LDNS_RESOLV_RTT_MIN);

    LdnsPtr<ldns_pkt> query(ldns_pkt_query_new(ldns_rdf_clone(qname), static_cast<ldns_rr_type>(type),
                                               LDNS_RR_CLASS_IN, LDNS_RD));
    if (!query) return fail("out of memory");
    set_query_id(query.get());
    ldns_pkt_set_edns_udp_size(query.get(), kEdnsUdpSize);
    ldns_pkt* raw = nullptr;
    const Clock::time_point sent = Clock::now();
    ldns_status st = ldns_resolver_send_pkt(&raw, server.res.get(), query.get());
    LdnsPtr<ldns_pkt> reply(raw);
    if (st == LDNS_STATUS_NETWORK_ERR || (st == LDNS_STATUS_OK && !reply)) {
        silent_ += Clock::now() - sent;
        server.silent = true;
        return fail("no reply (timeout or network error)");
    }
    if (st != LDNS_STATUS_OK) return fail(ldns_get_errorstr_by_id(st));
    if (!matches(query.get(), reply.get())) return fail("reply does not match the query");
    if (ldns_pkt_tc(reply.get())) return fail("reply truncated");
    return reply;
}

Answer LdnsResolver::query(std::string_view name, RrType type) {
    auto key = canonical_name(name);
    if (!key) return invalid_name(name);
    const std::string what = question_text(*key, type);
    if (!set_up_) {
        setup();
        set_budget();
    }
    if (!setup_error_.empty()) return temp_fail(what + ": " + setup_error_);

    const Clock::time_point deadline = Clock::now() + budget_;
    Chain chain{*key, {}, 0};
    for (;;) {
        const std::string asked = chain.end;
        auto reply = ask(asked, type, deadline);
        if (!reply) return temp_fail(what + ": " + reply.error().reason);
        auto followed = follow(ldns_pkt_answer(reply->get()), std::move(chain), type);
        if (!followed) return temp_fail(what + ": " + followed.error().reason);
        chain = std::move(*followed);
        if (!chain.records.empty()) {
            Answer found{Status::Answer, {}, {}};
            for (const Rdata& r : chain.records) append_record(found, r);
            return found;
        }
        // RFC 6604 §3: the RCODE speaks of the last name of the chain.
        if (ldns_pkt_get_rcode(reply->get()) == LDNS_RCODE_NXDOMAIN) return Answer{Status::NxDomain, {}, {}};
        if (chain.end == asked) return Answer{Status::NoData, {}, {}};
        // The chain stops at a name the reply says nothing of: ask for it.
    }
}

}  // namespace

std::unique_ptr<Resolver> make_ldns_resolver(const Options& opts) {
    return std::make_unique<LdnsResolver>(opts);
}

Result<void> check_server(std::string_view spec) {
    auto addr = parse_server(spec);
    if (!addr) return std::unexpected(addr.error());
    return {};
}

}  // namespace qauth::dns
