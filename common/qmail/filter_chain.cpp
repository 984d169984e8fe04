#include "qmail/filter_chain.hpp"

#include <cerrno>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace qauth::qmail {

namespace {

off_t file_size(int fd) {
    struct stat st;
    return ::fstat(fd, &st) == 0 ? st.st_size : -1;
}

ChainOutcome own_trouble(std::string reason) {
    return ChainOutcome{Decision{Step::Defer, std::move(reason)}, {}, io::Fd(), {}};
}

}  // namespace

std::string filter_name(const FilterCommand& command) {
    if (command.empty()) return "(empty)";
    const std::string& p = command[0];
    const auto slash = p.rfind('/');
    return slash == std::string::npos || slash + 1 == p.size() ? p : p.substr(slash + 1);
}

ChainOutcome run_chain(const FilterChain& chain, io::Fd message, FilterRunner& runner, const std::string& spool_dir,
                       long timeout) {
    std::vector<std::string> notes;
    for (const auto& command : chain) {
        const std::string name = filter_name(command);
        if (::lseek(message.get(), 0, SEEK_SET) != 0)
            return own_trouble("spool in " + spool_dir + ": seek: " + std::strerror(errno));
        auto out = io::open_temp(spool_dir);
        if (!out) return own_trouble(out.error().reason);
        io::Fd next(*out);
        const FilterEnd end = runner.run(command, message.get(), next.get());
        Decision d = decide(name, end, timeout);
        if (d.step != Step::Next) {
            ChainOutcome o{std::move(d), name, io::Fd(), std::move(notes)};
            return o;
        }
        if (!end.first_line.empty()) notes.push_back(name + ": " + end.first_line);
        const off_t in_size = file_size(message.get()), out_size = file_size(next.get());
        if (in_size < 0 || out_size < 0) return own_trouble("spool in " + spool_dir + ": fstat: " + std::strerror(errno));
        if (out_size == 0 && in_size > 0) {
            ChainOutcome o{Decision{Step::Defer, name + " exited 0 without writing the message"}, name, io::Fd(),
                           std::move(notes)};
            return o;
        }
        message.reset(next.release());
    }
    return ChainOutcome{Decision{Step::Next, {}}, {}, std::move(message), std::move(notes)};
}

}  // namespace qauth::qmail
