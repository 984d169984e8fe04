#include "qmail/authqueue_chain.hpp"

#include "qmail/status.hpp"
#include "util/strings.hpp"

namespace qauth::qmail {

Result<FilterChain> parse_chain_lines(std::span<const std::string> lines) {
    if (lines.size() > kMaxChainFilters)
        return fail("more than " + std::to_string(kMaxChainFilters) + " filters in the chain");
    FilterChain chain;
    for (const auto& line : lines) {
        FilterCommand cmd;
        std::size_t pos = 0;
        while (pos < line.size()) {
            const std::size_t start = line.find_first_not_of(" \t", pos);
            if (start == std::string::npos) break;
            const std::size_t end = std::min(line.find_first_of(" \t", start), line.size());
            cmd.emplace_back(line.substr(start, end - start));
            pos = end;
        }
        if (cmd.empty()) continue;
        if (cmd.size() > kMaxFilterArgs)
            return fail("a filter line has more than " + std::to_string(kMaxFilterArgs) + " words: " +
                        printable(cmd[0], 60));
        chain.push_back(std::move(cmd));
    }
    return chain;
}

FilterChain chain_from_args(std::span<const std::string> args) {
    FilterChain chain(1);
    for (const auto& a : args) {
        if (a == "--") {
            if (!chain.back().empty()) chain.emplace_back();
        } else {
            chain.back().push_back(a);
        }
    }
    if (chain.back().empty()) chain.pop_back();
    return chain;
}

Direction chain_direction(const Environment& env) {
    if (env("RELAYCLIENT")) return Direction::Outgoing;
    if (const char* u = env("SMTPAUTHUSER"); u && *u) return Direction::Outgoing;
    if (const char* ip = env("TCPREMOTEIP"); !ip || !*ip) return Direction::Outgoing;
    return Direction::Incoming;
}

std::string_view chain_file(Direction direction) {
    return direction == Direction::Incoming ? "authqueue/incoming" : "authqueue/outgoing";
}

Decision decide(std::string_view name, const FilterEnd& end, long timeout) {
    const std::string who(name);
    auto with_line = [&](Step step, std::string what) {
        return Decision{step, end.first_line.empty() ? std::move(what) : end.first_line};
    };
    switch (end.how) {
        case FilterEnd::How::TimedOut:
            return {Step::Defer, who + " timed out after " + std::to_string(timeout) + " s"};
        case FilterEnd::How::Signaled:
            return {Step::Defer, who + " was killed by signal " + std::to_string(end.code)};
        case FilterEnd::How::Exited: break;
    }
    if (end.code == exit_code(FilterStatus::Consumed)) return {Step::Drop, {}};
    switch (queue_status(end.code)) {
        case QueueStatus::Ok: return {Step::Next, {}};
        case QueueStatus::Refused: return with_line(Step::Refuse, who + " exited 100");
        default: return with_line(Step::Defer, who + " exited " + std::to_string(end.code));
    }
}

Answer answer(const Decision& decision, const std::optional<CustomErrorChannel>& channel) {
    switch (decision.step) {
        case Step::Drop: return {exit_code(QueueStatus::Ok), {}};
        case Step::Refuse:
            if (channel) return {channel->exit, custom_error_text('D', decision.reason)};
            return {exit_code(QueueStatus::Refused), {}};
        case Step::Next:
        case Step::Defer: break;
    }
    if (channel) return {channel->exit, custom_error_text('Z', decision.reason)};
    return {exit_code(QueueStatus::TempRefused), {}};
}

}  // namespace qauth::qmail
