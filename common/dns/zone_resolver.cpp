#include "dns/zone_resolver.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <unordered_map>

#include "dns/ldns_util.hpp"
#include "dns/text.hpp"
#include "util/io.hpp"

namespace qauth::dns {

namespace {

// Test and demo zones are small; a bound keeps a wrong path from eating memory.
constexpr std::size_t kMaxZoneFile = 64u << 20;

struct Record {
    std::uint16_t type;
    Rdata data;  // record_data(); empty for types we never ask for
    bool operator==(const Record&) const = default;
};

class ZoneResolver final : public Resolver {
public:
    Result<void> load(const std::string& file);
    Answer query(std::string_view name, RrType type) override;

private:
    Result<void> scan_pragmas(const std::string& file, std::string_view text);
    void add(const ldns_rr* rr);

    // Every owner name, and every name above one (an empty non-terminal,
    // RFC 8020 §2: it exists, so it is NoData, not NXDOMAIN), with its records.
    std::unordered_map<std::string, std::vector<Record>> names_;
    // Names whose lookups are to fail: "FILE:LINE" of the pragma and which
    // types fail.
    struct TempFail {
        std::string where;
        std::vector<std::uint16_t> types;  // empty: every type
        bool except = false;               // every type but `types`
        bool fails(std::uint16_t type) const {
            if (types.empty()) return true;
            return (std::find(types.begin(), types.end(), type) != types.end()) != except;
        }
    };
    std::unordered_map<std::string, TempFail> tempfail_;
};

Result<void> ZoneResolver::load(const std::string& file) {
    auto text = io::read_file(file, kMaxZoneFile);
    if (!text) return std::unexpected(text.error());
    if (auto ok = scan_pragmas(file, *text); !ok) return ok;
    // ldns reads a NUL byte as the end of its line and drops the rest unseen.
    if (auto nul = text->find('\0'); nul != std::string::npos)
        return fail(file + ":" + std::to_string(1 + std::count(text->begin(), text->begin() + nul, '\n')) +
                    ": NUL byte");
    if (text->empty()) return {};  // fmemopen() rejects a zero-size buffer
    std::unique_ptr<FILE, decltype(&std::fclose)> fp(fmemopen(text->data(), text->size(), "r"), &std::fclose);
    // Relative names are relative to the root until $ORIGIN says otherwise,
    // so that files of absolute names without $ORIGIN or SOA load as they are.
    LdnsPtr<ldns_rdf> origin(ldns_dname_new_frm_str("."));
    LdnsPtr<ldns_rdf> prev(ldns_dname_new_frm_str("."));  // owner of the previous RR
    if (!fp || !origin || !prev) return fail(file + ": out of memory");

    // RR by RR rather than ldns_zone_new_frm_fp_l(), which leaks the records
    // read before a syntax error.
    std::uint32_t ttl = 3600;
    int line = 0;  // ldns counts the lines it reads, the bad one included
    while (!std::feof(fp.get())) {
        ldns_rr* raw = nullptr;
        ldns_rdf* o = origin.release();  // ldns replaces these two on $ORIGIN
        ldns_rdf* p = prev.release();    // and on each owner name
        ldns_status st = ldns_rr_new_frm_fp_l(&raw, fp.get(), &ttl, &o, &p, &line);
        origin.reset(o);
        prev.reset(p);
        LdnsPtr<ldns_rr> rr(raw);
        if (st == LDNS_STATUS_OK)
            add(rr.get());
        else if (st != LDNS_STATUS_SYNTAX_EMPTY && st != LDNS_STATUS_SYNTAX_TTL && st != LDNS_STATUS_SYNTAX_ORIGIN)
            return fail(file + ":" + std::to_string(line) + ": " + ldns_get_errorstr_by_id(st));
    }
    return {};
}

// The pragma lives in a comment, which ldns skips, so we read it ourselves:
// ";qauth: tempfail NAME [[except] TYPE ...]" on a line of its own.
Result<void> ZoneResolver::scan_pragmas(const std::string& file, std::string_view text) {
    std::istringstream lines{std::string(text)};
    std::string line;
    constexpr std::string_view kTag = ";qauth:";
    for (int nr = 1; std::getline(lines, line); ++nr) {
        std::size_t start = line.find_first_not_of(" \t");
        if (start == std::string::npos || line.compare(start, kTag.size(), kTag) != 0) continue;
        std::string where = file + ":" + std::to_string(nr);
        auto bad = [&] { return fail(where + ": bad pragma, expected ';qauth: tempfail NAME [[except] TYPE ...]'"); };
        std::istringstream words(line.substr(start + kTag.size()));
        std::string verb, name, word;
        words >> verb >> name;
        auto key = canonical_name(name);
        if (verb != "tempfail" || !key) return bad();
        TempFail t{where, {}, false};
        for (bool first = true; words >> word; first = false) {
            if (first && word == "except") {
                t.except = true;
                continue;
            }
            ldns_rr_type type = ldns_get_rr_type_by_name(word.c_str());
            if (type == 0) return bad();
            t.types.push_back(static_cast<std::uint16_t>(type));
        }
        if (t.except && t.types.empty()) return bad();
        tempfail_.insert_or_assign(*key, std::move(t));
    }
    return {};
}

void ZoneResolver::add(const ldns_rr* rr) {
    std::string owner = dname_key(ldns_rr_owner(rr));
    Record record{static_cast<std::uint16_t>(ldns_rr_get_type(rr)), record_data(rr).value_or(Rdata{})};
    std::vector<Record>& records = names_[owner];
    if (std::find(records.begin(), records.end(), record) == records.end()) records.push_back(std::move(record));
    // Make every ancestor exist (the root "" included).
    for (std::size_t dot = owner.find('.'); !owner.empty(); dot = owner.find('.')) {
        owner = dot == std::string::npos ? "" : owner.substr(dot + 1);
        if (!names_.try_emplace(owner).second) break;  // its ancestors exist too
    }
}

Answer ZoneResolver::query(std::string_view name, RrType type) {
    auto key = canonical_name(name);
    if (!key) return invalid_name(name);
    const auto want = static_cast<std::uint16_t>(type);
    std::string cur = *key;
    for (int links = 0;; ++links) {
        if (auto t = tempfail_.find(cur); t != tempfail_.end() && t->second.fails(want))
            return temp_fail(question_text(*key, type) + ": simulated failure of " + question_text(cur, type) +
                             " (" + t->second.where + ")");
        auto it = names_.find(cur);
        if (it == names_.end()) return Answer{Status::NxDomain, {}, {}};
        Answer found{Status::Answer, {}, {}};
        const Record* cname = nullptr;
        for (const Record& r : it->second) {
            if (r.type == want) append_record(found, r.data);
            if (r.type == static_cast<std::uint16_t>(RrType::CNAME)) cname = &r;
        }
        if (!found.records.empty()) return found;
        if (!cname || type == RrType::CNAME) return Answer{Status::NoData, {}, {}};
        if (links == kMaxCnameLinks)
            return temp_fail(question_text(*key, type) + ": CNAME chain longer than " +
                             std::to_string(kMaxCnameLinks) + " links (loop?)");
        cur = canonical_name(cname->data.text).value_or("");
    }
}

}  // namespace

Result<std::unique_ptr<Resolver>> make_zone_resolver(const std::vector<std::string>& files) {
    auto zones = std::make_unique<ZoneResolver>();
    for (const std::string& file : files)
        if (auto ok = zones->load(file); !ok) return std::unexpected(ok.error());
    return zones;
}

}  // namespace qauth::dns
