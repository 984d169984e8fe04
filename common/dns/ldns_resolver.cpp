#include "dns/ldns_resolver.hpp"

#include <poll.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "dns/ldns_util.hpp"
#include "dns/text.hpp"
#include "util/io.hpp"
#include "util/strings.hpp"

namespace qauth::dns {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::microseconds;

// DNS Flag Day 2020: large enough for most answers, small enough not to be
// fragmented; larger answers come back truncated and are fetched over TCP.
constexpr std::uint16_t kEdnsUdpSize = 1232;

// At most this many questions of a query_all() batch are in flight at once,
// one UDP socket each: enough for the 10 names of an SPF mx or ptr term
// (RFC 7208 §4.6.4); a larger batch is sent in further rounds.
constexpr std::size_t kMaxInFlight = 16;

// The largest UDP reply read: a server may answer beyond our EDNS size, and
// a reply cut short by our buffer would not parse.
constexpr std::size_t kMaxUdpReply = 65535;

// What a try that got nothing says, in query() and query_all() alike.
constexpr std::string_view kNoReply = "no reply (timeout or network error)";

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

// RCODEs that answer the question; the others (SERVFAIL, REFUSED, ...) send
// us on to the next server and the next try.
bool answers_question(const ldns_pkt* reply) {
    ldns_pkt_rcode rcode = ldns_pkt_get_rcode(reply);
    return rcode == LDNS_RCODE_NOERROR || rcode == LDNS_RCODE_NXDOMAIN;
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

// A query as every try sends it: RD, an unpredictable ID, EDNS0.
// Null when out of memory.
LdnsPtr<ldns_pkt> new_query(const ldns_rdf* qname, RrType type) {
    LdnsPtr<ldns_pkt> query(ldns_pkt_query_new(ldns_rdf_clone(qname), static_cast<ldns_rr_type>(type),
                                               LDNS_RR_CLASS_IN, LDNS_RD));
    if (!query) return query;
    set_query_id(query.get());
    ldns_pkt_set_edns_udp_size(query.get(), kEdnsUdpSize);
    return query;
}

// One configured server, with an ldns resolver that knows only it: ldns has
// one port per resolver, and we want to run the tries ourselves. `addr` is
// the same address for the sockets of query_all().
struct Server {
    std::string label;
    LdnsPtr<ldns_resolver> res;
    sockaddr_storage addr{};
    socklen_t addr_len = 0;
    bool silent = false;  // it let a query time out: ask the others first
};

// Where a question's tries stand when ask() takes it over from a
// query_all() round: `done` (try, server) steps already taken, why the last
// one failed, and whether to ask over TCP (the round's reply was truncated).
struct Progress {
    int done = 0;
    std::string last = "no time left";
    bool tcp = false;
};

class LdnsResolver final : public Resolver {
public:
    explicit LdnsResolver(Options opts) : opts_(std::move(opts)) {}
    Answer query(std::string_view name, RrType type) override;
    std::vector<Answer> query_all(std::span<const Question> questions) override;

private:
    void set_up();
    void setup();
    void set_budget();
    bool add_server(const ldns_rdf* ip, std::uint16_t port);
    void order_servers();
    bool skipped(const Server& server) const { return server.silent && silent_ >= budget_; }
    void round(std::span<const Question> questions, std::span<Answer> out);
    Answer resolve(Chain chain, RrType type, const std::string& what, Clock::time_point deadline, Progress from);
    Result<LdnsPtr<ldns_pkt>> ask(const std::string& name, RrType type, Clock::time_point deadline,
                                  Progress from);
    Result<LdnsPtr<ldns_pkt>> exchange(Server& server, const ldns_rdf* qname, RrType type,
                                       Clock::time_point deadline, bool tcp);

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
void LdnsResolver::set_up() {
    if (set_up_) return;
    setup();
    set_budget();
}

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
    std::size_t addr_len = 0;
    std::unique_ptr<sockaddr_storage, decltype(&std::free)> addr(ldns_rdf2native_sockaddr_storage(ip, port, &addr_len),
                                                                 &std::free);
    if (!r || !addr || ldns_resolver_push_nameserver(r.get(), ip) != LDNS_STATUS_OK) {
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
    Server server{server_label(ip, port), std::move(r)};
    server.addr = *addr;
    server.addr_len = static_cast<socklen_t>(addr_len);
    servers_.push_back(std::move(server));
    return true;
}

// Servers that answered before go first; silent ones are skipped once the
// process has waited a whole query's budget on them. Done once per query()
// and per query_all() round, so that the steps of a round that ask() takes
// over name the same servers.
void LdnsResolver::order_servers() {
    std::stable_partition(servers_.begin(), servers_.end(), [](const Server& s) { return !s.silent; });
}

// The first reply with RCODE NOERROR or NXDOMAIN; the other RCODEs, like
// timeouts, send us on to the next server and the next try. Starts after
// the steps that `from` says were taken.
Result<LdnsPtr<ldns_pkt>> LdnsResolver::ask(const std::string& name, RrType type, Clock::time_point deadline,
                                            Progress from) {
    LdnsPtr<ldns_rdf> qname = dname_rdf(name);
    if (!qname) return fail("out of memory");
    std::string last = std::move(from.last);
    int step = 0;
    for (int attempt = 0; attempt <= opts_.retries; ++attempt) {
        for (Server& server : servers_) {
            if (step++ < from.done) continue;
            if (Clock::now() >= deadline) return fail(last);
            if (skipped(server)) {
                last = server.label + ": did not answer earlier in this process";
                continue;
            }
            auto reply = exchange(server, qname.get(), type, deadline, from.tcp);
            if (!reply) {
                last = server.label + ": " + reply.error().reason;
                continue;
            }
            if (answers_question(reply->get())) return reply;
            last = server.label + ": " + rcode_name(ldns_pkt_get_rcode(reply->get()));
        }
    }
    return fail(last);
}

// One try at `server`: over UDP with TCP when truncated, or over TCP alone.
Result<LdnsPtr<ldns_pkt>> LdnsResolver::exchange(Server& server, const ldns_rdf* qname, RrType type,
                                                 Clock::time_point deadline, bool tcp) {
    auto wait = std::min(std::chrono::duration_cast<microseconds>(deadline - Clock::now()),
                         microseconds(std::chrono::seconds(opts_.timeout_seconds)));
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(wait.count() / 1000000);
    tv.tv_usec = static_cast<suseconds_t>(wait.count() % 1000000);
    ldns_resolver_set_timeout(server.res.get(), tv);
    // ldns skips a server for good after one failure; ours get every try.
    ldns_resolver_set_nameserver_rtt(server.res.get(), 0, LDNS_RESOLV_RTT_MIN);
    ldns_resolver_set_usevc(server.res.get(), tcp);

    LdnsPtr<ldns_pkt> query = new_query(qname, type);
    if (!query) return fail("out of memory");
    ldns_pkt* raw = nullptr;
    const Clock::time_point sent = Clock::now();
    ldns_status st = ldns_resolver_send_pkt(&raw, server.res.get(), query.get());
    LdnsPtr<ldns_pkt> reply(raw);
    if (st == LDNS_STATUS_NETWORK_ERR || (st == LDNS_STATUS_OK && !reply)) {
        silent_ += Clock::now() - sent;
        server.silent = true;
        return fail(std::string(kNoReply));
    }
    if (st != LDNS_STATUS_OK) return fail(ldns_get_errorstr_by_id(st));
    if (!matches(query.get(), reply.get())) return fail("reply does not match the query");
    if (ldns_pkt_tc(reply.get())) return fail("reply truncated");
    return reply;
}

// What `reply` says of the question whose CNAME chain is `chain`: the final
// Answer, or nullopt when the chain stops at a name the reply says nothing
// of, which is then asked for (chain.end).
std::optional<Answer> settle(const ldns_pkt* reply, Chain& chain, RrType type, const std::string& what) {
    const std::string asked = chain.end;
    auto followed = follow(ldns_pkt_answer(reply), std::move(chain), type);
    if (!followed) return temp_fail(what + ": " + followed.error().reason);
    chain = std::move(*followed);
    if (!chain.records.empty()) {
        Answer found{Status::Answer, {}, {}};
        for (const Rdata& r : chain.records) append_record(found, r);
        return found;
    }
    // RFC 6604 §3: the RCODE speaks of the last name of the chain.
    if (ldns_pkt_get_rcode(reply) == LDNS_RCODE_NXDOMAIN) return Answer{Status::NxDomain, {}, {}};
    if (chain.end == asked) return Answer{Status::NoData, {}, {}};
    return std::nullopt;
}

// Asks until `chain` ends in an answer, the first ask() starting where `from` says.
Answer LdnsResolver::resolve(Chain chain, RrType type, const std::string& what, Clock::time_point deadline,
                             Progress from) {
    for (;;) {
        auto reply = ask(chain.end, type, deadline, std::exchange(from, Progress{}));
        if (!reply) return temp_fail(what + ": " + reply.error().reason);
        if (auto done = settle(reply->get(), chain, type, what)) return std::move(*done);
    }
}

Answer LdnsResolver::query(std::string_view name, RrType type) {
    auto key = canonical_name(name);
    if (!key) return invalid_name(name);
    const std::string what = question_text(*key, type);
    set_up();
    if (!setup_error_.empty()) return temp_fail(what + ": " + setup_error_);
    order_servers();
    return resolve(Chain{*key, {}, 0}, type, what, Clock::now() + budget_, Progress{});
}

std::vector<Answer> LdnsResolver::query_all(std::span<const Question> questions) {
    std::vector<Answer> answers(questions.size());
    set_up();
    for (std::size_t at = 0; at < questions.size(); at += kMaxInFlight) {
        const std::size_t n = std::min(kMaxInFlight, questions.size() - at);
        round(questions.subspan(at, n), std::span(answers).subspan(at, n));
    }
    return answers;
}

// One round of query_all(): the first step of every question (the first
// server, over UDP) taken at once, each reply checked as exchange() and
// ask() check one as it arrives; then, one question after another, ask()
// goes on from there with the steps left for the questions that need more
// (no usable reply, truncated, a CNAME chain to follow). Every question of
// the round shares one query's deadline: a dead server costs the round what
// it costs one query().
void LdnsResolver::round(std::span<const Question> questions, std::span<Answer> out) {
    struct Pending {
        std::string key, what;
        LdnsPtr<ldns_pkt> query;
        io::Fd fd;                // open while a reply is awaited
        LdnsPtr<ldns_pkt> reply;  // a usable reply of the first step
        Progress progress;        // else: where ask() goes on
        bool answered = false;    // out[i] is set already
    };
    std::vector<Pending> pending(questions.size());
    const Clock::time_point deadline = Clock::now() + budget_;
    order_servers();
    Server* server = setup_error_.empty() && !skipped(servers_.front()) ? &servers_.front() : nullptr;

    for (std::size_t i = 0; i < questions.size(); ++i) {
        Pending& p = pending[i];
        auto key = canonical_name(questions[i].name);
        if (!key) {
            out[i] = invalid_name(questions[i].name);
            p.answered = true;
            continue;
        }
        p.key = std::move(*key);
        p.what = question_text(p.key, questions[i].type);
        if (!setup_error_.empty()) {
            out[i] = temp_fail(p.what + ": " + setup_error_);
            p.answered = true;
            continue;
        }
        if (!server) continue;  // ask() says why no server is asked
        LdnsPtr<ldns_rdf> qname = dname_rdf(p.key);
        if (qname) p.query = new_query(qname.get(), questions[i].type);
        std::uint8_t* wire = nullptr;
        std::size_t size = 0;
        if (!p.query || ldns_pkt2wire(&wire, p.query.get(), &size) != LDNS_STATUS_OK) {
            p.progress = Progress{1, server->label + ": out of memory"};
            continue;
        }
        std::unique_ptr<std::uint8_t, decltype(&std::free)> owned(wire, &std::free);
        // A socket, so a source port, of its own per question (RFC 5452 §9.2);
        // connected, so that the kernel drops datagrams from anyone else.
        p.fd.reset(socket(server->addr.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
        if (p.fd.get() < 0 ||
            connect(p.fd.get(), reinterpret_cast<const sockaddr*>(&server->addr), server->addr_len) != 0 ||
            send(p.fd.get(), wire, size, 0) != static_cast<ssize_t>(size)) {
            p.progress = Progress{1, server->label + ": cannot send: " + std::strerror(errno)};
            p.fd.reset(-1);
        }
    }

    if (server) {
        const Clock::time_point sent = Clock::now();
        const Clock::time_point until = std::min(deadline, sent + std::chrono::seconds(opts_.timeout_seconds));
        std::vector<std::uint8_t> buf(kMaxUdpReply);
        std::vector<pollfd> fds;
        std::vector<Pending*> waiting;
        for (;;) {
            fds.clear();
            waiting.clear();
            for (Pending& p : pending)
                if (p.fd.get() >= 0) {
                    fds.push_back(pollfd{p.fd.get(), POLLIN, 0});
                    waiting.push_back(&p);
                }
            const auto left = std::chrono::ceil<std::chrono::milliseconds>(until - Clock::now()).count();
            if (fds.empty() || left <= 0) break;
            const int ready = poll(fds.data(), fds.size(), static_cast<int>(left));
            if (ready < 0 && errno != EINTR) break;
            for (std::size_t k = 0; ready > 0 && k < fds.size(); ++k) {
                if (fds[k].revents == 0) continue;
                Pending& p = *waiting[k];
                const ssize_t n = recv(p.fd.get(), buf.data(), buf.size(), 0);
                if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
                p.fd.reset(-1);
                ldns_pkt* raw = nullptr;
                const ldns_status st = n < 0 ? LDNS_STATUS_NETWORK_ERR
                                             : ldns_wire2pkt(&raw, buf.data(), static_cast<std::size_t>(n));
                LdnsPtr<ldns_pkt> reply(raw);
                const std::string& label = server->label;
                if (st == LDNS_STATUS_NETWORK_ERR)
                    p.progress = Progress{1, label + ": " + std::string(kNoReply)};
                else if (st != LDNS_STATUS_OK)
                    p.progress = Progress{1, label + ": " + ldns_get_errorstr_by_id(st)};
                else if (!matches(p.query.get(), reply.get()))
                    p.progress = Progress{1, label + ": reply does not match the query"};
                else if (ldns_pkt_tc(reply.get()))  // the same step again, over TCP
                    p.progress = Progress{0, label + ": reply truncated", true};
                else if (!answers_question(reply.get()))
                    p.progress = Progress{1, label + ": " + rcode_name(ldns_pkt_get_rcode(reply.get()))};
                else
                    p.reply = std::move(reply);
            }
        }
        bool timed_out = false;
        for (Pending& p : pending)
            if (p.fd.get() >= 0) {
                p.fd.reset(-1);
                p.progress = Progress{1, server->label + ": " + std::string(kNoReply)};
                timed_out = true;
            }
        if (timed_out) {
            silent_ += Clock::now() - sent;
            server->silent = true;
        }
    }

    for (std::size_t i = 0; i < questions.size(); ++i) {
        Pending& p = pending[i];
        if (p.answered) continue;
        Chain chain{p.key, {}, 0};
        if (p.reply)
            if (auto done = settle(p.reply.get(), chain, questions[i].type, p.what)) {
                out[i] = std::move(*done);
                continue;
            }
        out[i] = resolve(std::move(chain), questions[i].type, p.what, deadline, std::move(p.progress));
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
